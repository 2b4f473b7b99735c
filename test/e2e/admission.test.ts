import { afterAll, describe, expect, it } from 'vitest';
import type { CallListJson, HealthJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { e2eEnabled, sipp, sippCounts, startService, stopAll, uniqueCaller } from './lab.js';

describe.runIf(e2eEnabled)('admission control under overload', () => {
  afterAll(stopAll);

  it('given a limit of 5 live calls, when 10 callers ring at once, then all 10 are answered: 5 by siaga112, 5 by the fallback', async () => {
    const service = await startService({ SIAGA112_MAX_LIVE_CALLS: '5' });
    const health = await service.api<HealthJson>('/health');
    expect(health.body.admission.maxLiveCalls).toBe(5);
    const caller = uniqueCaller();
    const { code, output } = await sipp({ number: '112', caller, holdMs: 4000, calls: 10, rate: 100 }).done;
    expect(sippCounts(output)).toEqual({ successful: 10, failed: 0 });
    expect(code).toBe(0);
    const calls = await waitFor(async () => {
      const { body } = await service.api<CallListJson>('/api/calls?limit=500');
      const mine = body.items.filter((c) => c.callerNumber === caller);
      return mine.length === 10 && mine.every((c) => c.endedAt) && mine;
    }, '10 recorded calls', 10_000);
    const ours = calls.filter((c) => c.fallbackReason === null);
    const fallback = calls.filter((c) => c.fallbackReason === 'admission');
    expect(ours).toHaveLength(5);
    expect(fallback).toHaveLength(5);
    expect(fallback.every((c) => c.state === 'fallback')).toBe(true);
    expect(ours.every((c) => c.answeredAt !== null && c.state === 'abandoned')).toBe(true);
  });
});
