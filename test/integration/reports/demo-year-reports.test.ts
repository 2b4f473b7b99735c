import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoYear } from '../../../src/demo/demo-year.js';
import { coreHarness, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { bearer } from '../../helpers/incidents.js';
import { waitFor } from '../../helpers/wait-for.js';

/** The seed's category shares of its 7,500+ reports in ten months (percent). */
const SEED_SHARES = { traffic: 29, fire: 19, medical: 16, disaster: 13, crime: 11, other: 12 };
const YEAR = 'from=2026-01-01&to=2026-10-31';

let dbPath = '';
let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  dbPath = join(mkdtempSync(join(tmpdir(), 'siaga112-demo-year-')), 'demo.db');
  const result = await generateDemoYear({ dbPath, seed: 1 });
  console.info(`demo year generated in ${Math.round(result.elapsedMs)} ms:\n${result.text}`);
  h = coreHarness({ dbPath, queue: true });
  app = await testApp(h);
  await app.ready();
}, 600_000);
afterAll(async () => {
  await app?.close();
  h?.close();
});

const report = async (name: string, query = YEAR) => {
  const response = await app.inject({ method: 'GET', url: `/api/reports/${name}?${query}`, headers: bearer(TEST_SUPERVISOR_TOKEN) });
  expect(response.statusCode).toBe(200);
  return response.json<{ ran: { ms: number; threadId: number } } & Record<string, unknown>>();
};

describe('reports on the demo year', () => {
  it('given the demo year, then the incidents by category match the seed\'s shares within one percentage point', async () => {
    const categories = await report('categories') as unknown as { incidents: { total: number; byCategory: Array<{ category: keyof typeof SEED_SHARES; share: number }> } };
    expect(categories.incidents.total).toBeGreaterThan(7000);
    for (const line of categories.incidents.byCategory) {
      expect({ category: line.category, off: Math.abs(line.share * 100 - SEED_SHARES[line.category]) <= 1 }).toEqual({ category: line.category, off: true });
    }
    expect(categories.incidents.byCategory.map((l) => l.category).sort()).toEqual(Object.keys(SEED_SHARES).sort());
    console.info(`categories: ${categories.incidents.byCategory.map((l) => `${l.category} ${(l.share * 100).toFixed(1)}%`).join(', ')} of ${categories.incidents.total}`);
  }, 60_000);

  it('given a whole-year report running, then it runs in the report thread while a burst of calls is answered on the main thread', async () => {
    h.parts.operators.login('op001');
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    // When siaga112 answered each caller of the burst (its call.answered, on the main thread).
    const answeredAt: number[] = [];
    const unsubscribe = h.events.subscribe('call.answered', () => answeredAt.push(performance.now()));
    const started = performance.now();
    let finished = Number.POSITIVE_INFINITY;
    const running = report('service-level').then((result) => {
      finished = performance.now();
      return result;
    });
    // The burst: a caller every 5 ms until the report is back (at most 60, under the admission limit of 100 live calls).
    let callers = 0;
    while (finished === Number.POSITIVE_INFINITY && callers < 60) {
      h.telephony.arrive({ callerNumber: `0813${String(callers).padStart(6, '0')}` });
      callers += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const sl = await running;
    lag.disable();
    await waitFor(() => answeredAt.length === callers, 'every caller of the burst answered');
    unsubscribe();
    expect(sl.ran.threadId).toBeGreaterThan(0);
    const duringReport = answeredAt.filter((at) => at >= started && at <= finished);
    expect(duringReport.length).toBeGreaterThan(0);
    const times: Record<string, number> = { 'service-level': sl.ran.ms };
    for (const name of ['categories', 'junk', 'operators']) times[name] = (await report(name)).ran.ms;
    console.info(`whole-year reports (ms in the report thread): ${JSON.stringify(times)}; ${duringReport.length} of ${callers} callers answered while the service-level report ran (${Math.round(finished - started)} ms); event-loop delay meanwhile: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
  }, 120_000);
});
