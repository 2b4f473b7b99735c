import { afterAll, describe, expect, it } from 'vitest';
import type { CallJson, CallListJson } from '../helpers/api-types.js';
import { parseExposition } from '../helpers/prometheus-text.js';
import { waitFor } from '../helpers/wait-for.js';
import { localDate, localMidnight } from '../../src/time-zone.js';
import { e2eEnabled, pressKey, type Service, sipp, startService, stopAll, stopService, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';

type SlLine = { calls: number; answered: number; reachedQueue: number; within10s: number; abandonedIvrWithin10s: number; abandonedIvrAfter10s: number; abandonedQueueWithin10s: number; abandonedQueueAfter10s: number; answerMedianMs: number | null };

describe.runIf(e2eEnabled)('reports on the lab\'s real calls', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  afterAll(async () => {
    await desk.reset(['op001']);
    await stopService(service);
    await stopAll();
  });

  it('given calls answered by op001 on baresip, one abandoned in the queue and one in the IVR, then the service-level report and /metrics agree with the call rows', async () => {
    service = await startService({ SIAGA112_WRAPUP_MS: '500' });
    const from = new Date(Date.now() - 1000).toISOString();
    await desk.phone('op001');
    await desk.reachable('op001');
    await desk.loginWhenFree('op001');

    // A talks to op001 for 8 s; meanwhile B waits in the queue and gives up; C hangs up in the IVR.
    const a = uniqueCaller();
    const first = sipp({ number: '112', caller: a, holdMs: 12_000, ...pressKey('2', 500) });
    await waitFor(async () => (await desk.callOf(a))?.operatorId === 'op001', 'A talking to op001', 25_000);
    const b = uniqueCaller();
    const waiting = sipp({ number: '112', caller: b, holdMs: 6000, ...pressKey('3', 500) });
    const c = uniqueCaller();
    const gone = sipp({ number: '112', caller: c, holdMs: 1200 });
    await Promise.all([first.done, waiting.done, gone.done]);
    // D, once op001 is free again, is answered.
    const d = uniqueCaller();
    const last = sipp({ number: '112', caller: d, holdMs: 3000, ...pressKey('4', 500) });
    await waitFor(async () => (await desk.callOf(d))?.operatorId === 'op001', 'D talking to op001', 25_000);
    await last.done;

    const rows = await waitFor(async () => {
      const items = (await service.api<CallListJson>('/api/calls?limit=50')).body.items.filter((call) => [a, b, c, d].includes(call.callerNumber));
      return items.length === 4 && items.every((call) => call.endedAt !== null) && items;
    }, 'the four calls ended', 15_000) as CallJson[];
    const answerMs = (call: CallJson) => Date.parse(call.connectedAt!) - Date.parse(call.arrivedAt);
    const abandoned = (call: CallJson) => call.connectedAt === null && call.endReason === 'caller-hangup';
    const lasted = (call: CallJson) => Date.parse(call.endedAt!) - Date.parse(call.arrivedAt);
    const answered = rows.filter((call) => call.connectedAt !== null);
    expect(answered.map((call) => call.callerNumber).sort()).toEqual([a, d].sort());
    expect(rows.filter(abandoned).map((call) => call.callerNumber).sort()).toEqual([b, c].sort());

    const report = await service.api<{ total: SlLine }>(`/api/reports/service-level?from=${encodeURIComponent(from)}`);
    expect(report.status).toBe(200);
    const expected = {
      calls: 4, answered: 2, reachedQueue: rows.filter((call) => call.enqueuedAt !== null).length,
      within10s: answered.filter((call) => answerMs(call) <= 10_000).length,
      abandonedIvrWithin10s: rows.filter((call) => abandoned(call) && call.enqueuedAt === null && lasted(call) <= 10_000).length,
      abandonedIvrAfter10s: rows.filter((call) => abandoned(call) && call.enqueuedAt === null && lasted(call) > 10_000).length,
      abandonedQueueWithin10s: rows.filter((call) => abandoned(call) && call.enqueuedAt !== null && lasted(call) <= 10_000).length,
      abandonedQueueAfter10s: rows.filter((call) => abandoned(call) && call.enqueuedAt !== null && lasted(call) > 10_000).length,
      answerMedianMs: Math.min(...answered.map(answerMs)),
    };
    expect(report.body.total).toMatchObject(expected);
    // The queue abandon is B's, after waiting behind A; C never reached the queue.
    expect(expected.abandonedQueueWithin10s + expected.abandonedQueueAfter10s).toBe(1);
    expect(expected.abandonedIvrWithin10s).toBe(1);

    // /metrics counts today (Asia/Jakarta) from the same rows: answered, answered in 10 s, and how calls ended.
    const scrape = await fetch(`http://127.0.0.1:${service.port}/metrics`, { headers: { authorization: 'Bearer lab-metrics-token-change-me' } });
    expect(scrape.status).toBe(200);
    const { samples } = parseExposition(await scrape.text());
    const midnight = localMidnight(localDate(Date.now(), 'Asia/Jakarta'), 'Asia/Jakarta');
    const today = answered.filter((call) => Date.parse(call.connectedAt!) >= midnight);
    expect(samples.get('siaga112_calls_answered_today')).toBe(today.length);
    expect(samples.get('siaga112_calls_answered_in_time_today')).toBe(today.filter((call) => answerMs(call) <= 10_000).length);
    expect(samples.get('siaga112_calls_ended_total{state="abandoned",end_reason="caller-hangup"}')).toBe(rows.filter(abandoned).length);
    expect(samples.get('siaga112_calls_arrived_total')).toBe(4);
  });
});
