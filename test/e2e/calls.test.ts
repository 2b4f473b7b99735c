import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallDetailJson, CallListJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, e2eEnabled, pressKey, sipp, sippCounts, startService, stopAll, uniqueCaller } from './lab.js';

describe.runIf(e2eEnabled)('real calls into the lab Asterisk', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(stopAll);

  const callsFrom = async (caller: string) => {
    const { body } = await service.api<CallListJson>('/api/calls?limit=500');
    return body.items.filter((c) => c.callerNumber === caller);
  };

  it('given 20 calls to 112 at 5 per second, each pressing 2 (fire) over the greeting, then all get 200 OK and all have complete rows', async () => {
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 1500, calls: 20, rate: 5, ...pressKey('2', 800) });
    const { code, output } = await run.done;
    expect(sippCounts(output)).toEqual({ successful: 20, failed: 0 });
    expect(code).toBe(0);
    const calls = await waitFor(async () => {
      const found = await callsFrom(caller);
      return found.length === 20 && found.every((c) => c.endedAt) && found;
    }, '20 ended calls', 10_000);
    for (const call of calls) {
      expect(call).toMatchObject({ dialledNumber: '112', callerNumber: caller, endReason: 'caller-hangup', category: 'fire', priority: 90 });
      const arrived = Date.parse(call.arrivedAt);
      const answered = Date.parse(call.answeredAt!);
      const ended = Date.parse(call.endedAt!);
      expect(arrived).toBeLessThanOrEqual(answered);
      expect(answered).toBeLessThanOrEqual(ended);
      const { body } = await service.api<CallDetailJson>(`/api/calls/${call.id}`);
      expect(body.events.map((e) => e.type)).toEqual(['arrived', 'answered', 'ivr-started', 'prompt-started', 'dtmf', 'prompt-finished', 'enqueued', 'caller-hangup']);
      const times = body.events.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it('given a call to the police alias 110, then the record says 110', async () => {
    const caller = uniqueCaller();
    const { code } = await sipp({ number: '110', caller, holdMs: 500 }).done;
    expect(code).toBe(0);
    const [call] = await waitFor(async () => {
      const found = await callsFrom(caller);
      return found.length === 1 && found[0]!.endedAt && found;
    }, 'the 110 call', 10_000);
    expect(call).toMatchObject({ dialledNumber: '110', endReason: 'caller-hangup' });
  });

  it('given everything so far, then every line siaga112 wrote to stdout is a JSON log line', () => {
    expect(service.stdout.length).toBeGreaterThan(5);
    for (const line of service.stdout.filter((l) => l.length > 0)) {
      const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
      expect(typeof parsed.level).toBe('number');
    }
    expect(service.stdout.join('\n')).not.toContain('lab-ari-secret');
  });
});
