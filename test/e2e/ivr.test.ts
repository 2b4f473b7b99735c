import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../src/ivr/default-flow.js';
import type { CallDetailJson, CallListJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, e2eEnabled, pressKey, pressKeys, sipp, startService, stopAll, uniqueCaller } from './lab.js';

describe.runIf(e2eEnabled)('the IVR on real calls (DTMF over SIP INFO, prompts generated with espeak-ng)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(stopAll);

  const callOf = async (caller: string) => (await service.api<CallListJson>('/api/calls?limit=500')).body.items.find((c) => c.callerNumber === caller);
  const eventsOf = async (id: string) => (await service.api<CallDetailJson>(`/api/calls/${id}`)).body.events;
  const enqueued = (caller: string, timeoutMs = 25_000) => waitFor(async () => {
    const call = await callOf(caller);
    return call?.enqueuedAt && call;
  }, `call from ${caller} enqueued`, timeoutMs, 100);
  const promptsOf = async (id: string) => (await eventsOf(id)).filter((e) => e.type === 'prompt-finished').map((e) => e.detail!);

  it('given 9 and then 1, then the menu is replayed from the English files and the call is a traffic call in English', async () => {
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 1000, ...pressKeys('9', 5000, '1', 2500) });
    const call = await enqueued(caller);
    expect(call).toMatchObject({ category: 'traffic', priority: 70, language: 'en', tags: [] });
    const started = (await eventsOf(call.id)).filter((e) => e.type === 'prompt-started').map((e) => e.detail!);
    expect(started.map((p) => `${String(p.promptId)}/${String(p.language)}`)).toEqual(['greeting/id', 'menu/id', 'menu/en']);
    expect(started[2]!.media).toMatch(/^sound:siaga112\/en\/menu-/);
    // Every prompt was found and played (a missing file ends "failed").
    expect((await promptsOf(call.id)).map((p) => p.state)).toEqual(['done', 'done', 'done']);
    expect((await run.done).code).toBe(0);
  });

  it('given a caller who presses nothing and says nothing, then they reach the queue within the cap, tagged ghost', async () => {
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 17_000 });
    const call = await enqueued(caller);
    expect(call).toMatchObject({ tags: ['ghost'], priority: 0, state: 'queued' });
    const ivrMs = Date.parse(call.enqueuedAt!) - Date.parse(call.answeredAt!);
    expect(ivrMs).toBeLessThanOrEqual(20_000);
    expect((await promptsOf(call.id)).map((p) => `${String(p.promptId)}:${String(p.state)}`)).toEqual(['greeting:done', 'menu:done', 'cannot-speak:done']);
    expect((await run.done).code).toBe(0);
  });

  it('given a silent caller who presses 5 5 after the "cannot speak" prompt starts, then the call is tagged silent-caller at high priority', async () => {
    const caller = uniqueCaller();
    sipp({ number: '112', caller, holdMs: 2000, ...pressKeys('5', 11_000, '5', 300) });
    const call = await enqueued(caller);
    expect(call).toMatchObject({ tags: ['silent-caller'], priority: 95 });
    const decision = (await eventsOf(call.id)).find((e) => e.type === 'enqueued')!.detail!;
    expect(decision.path).toEqual(['greeting', 'menu', 'route', 'listen', 'silent-caller', 'queue']);
  });

  it('given a new flow version activated while a call is in the IVR, then the next call takes the new path and the call in progress keeps its own', async () => {
    const inProgress = uniqueCaller();
    const early = sipp({ number: '112', caller: inProgress, holdMs: 1000, ...pressKey('7', 5500) });
    await waitFor(async () => (await callOf(inProgress))?.ivrVersion === null && callOf(inProgress), 'first call in the IVR', 5000, 50);
    const changed = structuredClone(DEFAULT_FLOW);
    const route = changed.steps.find((s) => s.id === 'route') as { cases: Record<string, string> };
    route.cases['7'] = 'fire';
    const created = await service.admin<{ version: number }>('POST', '/api/admin/ivr/flows', { flow: changed, note: 'fire on 7 too' });
    expect(created.status).toBe(201);
    expect((await service.admin('POST', '/api/admin/ivr/flows/default-112/activate', { version: created.body.version })).status).toBe(200);
    const next = uniqueCaller();
    sipp({ number: '112', caller: next, holdMs: 1000, ...pressKey('7', 800) });
    const first = await enqueued(inProgress);
    const second = await enqueued(next);
    // Version 1 has no 7: the key falls to the silence check's "live caller" exit, unclassified.
    expect(first).toMatchObject({ ivrVersion: 1, category: 'other' });
    expect(second).toMatchObject({ ivrVersion: created.body.version, category: 'fire' });
    expect((await early.done).code).toBe(0);
  });

  it('given a mass-call announcement switched on at run time, then a caller pressing its key is tagged to the event; switched off, the next call does not hear it', async () => {
    const on = await service.admin('POST', '/api/admin/announcement', {
      texts: { id: 'Jika Anda menelepon tentang kebakaran di Jatiasih, tekan 1.', en: 'If you are calling about the fire in Jatiasih, press 1.' },
      key: '1', eventTag: 'fire-jatiasih',
    });
    expect(on.status).toBe(201);
    const about = uniqueCaller();
    sipp({ number: '112', caller: about, holdMs: 1000, ...pressKey('1', 1500) });
    const tagged = await enqueued(about);
    expect(tagged.tags).toEqual(['event:fire-jatiasih']);
    const heard = (await eventsOf(tagged.id)).filter((e) => e.type === 'prompt-finished').map((e) => e.detail!);
    expect(heard.map((p) => `${String(p.promptId)}:${String(p.state)}`)).toEqual(['announcement:done']);
    expect((await service.admin('DELETE', '/api/admin/announcement')).status).toBe(204);
    const later = uniqueCaller();
    sipp({ number: '112', caller: later, holdMs: 1000, ...pressKey('2', 800) });
    const next = await enqueued(later);
    expect(next).toMatchObject({ category: 'fire', tags: [] });
  });

  it('given a caller who speaks (recorded speech as RTP) and presses nothing, then talking detection marks a live caller: queued unclassified, never ghost', async () => {
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 12_000, scenario: 'caller-talking.xml' });
    const call = await enqueued(caller);
    expect(call).toMatchObject({ tags: [], priority: 50, category: 'other' });
    const events = await eventsOf(call.id);
    expect(events.some((e) => e.type === 'talking')).toBe(true);
    expect(events.filter((e) => e.type === 'prompt-started').map((e) => e.detail!.promptId)).toEqual(['greeting', 'menu']);
    expect((await run.done).code).toBe(0);
  });
});
