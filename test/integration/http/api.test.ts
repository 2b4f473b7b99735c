import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../../src/health-routes.js';
import { TEST_API_TOKEN, coreHarness, testApp } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = TEST_API_TOKEN;
const auth = { authorization: `Bearer ${TOKEN}` };
let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

async function app(health?: () => HealthReport) {
  harness = coreHarness();
  return testApp(harness, {
    health,
    presence: () => [{ aor: 'op001', status: 'Reachable', uri: 'sip:op001@127.0.0.1:5090', updatedAt: '2026-11-28T00:00:00.000Z' }],
  });
}

describe('HTTP API', () => {
  it('given no token or a wrong one, then /api/calls answers 401 and shows nothing', async () => {
    const api = await app();
    for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
      const response = await api.inject({ method: 'GET', url: '/api/calls', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'unauthorized' });
      expect(response.body).not.toContain('0812');
    }
  });

  it('given recorded calls, then the list pages newest first and filters by dialled number', async () => {
    const api = await app();
    const a = harness.telephony.arrive({ extension: '112', creationTime: '2026-11-27T10:00:00.000Z' }, ['dialled=112']);
    const b = harness.telephony.arrive({ extension: '110', creationTime: '2026-11-27T11:00:00.000Z' }, ['dialled=110']);
    harness.telephony.arrive({ extension: '112', creationTime: '2026-11-27T12:00:00.000Z' }, ['dialled=112']);
    const page = await api.inject({ method: 'GET', url: '/api/calls?limit=2', headers: auth });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items.map((c: { arrivedAt: string }) => c.arrivedAt)).toEqual(['2026-11-27T12:00:00.000Z', '2026-11-27T11:00:00.000Z']);
    const only110 = await api.inject({ method: 'GET', url: '/api/calls?dialled=110', headers: auth });
    expect(only110.json().items.map((c: { channelId: string }) => c.channelId)).toEqual([b.id]);
    const window = await api.inject({ method: 'GET', url: '/api/calls?from=2026-11-27T09:00:00Z&to=2026-11-27T10:30:00Z', headers: auth });
    expect(window.json().items.map((c: { channelId: string }) => c.channelId)).toEqual([a.id]);
  });

  it('given a call, then /api/calls/:id returns it with its event trail', async () => {
    const api = await app();
    const channel = harness.telephony.arrive({ callerNumber: '0813' });
    await waitFor(() => harness.telephony.lastPlayback(channel.id), 'greeting');
    const id = harness.repo.findByChannelId(channel.id)!.id;
    const response = await api.inject({ method: 'GET', url: `/api/calls/${id}`, headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id, callerNumber: '0813', dialledNumber: '112', state: 'ivr' });
    expect(response.json().events.map((e: { type: string }) => e.type)).toEqual(['arrived', 'answered', 'prompt-started']);
  });

  it('given bad query values, then 400 names each field and the rule', async () => {
    const api = await app();
    const response = await api.inject({ method: 'GET', url: '/api/calls?limit=0&from=yesterday&dialled=abc', headers: auth });
    expect(response.statusCode).toBe(400);
    const { error, message } = response.json();
    expect(error).toBe('invalid-request');
    expect(message).toContain('querystring.from: Invalid ISO datetime');
    expect(message).toContain('querystring.limit: Too small');
    expect(message).toContain('querystring.dialled: must be a dialled number such as 112');
  });

  it('given from after to, then 400 says so', async () => {
    const api = await app();
    const response = await api.inject({ method: 'GET', url: '/api/calls?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z', headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('from must be before to');
  });

  it('given an unknown or malformed call id, then 404 or 400', async () => {
    const api = await app();
    const missing = await api.inject({ method: 'GET', url: '/api/calls/7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'call-not-found', message: 'no call 7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11' });
    const malformed = await api.inject({ method: 'GET', url: '/api/calls/abc', headers: auth });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toBe('params.id: must be a call id (UUID)');
  });

  it('given a registered softphone, then /api/presence lists it and needs the token', async () => {
    const api = await app();
    expect((await api.inject({ method: 'GET', url: '/api/presence' })).statusCode).toBe(401);
    const response = await api.inject({ method: 'GET', url: '/api/presence', headers: auth });
    expect(response.json()).toEqual({ contacts: [{ aor: 'op001', status: 'Reachable', uri: 'sip:op001@127.0.0.1:5090', updatedAt: '2026-11-28T00:00:00.000Z' }] });
  });

  it('given ARI down, then /health answers 503 with the ARI status', async () => {
    const api = await app(() => ({
      status: 'degraded', ari: { connected: false, latencyMs: null, inFlight: 0, pending: 0 }, ami: { connected: true },
      database: { ok: true, pendingWrites: 0 }, admission: { accepting: true, draining: false, liveCalls: 0, maxLiveCalls: 5, ariLatencyMs: null, maxAriLatencyMs: 1000 },
      selfCheck: { runs: 0, lastRunAt: null, repairs: {} },
    }));
    const response = await api.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', ari: { connected: false } });
  });

  it('given the OpenAPI document, then it lists the call routes with bearer security', async () => {
    const api = await app();
    await api.ready();
    const doc = api.swagger() as { paths: Record<string, { get?: { security?: unknown } }> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/calls', '/api/calls/{id}', '/health']));
    expect(doc.paths['/api/calls']?.get?.security).toEqual([{ bearer: [] }]);
  });
});
