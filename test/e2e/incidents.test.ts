import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallDetailJson, CallJson } from '../helpers/api-types.js';
import { fakeAgency } from '../helpers/fake-agency.js';
import { waitFor } from '../helpers/wait-for.js';
import { e2eEnabled, type Service, sippCounts, startService, stopAll, stopService } from './lab.js';
import { operatorDesk } from './operators.js';
import { callerWithPidf, circleAt, pidf } from './pidf.js';

type Json = Record<string, unknown> & { id: string };

/** A request with any bearer token (an agency's own, here). */
async function withToken<T = Json>(service: Service, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${service.port}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** A spot near the Jatiasih fire for caller i: within about 130 m, none at the same point. */
function near(i: number): { latitude: number; longitude: number } {
  const angle = i * 2.4;
  const r = 0.0003 + (i % 3) * 0.0004;
  return { latitude: +(-6.2383 + r * Math.sin(angle)).toFixed(6), longitude: +(106.9756 + r * Math.cos(angle)).toFixed(6) };
}

describe.runIf(e2eEnabled)('incidents and dispatch on the lab Asterisk', () => {
  let service: Service;
  let agency: Awaited<ReturnType<typeof fakeAgency>> | undefined;
  const desk = operatorDesk(() => service);
  const callOf = (number: string) => waitFor(() => desk.callOf(number), `the call from ${number}`, 15_000) as Promise<CallJson>;
  afterEach(async () => {
    await desk.reset(['op001']);
    await stopService(service);
    await agency?.close();
    agency = undefined;
  });
  afterAll(stopAll);

  it('given a located caller answered by op001 on baresip, then the call becomes an incident at its PIDF-LO fix, Damkar gets the signed webhook, acknowledges with its own token, and the export shows the whole timeline', async () => {
    agency = await fakeAgency(() => ({ status: 204 }));
    service = await startService();
    const webhook = await service.admin<{ signingKey: string }>('PATCH', '/api/admin/agencies/damkar', { webhookUrl: agency.url });
    expect(webhook.status).toBe(200);
    const token = await service.admin<{ token: string }>('POST', '/api/admin/agencies/damkar/tokens');
    expect(token.status).toBe(201);
    await desk.phone('op001');
    await desk.reachable('op001');
    await desk.loginWhenFree('op001');

    const caller = callerWithPidf(pidf(circleAt(-6.2383, 106.9756, 35)), 12_000);
    const call = await callOf(caller.number);
    await waitFor(async () => (await desk.callOf(caller.number))?.operatorId === 'op001', 'the caller talking to op001', 25_000);
    const fixes = await waitFor(async () => { const d = await desk.detail(call.id); return d.location.fixes.length > 0 && d.location.fixes; }, 'the PIDF-LO fix', 10_000);

    const created = await service.operator<Json & { location: Json; agencies: string[] }>('op001', 'POST', '/api/incidents', {
      callId: call.id, category: 'fire', subcategory: 'house-fire', description: 'Rumah terbakar, dua orang terjebak di lantai dua', severity: 'critical', peopleAffected: 2,
    });
    expect(created.status).toBe(201);
    expect(created.body.agencies).toEqual(['damkar']);
    expect(created.body.location).toMatchObject({ latitude: -6.2383, longitude: 106.9756, accuracyM: 35, provenance: { kind: 'call-fix', fixId: fixes[0]!.id, source: 'sip-pidf' } });
    const dispatched = await service.operator<{ dispatches: Json[] }>('op001', 'POST', `/api/incidents/${created.body.id}/dispatches`, {});
    expect(dispatched.status).toBe(201);
    const dispatchId = dispatched.body.dispatches[0]!.id;

    const requested = await waitFor(() => agency!.events()[0], 'the webhook at the agency', 10_000);
    expect(requested.body).toMatchObject({ type: 'dispatch.requested', id: `dispatch-${dispatchId}-0`, dispatch: { id: dispatchId, agencyId: 'damkar' }, incident: { category: 'fire', severity: 'critical' } });
    expect(agency.verdicts(webhook.body.signingKey, Math.floor(Date.now() / 1000))).toEqual(['valid']);

    for (const type of ['acknowledge', 'en-route', 'on-scene']) {
      const answered = await withToken<Json & { timeline: { state: string } }>(service, token.body.token, 'POST', `/api/dispatches/${dispatchId}/events`, { type });
      expect({ type, status: answered.status }).toEqual({ type, status: 200 });
    }
    const late = await withToken(service, token.body.token, 'POST', `/api/dispatches/${dispatchId}/events`, { type: 'en-route' });
    expect(late).toMatchObject({ status: 409, body: { error: 'dispatch-not-forward', details: { current: 'on-scene' } } });
    await waitFor(() => agency!.events().length === 4, 'four webhooks at the agency', 10_000);
    expect(agency.events().map((e) => e.body.type)).toEqual(['dispatch.requested', 'dispatch.acknowledged', 'dispatch.en-route', 'dispatch.on-scene']);

    const exported = await service.api<{
      calls: Array<{ id: string; operatorId: string; locations: Json[] }>; dispatches: Array<{ timeline: Record<string, string | null>; steps: Array<{ type: string; by: string }> }>;
      people: Array<{ principal: string }>;
    }>(`/api/incidents/${created.body.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.calls).toEqual([expect.objectContaining({ id: call.id, operatorId: 'op001', locations: [expect.objectContaining({ source: 'sip-pidf', accuracyM: 35 })] })]);
    const [timeline] = exported.body.dispatches;
    expect(timeline!.timeline).toMatchObject({ state: 'on-scene', acknowledgedAt: expect.any(String), enRouteAt: expect.any(String), onSceneAt: expect.any(String) });
    expect(timeline!.steps.map((s) => `${s.type} by ${s.by}`)).toEqual(['request by operator:op001', 'acknowledge by agency:damkar', 'en-route by agency:damkar', 'on-scene by agency:damkar']);
    expect(exported.body.people.map((p) => p.principal).sort()).toEqual(['agency:damkar', 'operator:op001']);
    const detail = (await service.api<CallDetailJson & { incident: { incidentId: string } }>(`/api/calls/${call.id}`)).body;
    expect(detail.incident).toEqual({ incidentId: created.body.id, how: 'first' });
    expect(sippCounts((await caller.run.done).output)).toMatchObject({ successful: 1, failed: 0 });
  });

  it('given ten located callers about one fire within two minutes, then supervisors get one surge; accepting links all ten, and the eleventh caller hears the announcement, presses its key and joins the incident', async () => {
    service = await startService({ SIAGA112_SURGE_MIN_CALLS: '10', SIAGA112_SURGE_CHECK_MS: '500' });
    const callers = [];
    for (let i = 0; i < 10; i++) {
      const { latitude, longitude } = near(i);
      callers.push(callerWithPidf(pidf(circleAt(latitude, longitude, 20)), 8000));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const calls = await Promise.all(callers.map((c) => callOf(c.number)));
    type Surge = { key: string; kind: string; category: string; callIds: string[] };
    const surge = await waitFor(async () => {
      const { bytes } = await service.supervisor('/api/surges');
      const suggestions = (JSON.parse(bytes.toString()) as { suggestions: Surge[] }).suggestions;
      return suggestions.length === 1 && suggestions[0]!.callIds.length === 10 && suggestions[0]!;
    }, 'one surge of the ten calls', 30_000, 250);
    expect(surge).toMatchObject({ kind: 'radius', category: 'fire' });
    expect([...surge.callIds].sort()).toEqual(calls.map((c) => c.id).sort());

    const accepted = await service.supervisorPost<{ incidentId: string; eventTag: string; linked: string[] }>(`/api/surges/${encodeURIComponent(surge.key)}/accept`, {});
    expect(accepted.status).toBe(201);
    expect([...accepted.body.linked].sort()).toEqual(calls.map((c) => c.id).sort());
    await Promise.all(callers.map((c) => c.run.done));

    // The eleventh caller has no location: the announcement's key is their word that they call about it.
    const eleventh = callerWithPidf(pidf('<ca:civicAddress><ca:country>ID</ca:country><ca:A2>Kota Bekasi</ca:A2></ca:civicAddress>', 'Manual'), 3000, '1', 1500);
    const call = await callOf(eleventh.number);
    const heard = await waitFor(async () => {
      const detail = await desk.detail(call.id);
      return detail.tags.includes(`event:${accepted.body.eventTag}`) && detail;
    }, 'the eleventh caller tagged to the event', 25_000);
    const prompts = heard.events.filter((e) => e.type === 'prompt-finished').map((e) => `${String(e.detail!.promptId)}:${String(e.detail!.state)}`);
    expect(prompts).toEqual(['announcement:done']);
    await waitFor(async () => {
      const detail = (await service.api<{ incident: { incidentId: string; how: string } | null }>(`/api/calls/${call.id}`)).body;
      return detail.incident?.incidentId === accepted.body.incidentId && detail.incident.how === 'surge';
    }, 'the eleventh call linked to the incident', 10_000);
    const incident = (await service.api<{ calls: unknown[]; massCall: { active: boolean } }>(`/api/incidents/${accepted.body.incidentId}`)).body;
    expect(incident).toMatchObject({ massCall: { active: true } });
    expect(incident.calls).toHaveLength(11);
    expect((await eleventh.run.done).code).toBe(0);
    process.stdout.write(`[surge e2e] 10 sipp callers → 1 suggestion (${surge.kind}, ${surge.category}); accepted: ${accepted.body.linked.length} linked; 11th heard ${prompts.join(',')} and joined: ${incident.calls.length} calls on the incident\n`);
  });
});
