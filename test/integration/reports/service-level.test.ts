import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { serviceLevelJson } from '../../../src/reports/service-level-report.js';
import { coreHarness, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { bearer } from '../../helpers/incidents.js';
import { reportFixtures } from '../../helpers/report-fixtures.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  h?.close();
});

type ServiceLevel = z.infer<typeof serviceLevelJson>;

/** 2026-03-10 09:00 WIB. */
const T0 = Date.parse('2026-03-10T02:00:00Z');
const RANGE = 'from=2026-03-10&to=2026-03-10';

async function start() {
  h = coreHarness({ dbPath: join(mkdtempSync(join(tmpdir(), 'siaga112-reports-')), 'siaga112.db') });
  app = await testApp(h);
  await app.ready();
  return reportFixtures(h.database.sqlite);
}

const report = async (query = RANGE): Promise<ServiceLevel> => {
  const response = await app.inject({ method: 'GET', url: `/api/reports/service-level?${query}`, headers: bearer(TEST_SUPERVISOR_TOKEN) });
  expect(response.statusCode).toBe(200);
  return response.json<ServiceLevel>();
};

describe('the service level, from arrival', () => {
  it('given calls answered at exactly 10 s and just after, abandoned at 9.9 and 10.1 s, a fallback call and a callback, then every figure is the hand-worked one', async () => {
    const f = await start();
    // Answered 10.000, 10.001, 15, 20 and 25 s after arrival (queued at 4 s, talk 60 s).
    for (const [i, answerMs] of [10_000, 10_001, 15_000, 20_000, 25_000].entries()) {
      f.call({ id: `answered-${i}`, at: T0 + i * 60_000, enqueuedAfterMs: 4000, connectedAfterMs: answerMs, endedAfterMs: answerMs + 60_000, endReason: 'operator-hangup', operatorId: 'op001', category: 'fire' });
    }
    const early = f.call({ id: 'abandoned-queue-9900', at: T0 + 1000, state: 'abandoned', enqueuedAfterMs: 4000, endedAfterMs: 9900, category: 'fire' });
    f.call({ id: 'abandoned-queue-10100', at: T0 + 2000, state: 'abandoned', enqueuedAfterMs: 4000, endedAfterMs: 10_100, category: 'medical' });
    f.call({ id: 'abandoned-ivr-5000', at: T0 + 3000, state: 'abandoned', endedAfterMs: 5000, tags: ['silent-caller'] });
    f.call({ id: 'fallback', at: T0 + 4000, state: 'fallback', endReason: 'fallback', fallbackReason: 'not-running' });
    // Hung up by the IVR's ghost policy: no ghost tag, but the ghost lane.
    f.call({ id: 'ghost', at: T0 + 5000, endReason: 'ghost-policy', endedAfterMs: 20_000 });
    // Hung up in the queue while siaga112 was down: found so after the restart, abandoned all the same.
    f.call({ id: 'abandoned-while-down', at: T0 + 6000, state: 'abandoned', endReason: 'ended-while-down', enqueuedAfterMs: 4000, endedAfterMs: 40_000 });
    // Called back, and reached, 5 minutes after the caller hung up: the call stays abandoned.
    f.callback(early, T0 + 1000 + 9900 + 300_000);
    const sl = await report();
    expect(sl.measuredFrom).toBe('arrival');
    expect(sl.total).toEqual({
      key: 'all', calls: 11, reachedQueue: 8, answered: 5, within10s: 1, within15s: 3, within20s: 4,
      sl10OfAnswered: 0.2, sl15OfAnswered: 0.6, sl20OfAnswered: 0.8, sl10OfReachedQueue: 0.125, sl15OfReachedQueue: 0.375, sl20OfReachedQueue: 0.5,
      // Nearest rank over five: the 3rd (15 s) and the 5th (25 s).
      answerMedianMs: 15_000, answerP90Ms: 25_000,
      abandonedIvrWithin10s: 1, abandonedIvrAfter10s: 0, abandonedQueueWithin10s: 1, abandonedQueueAfter10s: 2,
      abandonRate: 0.3636, byFallback: 1, endedByGhostPolicy: 1,
    });
    expect(sl.fallback.calls).toBe(1);
    expect(sl.callbacks).toMatchObject({ made: 1, reached: 1, medianToReachMs: 300_000 });
    expect(sl.byLane.map((l: { key: string; calls: number }) => [l.key, l.calls])).toEqual([['ghost', 1], ['normal', 9], ['silent-caller', 1]]);
    const fire = sl.byCategory.find((l: { key: string }) => l.key === 'fire');
    expect(fire).toMatchObject({ calls: 6, answered: 5, abandonedQueueWithin10s: 1, abandonedQueueAfter10s: 0 });
    expect(sl.byDay.map((l: { key: string }) => l.key)).toEqual(['2026-03-10']);
    // 09:00–09:04 WIB: every call in the 09 hour of the day.
    expect(sl.byHour.map((l: { key: string; calls: number }) => [l.key, l.calls])).toEqual([['09', 11]]);
    expect(sl.ran.threadId).toBeGreaterThan(0);
  });

  it('given a range with no calls, then the figures are zero counts and null shares, not made-up zeros', async () => {
    await start();
    const sl = await report();
    expect(sl.total).toMatchObject({ calls: 0, answered: 0, sl10OfAnswered: null, answerMedianMs: null, abandonRate: null });
    expect(sl.byDay).toEqual([]);
  });

  it('given a call at 23:30 WIB, then it is in the 23 o\'clock bucket in Jakarta and 16 in UTC, and not in the next Jakarta day', async () => {
    const f = await start();
    f.call({ id: 'late', at: Date.parse('2026-03-10T16:30:00Z'), enqueuedAfterMs: 2000, connectedAfterMs: 8000, endedAfterMs: 60_000, operatorId: 'op001' });
    expect((await report()).byHour.map((l: { key: string }) => l.key)).toEqual(['23']);
    const utc = await report('from=2026-03-10&to=2026-03-10&tz=UTC');
    expect(utc.byDay.map((l: { key: string }) => l.key)).toEqual(['2026-03-10']);
    expect(utc.byHour.map((l: { key: string }) => l.key)).toEqual(['16']);
    expect((await report('from=2026-03-11&to=2026-03-11')).total.calls).toBe(0);
  });
});
