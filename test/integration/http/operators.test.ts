import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_API_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('operator API', () => {
  it('given an operator token, then that operator logs in, pauses with a reason and resumes, and the trail is stored', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const login = await app.inject({ method: 'POST', url: '/api/operator/login', headers: as(operatorToken('op002')) });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ id: 'op002', state: 'available', reachable: true });
    const pause = await app.inject({ method: 'POST', url: '/api/operator/pause', headers: as(operatorToken('op002')), payload: { reason: 'briefing' } });
    expect(pause.json()).toMatchObject({ state: 'paused', pauseReason: 'briefing' });
    const resume = await app.inject({ method: 'POST', url: '/api/operator/resume', headers: as(operatorToken('op002')) });
    expect(resume.json()).toMatchObject({ state: 'available', pauseReason: null });
    expect(h.parts.board.get('op001')!.state).toBe('offline');
    const trail = h.database.sqlite.prepare("SELECT trigger, to_state AS state FROM operator_events WHERE operator_id = 'op002' ORDER BY id").all();
    expect(trail).toEqual([{ trigger: 'login', state: 'available' }, { trigger: 'pause', state: 'paused' }, { trigger: 'resume', state: 'available' }]);
    await app.close();
  });

  it('given a wrong token, the API token or a bad body, then the request is refused and no state changes', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    expect((await app.inject({ method: 'POST', url: '/api/operator/login', headers: as('not-a-token') })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/operator/login', headers: as(TEST_API_TOKEN) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/operator/login' })).statusCode).toBe(401);
    const badPause = await app.inject({ method: 'POST', url: '/api/operator/pause', headers: as(operatorToken('op001')), payload: { reason: 'Coffee Break!' } });
    expect(badPause.statusCode).toBe(400);
    expect(badPause.json().message).toMatch(/body\.reason/);
    const pauseOffline = await app.inject({ method: 'POST', url: '/api/operator/pause', headers: as(operatorToken('op001')), payload: { reason: 'break' } });
    expect(pauseOffline.statusCode).toBe(409);
    expect(pauseOffline.json()).toMatchObject({ error: 'operator-state-conflict', message: 'cannot pause while offline' });
    expect(h.parts.board.list().every((o) => o.state === 'offline')).toBe(true);
    await app.close();
  });

  it('given the queue, then the API and supervisor tokens see its state and operators by state', async () => {
    h = coreHarness({ queue: true });
    h.parts.operators.login('op001');
    h.reachable.delete('op001');
    const app = await testApp(h);
    for (const url of ['/api/queue', '/api/supervisor/queue']) {
      const token = url.includes('supervisor') ? TEST_SUPERVISOR_TOKEN : TEST_API_TOKEN;
      const response = await app.inject({ method: 'GET', url, headers: as(token) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ depth: 0, longestWaitMs: 0, operators: { available: 1, offline: 2, unreachable: 1 } });
    }
    expect((await app.inject({ method: 'GET', url: '/api/supervisor/queue', headers: as(TEST_API_TOKEN) })).statusCode).toBe(403);
    const list = await app.inject({ method: 'GET', url: '/api/operators', headers: as(TEST_API_TOKEN) });
    expect(list.json().map((o: { id: string; reachable: boolean }) => [o.id, o.reachable])).toEqual([['op001', false], ['op002', true], ['op003', true]]);
    await app.close();
  });
});

