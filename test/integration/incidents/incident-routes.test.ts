import { afterEach, describe, expect, it } from 'vitest';
import { incidentExportSchema } from '../../../src/incidents/incident-export.js';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_API_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { bearer, handledCall, pidfCircle } from '../../helpers/incidents.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  h?.close();
});

const op = (id: string) => bearer(operatorToken(id));
const FIRE = { category: 'fire', subcategory: 'house-fire', description: 'Rumah terbakar di Jatiasih, asap tebal', severity: 'serious', peopleAffected: 4 };

async function start() {
  h = coreHarness();
  app = await testApp(h);
  await app.ready();
}

/** op001's call with a GNSS fix, made into a fire incident through the API. */
async function fireIncident(extra: Record<string, unknown> = {}) {
  const call = await handledCall(h, 'op001', '081255500011', pidfCircle(-6.2383, 106.9756, 35));
  const response = await app.inject({ method: 'POST', url: '/api/incidents', headers: op('op001'), payload: { callId: call.callId, ...FIRE, ...extra } });
  expect(response.statusCode).toBe(201);
  return { call, incident: response.json() };
}

describe('incidents from calls', () => {
  it('given op001\'s located call, when op001 creates a fire incident, then it starts at the call\'s fix, proposes Damkar, and both sides show the link', async () => {
    await start();
    const { call, incident } = await fireIncident();
    expect(incident).toMatchObject({
      category: 'fire', subcategory: 'house-fire', severity: 'serious', peopleAffected: 4, peopleHurt: false, callbackNumber: '081255500011',
      agencies: ['damkar'], createdBy: 'operator:op001', calls: [{ callId: call.callId, how: 'first', by: 'operator:op001' }], dispatches: [], massCall: null,
      location: { latitude: -6.2383, longitude: 106.9756, accuracyM: 35, provenance: { kind: 'call-fix', callId: call.callId, source: 'sip-pidf', method: 'gnss' } },
    });
    expect(incident.location.kecamatan).toEqual(h.location.service.locationOf(call.callId).fixes[0]!.kecamatan);
    const callView = await app.inject({ method: 'GET', url: `/api/calls/${call.callId}`, headers: op('op001') });
    expect(callView.json().incident).toEqual({ incidentId: incident.id, how: 'first' });
    expect((await app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: bearer(TEST_API_TOKEN) })).json().id).toBe(incident.id);
  });

  it('given people hurt in a fire, then Dinkes is proposed beside Damkar; an operator may name the agencies instead, and enter the location', async () => {
    await start();
    const hurt = await fireIncident({ peopleHurt: true });
    expect(hurt.incident.agencies.sort()).toEqual(['damkar', 'dinkes']);
    const other = await handledCall(h, 'op001', '081255500022');
    const named = await app.inject({
      method: 'POST', url: '/api/incidents', headers: op('op001'),
      payload: { callId: other.callId, category: 'disaster', subcategory: 'flood', description: 'Banjir setinggi pinggang', agencies: ['bpbd', 'satpol-pp'], location: { latitude: -6.29, longitude: 107.0, description: 'depan pasar' } },
    });
    expect(named.statusCode).toBe(201);
    expect(named.json()).toMatchObject({ agencies: ['bpbd', 'satpol-pp'], location: { latitude: -6.29, longitude: 107, description: 'depan pasar', provenance: { kind: 'entered', by: 'operator:op001' } } });
  });

  it('given a bad or refused request, then each gets its status and error and no incident is written', async () => {
    await start();
    const mine = await handledCall(h, 'op001', '081255500011');
    const cases: Array<[Record<string, string>, Record<string, unknown>, number, string | null]> = [
      [{}, { callId: mine.callId, ...FIRE }, 401, 'unauthorized'],
      [bearer(TEST_ADMIN_TOKEN), { callId: mine.callId, ...FIRE }, 403, 'forbidden'],
      [bearer(TEST_API_TOKEN), { callId: mine.callId, ...FIRE }, 403, 'forbidden'],
      [op('op002'), { callId: mine.callId, ...FIRE }, 403, null],
      [op('op001'), { callId: 'no-such-call', ...FIRE }, 404, 'call-not-found'],
      [op('op001'), { callId: mine.callId, ...FIRE, category: 'flood' }, 400, null],
      [op('op001'), { callId: mine.callId, ...FIRE, description: '' }, 400, null],
      [op('op001'), { callId: mine.callId, ...FIRE, subcategory: 'flood' }, 400, 'unknown-subcategory'],
      [op('op001'), { callId: mine.callId, ...FIRE, agencies: ['basarnas'] }, 404, 'agency-not-found'],
      [op('op001'), { callId: mine.callId, ...FIRE, location: { fixId: '00000000-0000-4000-8000-000000000000' } }, 400, 'unknown-fix'],
      [op('op001'), { callId: mine.callId, ...FIRE, surprise: true }, 400, null],
    ];
    for (const [headers, payload, status, error] of cases) {
      const response = await app.inject({ method: 'POST', url: '/api/incidents', headers, payload });
      expect({ payload, status: response.statusCode }).toEqual({ payload, status });
      if (error) expect(response.json().error).toBe(error);
    }
    expect((await app.inject({ method: 'GET', url: '/api/incidents', headers: bearer(TEST_API_TOKEN) })).json().incidents).toEqual([]);
    expect(h.database.sqlite.prepare('SELECT count(*) AS n FROM incident_events').get()).toEqual({ n: 0 });
  });

  it('given a call that already reports an incident, then a second incident from it is 409 with the incident it reports', async () => {
    await start();
    const { call, incident } = await fireIncident();
    const again = await app.inject({ method: 'POST', url: '/api/incidents', headers: op('op001'), payload: { callId: call.callId, ...FIRE } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'call-already-linked', details: { incidentId: incident.id } });
  });
});

