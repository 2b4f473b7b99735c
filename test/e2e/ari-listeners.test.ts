import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { systemClock } from '../../src/clock.js';
import { createDomainEvents } from '../../src/domain-events.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriTelephony } from '../../src/ari/telephony.js';
import { CallService } from '../../src/calls/call-service.js';
import { CallsRepository } from '../../src/db/calls-repository.js';
import { openDatabase } from '../../src/db/database.js';
import { waitFor } from '../helpers/wait-for.js';
import { e2eEnabled } from './lab.js';

/**
 * ari-client 2.2.0 leaks a listener per channel.on(); siaga112 dispatches by channel id from one
 * client-level listener, so the count must not grow with traffic. Calls are Local channels
 * originated over ARI into the app (their other half runs the operators' echo test).
 */
describe.runIf(e2eEnabled)('ari-client containment against the real Asterisk', () => {
  const log = pino({ level: 'silent' });
  const database = openDatabase(':memory:');
  const repo = new CallsRepository(database.db);
  const telephony = new AriTelephony({
    url: 'http://127.0.0.1:8088', user: 'siaga112', password: 'lab-ari-secret', app: 'siaga112',
    timeoutMs: 5000, maxSockets: 8, maxPending: 1000, heartbeatMs: 2000, log,
  });
  const service = new CallService({
    telephony, channelEvents: telephony, events: createDomainEvents(log), repo, clock: systemClock, log,
    session: { greeting: 'sound:beep', maxCallSeconds: 60, playbackGuardMs: 5000 },
    admission: { maxLiveCalls: 1000, maxAriLatencyMs: 5000 },
    fallback: { context: 'emergency-fallback', extension: 's', priority: 1 },
  });

  beforeAll(async () => {
    service.start();
    // A consumer that throws on every event: it must not stop the stream for the others.
    telephony.onEvent(() => {
      throw new Error('a buggy listener');
    });
    await telephony.start();
  });
  afterAll(async () => {
    await service.drain(0);
    await telephony.stop();
    database.close();
  });

  async function callBatch(count: number): Promise<void> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await Promise.all(ids.map((channelId) => telephony.originate({ endpoint: 'Local/600@operators', channelId, appArgs: 'dialled=112' })));
    await waitFor(() => ids.every((id) => repo.findByChannelId(id)?.state === 'queued'), `${count} calls queued`, 20_000);
    await Promise.all(ids.map((id) => telephony.hangup(id)));
    await waitFor(() => ids.every((id) => repo.findByChannelId(id)?.endedAt), `${count} calls ended`, 20_000);
  }

  it('given 500 calls through the app, then ari-client holds no more listeners than after 10', async () => {
    await callBatch(10);
    const after10 = telephony.connection.clientListenerCount();
    for (let i = 0; i < 20; i += 1) await callBatch(25);
    const after510 = telephony.connection.clientListenerCount();
    expect(after10).toBeGreaterThan(0);
    expect(after510).toBeLessThanOrEqual(after10);
    expect(repo.list({ limit: 1, offset: 0 }).total).toBe(510);
    expect(service.liveCalls).toBe(0);
  }, 180_000);
});