describe('operator skills (admin)', () => {
  it('given the admin token, then skills are set and used; bad skills are refused naming the field', async () => {
    h = coreHarness({ queue: true, strategy: 'skills' });
    const app = await testApp(h);
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const set = await app.inject({ method: 'PUT', url: '/api/admin/operators/op002/skills', headers: admin, payload: { languages: ['en'], categories: ['fire'] } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ id: 'op002', languages: ['en'], categories: ['fire'] });
    expect(h.parts.board.get('op002')).toMatchObject({ languages: ['en'], categories: ['fire'] });
    const bad = await app.inject({ method: 'PUT', url: '/api/admin/operators/op002/skills', headers: admin, payload: { languages: ['jv'], categories: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\.languages/);
    const unknown = await app.inject({ method: 'PUT', url: '/api/admin/operators/op999/skills', headers: admin, payload: { languages: ['id'], categories: [] } });
    expect(unknown.statusCode).toBe(404);
    const asApi = await app.inject({ method: 'PUT', url: '/api/admin/operators/op002/skills', headers: as(TEST_API_TOKEN), payload: { languages: ['id'], categories: [] } });
    expect(asApi.statusCode).toBe(403);
    expect(h.parts.board.get('op002')!.languages).toEqual(['en']);
    await app.close();
  });
});

describe('nobody stuck: stale states and forced states', () => {
  it('given op001 marked busy on a call that no longer exists, then op001 can still log out, and the trail says which call was stale', async () => {
    h = coreHarness({ queue: true });
    h.parts.board.apply('op001', 'login');
    h.parts.board.apply('op001', 'offer', { callId: 'gone-call' });
    h.parts.board.apply('op001', 'answer', { callId: 'gone-call' });
    const app = await testApp(h);
    const logout = await app.inject({ method: 'POST', url: '/api/operator/logout', headers: as(operatorToken('op001')) });
    expect(logout.statusCode).toBe(200);
    expect(logout.json()).toMatchObject({ state: 'offline', callId: null });
    const last = h.database.sqlite.prepare("SELECT trigger, from_state AS fromState, detail FROM operator_events WHERE operator_id = 'op001' ORDER BY id DESC LIMIT 1").get();
    expect(last).toEqual({ trigger: 'logout', fromState: 'busy', detail: JSON.stringify({ via: 'api', staleCall: 'gone-call' }) });
    await app.close();
  });

  it('given a supervisor and an admin, then each forces a state with a reason, audited with their principal; without a reason, with the wrong token or onto a live call it is refused and nothing changes', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    h.parts.board.apply('op002', 'login');
    const bySupervisor = await app.inject({
      method: 'POST', url: '/api/supervisor/operators/op002/state', headers: as(TEST_SUPERVISOR_TOKEN), payload: { state: 'paused', reason: 'softphone broken, replacing it' },
    });
    expect(bySupervisor.statusCode).toBe(200);
    expect(bySupervisor.json()).toMatchObject({ state: 'paused', pauseReason: 'forced' });
    const byAdmin = await app.inject({ method: 'POST', url: '/api/admin/operators/op002/state', headers: as(TEST_ADMIN_TOKEN), payload: { state: 'offline', reason: 'end of shift' } });
    expect(byAdmin.json()).toMatchObject({ state: 'offline' });
    const audit = h.database.sqlite.prepare("SELECT trigger, to_state AS state, detail FROM operator_events WHERE operator_id = 'op002' AND trigger = 'forced' ORDER BY id").all() as Array<{ state: string; detail: string }>;
    const audited = audit.map((row) => ({ state: row.state, ...(JSON.parse(row.detail) as { by: string; reason: string }) }));
    expect(audited.map((row) => [row.state, row.by, row.reason])).toEqual([
      ['paused', 'supervisor:supervisor', 'softphone broken, replacing it'], ['offline', 'admin:admin', 'end of shift'],
    ]);

    const noReason = await app.inject({ method: 'POST', url: '/api/supervisor/operators/op002/state', headers: as(TEST_SUPERVISOR_TOKEN), payload: { state: 'available' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/body\.reason/);
    const busyTarget = await app.inject({ method: 'POST', url: '/api/admin/operators/op002/state', headers: as(TEST_ADMIN_TOKEN), payload: { state: 'busy', reason: 'no such thing' } });
    expect(busyTarget.statusCode).toBe(400);
    for (const token of [TEST_API_TOKEN, operatorToken('op002'), TEST_ADMIN_TOKEN]) {
      const wrong = await app.inject({ method: 'POST', url: '/api/supervisor/operators/op002/state', headers: as(token), payload: { state: 'available', reason: 'sneaky' } });
      expect(wrong.statusCode).toBe(403);
    }
    expect(h.parts.board.get('op002')!.state).toBe('offline');

    // op001 really talking: the state is the call's, not a supervisor's.
    const { connectedCall } = await import('../../helpers/queue.js');
    await connectedCall(h, 'op001', '0811777');
    const onCall = await app.inject({ method: 'POST', url: '/api/supervisor/operators/op001/state', headers: as(TEST_SUPERVISOR_TOKEN), payload: { state: 'available', reason: 'try it' } });
    expect(onCall.statusCode).toBe(409);
    expect(onCall.json()).toMatchObject({ error: 'operator-on-live-call' });
    expect(h.parts.board.get('op001')!.state).toBe('busy');
    await app.close();
  });
});
