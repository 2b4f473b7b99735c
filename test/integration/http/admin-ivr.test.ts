import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import { coreHarness, testApp } from '../../helpers/core.js';

const ADMIN = { authorization: 'Bearer admin-token-123456' };
let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

async function admin() {
  harness = coreHarness();
  harness.flows.ensureDefault();
  return testApp(harness);
}

/** The default flow with the fire key moved to 7. */
const changedFlow = () => {
  const flow = structuredClone(DEFAULT_FLOW);
  const route = flow.steps.find((s) => s.id === 'route') as { cases: Record<string, string> };
  delete route.cases['2'];
  route.cases['7'] = 'fire';
  return flow;
};

describe('IVR admin API', () => {
  it('given the API token instead of the admin token, then admin routes answer 403, and the admin token is refused on API routes', async () => {
    const app = await admin();
    const response = await app.inject({ method: 'GET', url: '/api/admin/ivr/flows', headers: { authorization: 'Bearer api-token-1234567' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'forbidden' });
    const calls = await app.inject({ method: 'GET', url: '/api/calls', headers: ADMIN });
    expect(calls.statusCode).toBe(403);
  });

  it('given a first start, then the default flow is stored as version 1 and active', async () => {
    const app = await admin();
    const response = await app.inject({ method: 'GET', url: '/api/admin/ivr/flows', headers: ADMIN });
    expect(response.json()).toMatchObject({ flows: [{ flowId: 'default-112', activeVersion: 1, versions: [{ version: 1, active: true, note: 'shipped default' }] }] });
  });

  it('given an invalid flow, then 422 lists each problem with its step and rule, and nothing is stored', async () => {
    const app = await admin();
    const bad = structuredClone(DEFAULT_FLOW);
    bad.steps.push({ id: 'loop', type: 'goto', target: 'nowhere' });
    const response = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: ADMIN, payload: { flow: bad } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      error: 'invalid-flow', message: 'flow refused: 1 problem(s)',
      details: [{ step: 'loop', rule: 'dangling-target', message: 'step loop: target nowhere is not a step' }],
    });
    const list = await app.inject({ method: 'GET', url: '/api/admin/ivr/flows', headers: ADMIN });
    expect(list.json().flows[0].versions).toHaveLength(1);
  });

  it('given a new version, when it is activated, then the next call would use it; rollback restores the old one', async () => {
    const app = await admin();
    const created = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: ADMIN, payload: { flow: changedFlow(), note: 'fire on 7' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ flowId: 'default-112', version: 2, active: false, note: 'fire on 7' });
    expect(harness.flows.forCall('112')?.version).toBe(1);

    const activated = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows/default-112/activate', headers: ADMIN, payload: { version: 2 } });
    expect(activated.json()).toMatchObject({ version: 2, active: true });
    expect(harness.flows.forCall('112')?.version).toBe(2);

    const rolledBack = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows/default-112/rollback', headers: ADMIN });
    expect(rolledBack.json()).toMatchObject({ version: 1, active: true });
    expect(harness.flows.forCall('112')?.version).toBe(1);
  });

  it('given two versions, then the diff names the changed step', async () => {
    const app = await admin();
    await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: ADMIN, payload: { flow: changedFlow() } });
    const diff = await app.inject({ method: 'GET', url: '/api/admin/ivr/flows/default-112/diff?from=1&to=2', headers: ADMIN });
    expect(diff.json()).toEqual({ steps: { added: [], removed: [], changed: ['route'] }, prompts: { added: [], removed: [], changed: [] }, settings: [] });
  });

  it('given a simulation of a version, then the path, prompts and outcome come back without a call', async () => {
    const app = await admin();
    await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: ADMIN, payload: { flow: changedFlow() } });
    const response = await app.inject({
      method: 'POST', url: '/api/admin/ivr/2/simulate', headers: ADMIN,
      payload: { inputs: [{ type: 'silence' }, { type: 'digits', digits: '7' }] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // Silence over the greeting, then 7 over the menu prompt (barge-in) chooses fire in version 2.
    expect(body.outcome).toMatchObject({ kind: 'enqueue', category: 'fire', priority: 90, path: ['greeting', 'menu', 'route', 'fire', 'queue'] });
    expect(body.prompts.map((p: { promptId: string; text: string }) => p.promptId)).toEqual(['greeting', 'menu']);
    expect(body.prompts[0].text).toBe(DEFAULT_FLOW.prompts.greeting?.id);
  });

  it('given a simulation with a bad input or an unknown version, then 400 or 404', async () => {
    const app = await admin();
    const bad = await app.inject({ method: 'POST', url: '/api/admin/ivr/1/simulate', headers: ADMIN, payload: { inputs: [{ type: 'digits', digits: 'abc' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('digits are 0-9, * and #');
    const missing = await app.inject({ method: 'POST', url: '/api/admin/ivr/99/simulate', headers: ADMIN, payload: { inputs: [] } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'flow-version-not-found' });
  });

  it('given activation of a version of another flow, then 404 and the active version is unchanged', async () => {
    const app = await admin();
    const other = { ...structuredClone(DEFAULT_FLOW), flowId: 'mass-call' };
    await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: ADMIN, payload: { flow: other } });
    const response = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows/default-112/activate', headers: ADMIN, payload: { version: 2 } });
    expect(response.statusCode).toBe(404);
    expect(harness.flows.forCall('112')?.version).toBe(1);
  });

  it('given malformed JSON, then 400 and nothing stored', async () => {
    const app = await admin();
    const response = await app.inject({ method: 'POST', url: '/api/admin/ivr/flows', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{"flow": ' });
    expect(response.statusCode).toBe(400);
    expect(harness.flows.list()[0]?.versions).toHaveLength(1);
  });
});
