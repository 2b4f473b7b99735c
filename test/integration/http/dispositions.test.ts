import { afterEach, describe, expect, it } from 'vitest';
import { flowSchema } from '../../../src/ivr/flow-schema.js';
import { DEFAULT_FLOW } from '../../../src/ivr/default-flow.js';
import { simulateFlow } from '../../../src/ivr/simulation.js';
import { TEST_ADMIN_TOKEN, TEST_API_TOKEN, coreHarness, testApp } from '../../helpers/core.js';

const API = { authorization: `Bearer ${TEST_API_TOKEN}` };
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

async function setup() {
  harness = coreHarness();
  return testApp(harness);
}

/** A finished call from `number`, as the fake Asterisk records it. */
function callFrom(number: string): string {
  const channel = harness.telephony.arrive({ callerNumber: number });
  return harness.repo.findByChannelId(channel.id)!.id;
}

describe('dispositions and the prank lane', () => {
  it('given an operator marks a call, then the verdict is stored, audited on the call and shown for the number', async () => {
    const app = await setup();
    const callId = callFrom('081234567890');
    const response = await app.inject({ method: 'POST', url: `/api/calls/${callId}/disposition`, headers: API, payload: { disposition: 'prank', note: 'laughing' } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ callId, number: '+6281234567890', disposition: 'prank', note: 'laughing', by: 'api:api' });
    expect(harness.repo.events(callId).at(-1)).toMatchObject({ type: 'disposition', detail: JSON.stringify({ disposition: 'prank', by: 'api:api' }) });
    const status = await app.inject({ method: 'GET', url: '/api/numbers/6281234567890', headers: API });
    expect(status.json()).toEqual({ number: '+6281234567890', prankMarks: 1, prankLane: false, clearedAt: null });
  });

  it('given three prank marks however the number was written, then the number is in the prank lane; an admin clears it, audited as admin:admin', async () => {
    const app = await setup();
    for (const written of ['081234567890', '+6281234567890', '6281234567890']) {
      await app.inject({ method: 'POST', url: `/api/calls/${callFrom(written)}/disposition`, headers: API, payload: { disposition: 'prank' } });
    }
    const before = await app.inject({ method: 'GET', url: '/api/numbers/081234567890', headers: API });
    expect(before.json()).toMatchObject({ prankMarks: 3, prankLane: true });
    const cleared = await app.inject({ method: 'POST', url: '/api/admin/numbers/081234567890/clear', headers: ADMIN, payload: { reason: 'real emergency confirmed' } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ prankMarks: 0, prankLane: false });
    expect(cleared.json().clearedAt).not.toBeNull();
    expect(harness.database.sqlite.prepare('SELECT number, by, reason FROM number_clearances').all()).toEqual([{ number: '+6281234567890', by: 'admin:admin', reason: 'real emergency confirmed' }]);
  });

  it('given a prank mark corrected to valid, or one call marked prank twice, then those count once or not at all and the number stays out of the prank lane', async () => {
    const app = await setup();
    const mark = (callId: string, disposition: string) => app.inject({ method: 'POST', url: `/api/calls/${callId}/disposition`, headers: API, payload: { disposition } });
    const corrected = callFrom('081234567890');
    await mark(corrected, 'prank');
    await mark(corrected, 'valid');
    const twice = callFrom('081234567890');
    await mark(twice, 'prank');
    await mark(twice, 'prank');
    await mark(callFrom('081234567890'), 'prank');
    const status = await app.inject({ method: 'GET', url: '/api/numbers/081234567890', headers: API });
    expect(status.json()).toMatchObject({ prankMarks: 2, prankLane: false });
    await mark(corrected, 'prank');
    expect((await app.inject({ method: 'GET', url: '/api/numbers/081234567890', headers: API })).json()).toMatchObject({ prankMarks: 3, prankLane: true });
  });

  it('given bad input, then 400 or 404 and nothing is recorded', async () => {
    const app = await setup();
    const callId = callFrom('0811');
    const bad = await app.inject({ method: 'POST', url: `/api/calls/${callId}/disposition`, headers: API, payload: { disposition: 'rude' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body.disposition');
    const missing = await app.inject({ method: 'POST', url: '/api/calls/7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11/disposition', headers: API, payload: { disposition: 'valid' } });
    expect(missing.statusCode).toBe(404);
    const clearWithoutAdmin = await app.inject({ method: 'POST', url: '/api/admin/numbers/0811/clear', headers: API, payload: { reason: 'x' } });
    expect(clearWithoutAdmin.statusCode).toBe(403);
    expect(harness.dispositions.status('0811').prankMarks).toBe(0);
  });

  it('given a number in the prank lane, then its call hears the warning first and is queued last but still queued', async () => {
    const flow = flowSchema.parse(DEFAULT_FLOW);
    const { outcome, prompts } = await simulateFlow(flow, { dialled: '112', prank: true }, [{ type: 'digits', digits: '2' }]);
    expect(prompts.map((p) => p.promptId)).toEqual(['prank-warning', 'greeting']);
    expect(outcome).toMatchObject({ kind: 'enqueue', category: 'fire', priority: 1, tags: ['prank-lane'] });
  });
});
