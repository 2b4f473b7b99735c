import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_API_TOKEN, testApp } from '../../helpers/core.js';
import { connectedCall } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('an operator and the calls they handled', () => {
  it('given a call op001 answered, then op001 reads it and records its disposition as operator:op001; op002 is refused both; the API reads it too', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    const { callId } = await connectedCall(h, 'op001', '0811777');

    const own = await app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: as(operatorToken('op001')) });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: callId, callerNumber: '0811777', operatorId: 'op001' });
    const other = await app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: as(operatorToken('op002')) });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ error: 'forbidden', message: `call ${callId} was not handled by operator op002` });
    expect(other.body).not.toContain('0811777');
    expect((await app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: as(TEST_API_TOKEN) })).statusCode).toBe(200);

    const notTheirs = await app.inject({ method: 'POST', url: `/api/calls/${callId}/disposition`, headers: as(operatorToken('op002')), payload: { disposition: 'prank' } });
    expect(notTheirs.statusCode).toBe(403);
    expect(h.dispositions.status('0811777').prankMarks).toBe(0);
    const disposed = await app.inject({ method: 'POST', url: `/api/calls/${callId}/disposition`, headers: as(operatorToken('op001')), payload: { disposition: 'prank', note: 'laughing' } });
    expect(disposed.statusCode).toBe(201);
    expect(disposed.json()).toMatchObject({ callId, disposition: 'prank', by: 'operator:op001' });
    expect(h.dispositions.status('0811777').prankMarks).toBe(1);
    await app.close();
  });

  it('given a call still waiting for an operator or no call at all, then an operator gets 403 or 404', async () => {
    h = coreHarness({ queue: true });
    const app = await testApp(h);
    await connectedCall(h, 'op001', '0811777');
    // op001 is busy and nobody else is logged in: this caller waits, handled by no one yet.
    const waiting = h.telephony.arrive({ callerNumber: '0811888' });
    const waitingId = h.repo.findByChannelId(waiting.id)!.id;
    const response = await app.inject({ method: 'GET', url: `/api/calls/${waitingId}`, headers: as(operatorToken('op001')) });
    expect(response.statusCode).toBe(403);
    const missing = await app.inject({ method: 'GET', url: '/api/calls/7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11', headers: as(operatorToken('op001')) });
    expect(missing.statusCode).toBe(404);
    await app.close();
  });
});
