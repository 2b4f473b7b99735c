import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Dialer } from '../../../src/legs/dialer.js';
import type { LegEnd } from '../../../src/legs/leg.js';
import { FakeTelephony } from '../../fakes/fake-telephony.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';

function setup() {
  const clock = new VirtualClock();
  const telephony = new FakeTelephony(clock);
  const dialer = new Dialer({ telephony, clock, log: pino({ level: 'silent' }) });
  const stop = telephony.onEvent((event) => dialer.handle(event));
  return { clock, telephony, dialer, stop };
}

const hangups = (telephony: FakeTelephony, channelId: string) => telephony.commandsFor(channelId).filter((op) => op === 'hangup').length;

describe('the dialer', () => {
  it('given an operator\'s phone ringing, when nobody answers within the ring time, then its end is told once as a timeout, the leg is hung up, and it no longer counts as ringing', async () => {
    const { clock, telephony, dialer } = setup();
    const ends: LegEnd[] = [];
    const leg = dialer.dial({ kind: 'offer', callId: 'c1', endpoint: 'PJSIP/op001', callerId: '"x" <1>', ringMs: 15_000, operatorId: 'op001' });
    leg.onEnded((_, end) => ends.push(end));
    await clock.advance(14_999);
    expect(dialer.engaged()).toEqual([['op001', 'ringing']]);
    await clock.advance(1);
    expect(ends.map((e) => e.reason)).toEqual(['timeout']);
    expect(hangups(telephony, leg.channelId)).toBe(1);
    expect(dialer.engaged()).toEqual([]);
    telephony.emit({ type: 'ChannelDestroyed', channelId: leg.channelId, cause: 16, causeText: 'Normal', timestamp: '' });
    expect(ends).toHaveLength(1);
    expect(dialer.legs()).toEqual([]);
  });

  it('given Asterisk refusing a hang-up (overloaded), then the dialer tries again, and after the last refusal gives the leg up so reconciliation can hang it up', async () => {
    const { clock, telephony, dialer } = setup();
    const leg = dialer.dial({ kind: 'offer', callId: 'c1', endpoint: 'PJSIP/op001', callerId: '"x" <1>', ringMs: 15_000, operatorId: 'op001' });
    telephony.answerOriginated(leg.channelId);
    await clock.advance(0);
    expect(leg.answered).toBe(true);
    telephony.failNext('hangup', 503, 4);
    leg.hangUp();
    await clock.advance(0);
    expect(hangups(telephony, leg.channelId)).toBe(0);
    await clock.advance(1_000 + 2_000);
    expect(dialer.legs()).toEqual([leg.channelId]);
    await clock.advance(3_000);
    expect(dialer.legs()).toEqual([]);
  });

  it('given a refused hang-up that Asterisk takes on the second try a second later, then the leg is hung up and ends with its ChannelDestroyed', async () => {
    const { clock, telephony, dialer } = setup();
    const ends: string[] = [];
    const leg = dialer.dial({ kind: 'agency', callId: 'c1', endpoint: 'PJSIP/113@trunk', callerId: '"x" <1>', ringMs: 30_000 });
    leg.onEnded((_, end) => ends.push(end.reason));
    telephony.answerOriginated(leg.channelId);
    telephony.failNext('hangup', 503, 1);
    leg.hangUp();
    await clock.advance(999);
    expect(hangups(telephony, leg.channelId)).toBe(0);
    expect(dialer.legs()).toEqual([leg.channelId]);
    await clock.advance(1);
    expect(hangups(telephony, leg.channelId)).toBe(1);
    expect(ends).toEqual([]);
    telephony.emit({ type: 'ChannelDestroyed', channelId: leg.channelId, cause: 16, causeText: 'Normal', timestamp: '' });
    expect(ends).toEqual(['hangup']);
    expect(dialer.legs()).toEqual([]);
  });
});
