import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AriTelephony } from '../../../src/ari/telephony.js';
import type { TelephonyEvent } from '../../../src/telephony/port.js';

describe('ARI events siaga112 cannot read', () => {
  it('given a StasisStart whose channel lacks fields, then the core still hears of the channel (to hand it to the fallback); other malformed events are dropped', async () => {
    const telephony = new AriTelephony({
      url: 'http://127.0.0.1:9', user: 'u', password: 'p', app: 'siaga112', timeoutMs: 100, maxSockets: 1, maxPending: 1, heartbeatMs: 1000, log: pino({ level: 'silent' }),
    });
    const heard: TelephonyEvent[] = [];
    telephony.onEvent((event) => heard.push(event));
    telephony.connection.emit('event', { type: 'StasisStart', timestamp: 'now', channel: { id: 'chan-77', name: 'PJSIP/x' } });
    telephony.connection.emit('event', { type: 'ChannelDtmfReceived', channel: { id: 'chan-78' } });
    expect(heard).toEqual([{ type: 'StasisStartUnreadable', channelId: 'chan-77', timestamp: expect.any(String) }]);
    await telephony.stop();
  });
});