describe('linking calls and the duplicate disposition', () => {
  it('given a second caller about the same fire, when op002 links their call, then it is disposed duplicate by op002 and both sides show the link', async () => {
    await start();
    const { incident } = await fireIncident();
    const second = await handledCall(h, 'op002', '081299900033');
    const linked = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/calls`, headers: op('op002'), payload: { callId: second.callId } });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().calls.map((c: { callId: string; how: string; by: string }) => [c.how, c.by])).toEqual([['first', 'operator:op001'], ['linked', 'operator:op002']]);
    const view = (await app.inject({ method: 'GET', url: `/api/calls/${second.callId}`, headers: op('op002') })).json();
    expect(view.incident).toEqual({ incidentId: incident.id, how: 'linked' });
    expect(view.outcome).toMatchObject({ disposition: 'duplicate', ghost: false, abandoned: false });
    expect(h.dispositions.current(second.callId)).toBe('duplicate');
    const row = h.database.sqlite.prepare('SELECT disposition, by FROM call_dispositions WHERE call_id = ?').get(second.callId);
    expect(row).toEqual({ disposition: 'duplicate', by: 'operator:op002' });
  });

  it('given refused links, then each gets its status and the incident keeps its one call', async () => {
    await start();
    const { call, incident } = await fireIncident();
    const others = await handledCall(h, 'op002', '081299900033');
    const url = `/api/incidents/${incident.id}/calls`;
    const cases: Array<[string, Record<string, string>, Record<string, unknown>, number, string | null]> = [
      [url, op('op001'), { callId: call.callId }, 409, 'call-already-linked'],
      [url, op('op001'), { callId: others.callId }, 403, null],
      [url, bearer(TEST_API_TOKEN), { callId: others.callId }, 403, 'forbidden'],
      [url, {}, { callId: others.callId }, 401, 'unauthorized'],
      [url, op('op002'), {}, 400, null],
      ['/api/incidents/00000000-0000-4000-8000-000000000000/calls', op('op002'), { callId: others.callId }, 404, 'incident-not-found'],
      ['/api/incidents/not-a-uuid/calls', op('op002'), { callId: others.callId }, 400, null],
    ];
    for (const [target, headers, payload, status, error] of cases) {
      const response = await app.inject({ method: 'POST', url: target, headers, payload });
      expect({ target, payload, status: response.statusCode }).toEqual({ target, payload, status });
      if (error) expect(response.json().error).toBe(error);
    }
    expect(h.incidents.get(incident.id).calls.map((c) => c.callId)).toEqual([call.callId]);
    expect(h.dispositions.current(others.callId)).toBeNull();
  });
});

describe('changing an incident', () => {
  it('given changes, agencies and notes, then the view is derived from the kept history with who and when', async () => {
    await start();
    const { incident } = await fireIncident();
    const url = `/api/incidents/${incident.id}`;
    await h.clock.advance(60_000);
    const patched = await app.inject({ method: 'PATCH', url, headers: bearer(TEST_SUPERVISOR_TOKEN), payload: { severity: 'critical', peopleHurt: true } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ severity: 'critical', peopleHurt: true, description: FIRE.description });
    expect((await app.inject({ method: 'POST', url: `${url}/agencies`, headers: op('op001'), payload: { agencyId: 'dinkes' } })).json().agencies).toEqual(['damkar', 'dinkes']);
    expect((await app.inject({ method: 'DELETE', url: `${url}/agencies/dinkes`, headers: op('op001') })).json().agencies).toEqual(['damkar']);
    const noted = await app.inject({ method: 'POST', url: `${url}/notes`, headers: op('op001'), payload: { text: 'Api sudah merambat ke rumah sebelah' } });
    expect(noted.json().notes).toEqual([{ text: 'Api sudah merambat ke rumah sebelah', at: new Date(h.clock.now()).toISOString(), by: 'operator:op001' }]);
    const history = h.database.sqlite.prepare('SELECT type, by FROM incident_events WHERE incident_id = ? ORDER BY id').all(incident.id);
    expect(history).toEqual([
      { type: 'created', by: 'operator:op001' }, { type: 'call-linked', by: 'operator:op001' }, { type: 'updated', by: 'supervisor:supervisor' },
      { type: 'agency-added', by: 'operator:op001' }, { type: 'agency-removed', by: 'operator:op001' }, { type: 'note', by: 'operator:op001' },
    ]);
  });

  it('given an admin removed the incident\'s subcategory, then the incident can still be changed in what the change names', async () => {
    await start();
    const { incident } = await fireIncident();
    const admin = bearer(TEST_ADMIN_TOKEN);
    expect((await app.inject({ method: 'PUT', url: '/api/admin/incident-categories', headers: admin, payload: { fire: ['market-fire'] } })).statusCode).toBe(200);
    const patched = await app.inject({ method: 'PATCH', url: `/api/incidents/${incident.id}`, headers: op('op001'), payload: { peopleHurt: true } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ subcategory: 'house-fire', peopleHurt: true });
    const renamed = await app.inject({ method: 'PATCH', url: `/api/incidents/${incident.id}`, headers: op('op001'), payload: { subcategory: 'house-fire' } });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().error).toBe('unknown-subcategory');
  });

  it('given refused changes, then each gets its status and error and the history does not grow', async () => {
    await start();
    const { incident } = await fireIncident();
    const url = `/api/incidents/${incident.id}`;
    const before = h.incidents.get(incident.id).events.length;
    const cases: Array<[string, string, Record<string, string>, unknown, number, string | null]> = [
      ['PATCH', url, op('op001'), {}, 400, null],
      ['PATCH', url, op('op001'), { severity: 'apocalyptic' }, 400, null],
      ['PATCH', url, op('op001'), { subcategory: 'flood' }, 400, 'unknown-subcategory'],
      ['PATCH', url, bearer(TEST_API_TOKEN), { severity: 'minor' }, 403, 'forbidden'],
      ['POST', `${url}/agencies`, op('op001'), { agencyId: 'damkar' }, 409, 'agency-on-incident'],
      ['POST', `${url}/agencies`, op('op001'), { agencyId: 'basarnas' }, 404, 'agency-not-found'],
      ['POST', `${url}/agencies`, op('op001'), { agencyId: 'Not An Id' }, 400, null],
      ['DELETE', `${url}/agencies/polisi`, op('op001'), undefined, 404, 'agency-not-on-incident'],
      ['POST', `${url}/notes`, op('op001'), { text: '   ' }, 400, null],
      ['POST', `${url}/notes`, {}, { text: 'x' }, 401, 'unauthorized'],
      ['PATCH', '/api/incidents/00000000-0000-4000-8000-000000000000', op('op001'), { severity: 'minor' }, 404, 'incident-not-found'],
    ];
    for (const [method, target, headers, payload, status, error] of cases) {
      const response = await app.inject({ method: method as 'POST', url: target, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      expect({ method, target, payload, status: response.statusCode }).toEqual({ method, target, payload, status });
      if (error) expect(response.json().error).toBe(error);
    }
    expect(h.incidents.get(incident.id).events.length).toBe(before);
  });
});

describe('dispatching an incident', () => {
  it('given a fire with people hurt, when op001 dispatches, then Damkar and Dinkes are requested; again is 409; steps move forward only and 409 carries the current state', async () => {
    await start();
    const { incident } = await fireIncident({ peopleHurt: true });
    const dispatched = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op('op001'), payload: {} });
    expect(dispatched.statusCode).toBe(201);
    const dispatches: Array<{ id: string; agencyId: string; timeline: { state: string } }> = dispatched.json().dispatches;
    expect(dispatches.map((d) => [d.agencyId, d.timeline.state]).sort()).toEqual([['damkar', 'requested'], ['dinkes', 'requested']]);
    const again = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op('op001'), payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('nothing-to-dispatch');
    const named = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op('op001'), payload: { agencies: ['damkar'] } });
    expect(named.statusCode).toBe(409);
    expect(named.json().error).toBe('already-dispatched');
    const damkar = dispatches.find((d) => d.agencyId === 'damkar')!;
    const step = (payload: unknown, headers = op('op001')) => app.inject({ method: 'POST', url: `/api/dispatches/${damkar.id}/events`, headers, payload: payload as object });
    expect((await step({ type: 'acknowledge' })).json().timeline.state).toBe('acknowledged');
    await h.clock.advance(120_000);
    const onScene = await step({ type: 'on-scene' });
    expect(onScene.json().timeline).toMatchObject({ state: 'on-scene', enRouteAt: null, onSceneAt: new Date(h.clock.now()).toISOString() });
    const back = await step({ type: 'en-route' });
    expect(back.statusCode).toBe(409);
    expect(back.json()).toMatchObject({ error: 'dispatch-not-forward', details: { current: 'on-scene' } });
    expect((await step({ type: 'cancel' })).statusCode).toBe(400);
    expect((await step({ type: 'fly' })).statusCode).toBe(400);
    expect((await step({ type: 'resolve' }, bearer(TEST_SUPERVISOR_TOKEN))).json().timeline.state).toBe('resolved');
    const final = await step({ type: 'cancel', reason: 'salah alamat' });
    expect(final.statusCode).toBe(409);
    expect(final.json()).toMatchObject({ error: 'dispatch-final', details: { current: 'resolved' } });
    expect((await step({ type: 'acknowledge' }, bearer(TEST_API_TOKEN))).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/dispatches/00000000-0000-4000-8000-000000000000/events', headers: op('op001'), payload: { type: 'acknowledge' } })).statusCode).toBe(404);
    const view = (await app.inject({ method: 'GET', url: `/api/dispatches/${damkar.id}`, headers: bearer(TEST_API_TOKEN) })).json();
    expect(view.steps.map((s: { type: string; by: string }) => `${s.type} by ${s.by}`)).toEqual([
      'request by operator:op001', 'acknowledge by operator:op001', 'on-scene by operator:op001', 'resolve by supervisor:supervisor',
    ]);
    // Resolved, Damkar may be sent again (a second fire at the same place is a new dispatch); named twice, it is one crew.
    const resent = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op('op001'), payload: { agencies: ['damkar', 'polisi', 'damkar'] } });
    expect(resent.statusCode).toBe(201);
    expect(resent.json().dispatches.map((d: { agencyId: string }) => d.agencyId).sort()).toEqual(['damkar', 'polisi']);
    expect(h.incidents.get(incident.id).state.agencies.sort()).toEqual(['damkar', 'dinkes', 'polisi']);
  });

  it('given an incident with a dispatch, then its export is the EIDO-style document with calls, locations, the dispatch timeline, notes and people', async () => {
    await start();
    const { call, incident } = await fireIncident();
    const second = await handledCall(h, 'op002', '081299900033');
    await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/calls`, headers: op('op002'), payload: { callId: second.callId } });
    const [damkar] = (await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op('op001'), payload: {} })).json().dispatches;
    await h.clock.advance(30_000);
    await app.inject({ method: 'POST', url: `/api/dispatches/${damkar.id}/events`, headers: op('op001'), payload: { type: 'acknowledge' } });
    await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/notes`, headers: op('op001'), payload: { text: 'Damkar Jatiasih berangkat' } });
    const exported = await app.inject({ method: 'GET', url: `/api/incidents/${incident.id}/export`, headers: bearer(TEST_SUPERVISOR_TOKEN) });
    expect(exported.statusCode).toBe(200);
    const document = incidentExportSchema.parse(exported.json());
    expect(document.$schema).toBe('siaga112/eido-style/1');
    expect(document.calls.map((c) => [c.id, c.callerNumber, c.link.how, c.disposition])).toEqual([
      [call.callId, '081255500011', 'first', null], [second.callId, '081299900033', 'linked', 'duplicate'],
    ]);
    expect(document.calls[0]!.locations).toEqual([expect.objectContaining({ source: 'sip-pidf', latitude: -6.2383, accuracyM: 35 })]);
    expect(document.dispatches).toEqual([expect.objectContaining({ agency: { id: 'damkar', name: 'Damkar' }, timeline: expect.objectContaining({ state: 'acknowledged' }) })]);
    expect(document.notes.map((n) => n.text)).toEqual(['Damkar Jatiasih berangkat']);
    expect(document.people.map((p) => p.principal).sort()).toEqual(['operator:op001', 'operator:op002']);
    expect((await app.inject({ method: 'GET', url: `/api/incidents/${incident.id}/export`, headers: bearer(TEST_ADMIN_TOKEN) })).statusCode).toBe(403);
  });
});
