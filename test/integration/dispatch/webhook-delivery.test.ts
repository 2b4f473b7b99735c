import { afterEach, describe, expect, it } from 'vitest';
import { backoffCeilingMs, RETRY_POLICY } from '../../../src/dispatch/retry-schedule.js';
import { webhookBodySchema } from '../../../src/dispatch/dispatch-schemas.js';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, testApp } from '../../helpers/core.js';
import { type AgencyBehaviour, fakeAgency } from '../../helpers/fake-agency.js';
import { bearer, handledCall } from '../../helpers/incidents.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
let agency: Awaited<ReturnType<typeof fakeAgency>>;
afterEach(async () => {
  await app?.close();
  h?.close();
  await agency?.close();
});

const op001 = bearer(operatorToken('op001'));
type OutboxState = { id: number; attempts: number; delivered: number | null; dead: number | null; next: number };

/** Damkar's endpoint is the fake agency; returns its signing key (as the admin was shown it). */
async function damkarWithWebhook(behaviour: AgencyBehaviour) {
  agency = await fakeAgency(behaviour);
  h = coreHarness();
  app = await testApp(h);
  await app.ready();
  const set = await app.inject({ method: 'PATCH', url: '/api/admin/agencies/damkar', headers: bearer(TEST_ADMIN_TOKEN), payload: { webhookUrl: agency.url } });
  expect(set.statusCode).toBe(200);
  return set.json().signingKey as string;
}

/** op001 makes a fire incident of their call and dispatches Damkar; returns the dispatch id. */
async function dispatchDamkar(): Promise<string> {
  const call = await handledCall(h, 'op001', '081255500011');
  const incident = (await app.inject({ method: 'POST', url: '/api/incidents', headers: op001, payload: { callId: call.callId, category: 'fire', description: 'Gudang terbakar' } })).json();
  const dispatched = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatches`, headers: op001, payload: {} });
  expect(dispatched.statusCode).toBe(201);
  return (dispatched.json() as { dispatches: Array<{ id: string }> }).dispatches[0]!.id;
}

const step = (dispatchId: string, type: string) => app.inject({ method: 'POST', url: `/api/dispatches/${dispatchId}/events`, headers: op001, payload: { type } });
const outbox = (): OutboxState[] => h.database.sqlite.prepare('SELECT id, attempts, delivered_at AS delivered, dead_at AS dead, next_attempt_at AS next FROM webhook_outbox ORDER BY id').all() as OutboxState[];
const nowSec = () => Math.floor(h.clock.now() / 1000);

describe('webhooks to an agency', () => {
  it('given an endpoint that fails its first three requests, then each event arrives once after deduplication, in order, every signature verifies, and the retries wait 1, 2 and 4 s', async () => {
    const key = await damkarWithWebhook((n) => (n <= 3 ? { status: 500 } : { status: 200 }));
    const dispatchId = await dispatchDamkar();
    expect((await step(dispatchId, 'acknowledge')).statusCode).toBe(200);
    expect((await step(dispatchId, 'en-route')).statusCode).toBe(200);
    for (const [attempt, waitMs] of [[1, 1000], [2, 2000], [3, 4000]] as const) {
      await waitFor(() => outbox()[0]!.attempts === attempt, `attempt ${attempt} recorded`);
      expect(outbox()[0]!.next - h.clock.now()).toBe(waitMs);
      expect(agency.received.length).toBe(attempt);
      await h.clock.advance(waitMs);
    }
    await waitFor(() => outbox().every((row) => row.delivered !== null), 'all three delivered');
    expect(outbox().map((row) => row.attempts)).toEqual([4, 1, 1]);
    const events = agency.events();
    expect(events.map((e) => e.body.type)).toEqual(['dispatch.requested', 'dispatch.acknowledged', 'dispatch.en-route']);
    expect(events.map((e) => e.idempotencyKey)).toEqual([`dispatch-${dispatchId}-0`, `dispatch-${dispatchId}-1`, `dispatch-${dispatchId}-2`]);
    for (const event of events) expect(webhookBodySchema.parse(JSON.parse(event.rawBody)).dispatch.id).toBe(dispatchId);
    expect(new Set(agency.verdicts(key, nowSec()))).toEqual(new Set(['valid']));
    expect(agency.verdicts('not-the-key', nowSec()).every((v) => v === 'invalid')).toBe(true);
  });

  it('given an endpoint that takes the event but answers too late, then the retry carries the same key and the receiver keeps one', async () => {
    // The first request is taken and never answered: the 2-s timeout makes it a failure on our side.
    const key = await damkarWithWebhook((n) => (n === 1 ? 'hang' : { status: 202 }));
    await dispatchDamkar();
    await waitFor(() => outbox()[0]!.attempts === 1, 'the timed-out attempt recorded', 5000);
    await h.clock.advance(1000);
    await waitFor(() => outbox()[0]!.delivered !== null, 'delivered on the retry');
    expect(agency.received.map((r) => r.idempotencyKey)).toEqual([agency.received[0]!.idempotencyKey, agency.received[0]!.idempotencyKey]);
    expect(agency.events()).toHaveLength(1);
    expect(agency.verdicts(key, nowSec())).toEqual(['valid', 'valid']);
  });
});

describe('webhooks across a crash', () => {
  it('given the process stopped between the outbox write and the delivery, then the webhook goes out after the restart', async () => {
    const key = await damkarWithWebhook(() => ({ status: 200 }));
    // The worker is down (the process is dying) when the dispatch commits with its outbox row.
    h.outbox.stop();
    const dispatchId = await dispatchDamkar();
    expect(outbox()).toMatchObject([{ attempts: 0, delivered: null }]);
    expect(agency.received).toHaveLength(0);
    h.crashAndRestart();
    await waitFor(() => outbox()[0]!.delivered !== null, 'delivered by the new process');
    expect(agency.events().map((e) => [e.idempotencyKey, e.body.type])).toEqual([[`dispatch-${dispatchId}-0`, 'dispatch.requested']]);
    expect(agency.verdicts(key, nowSec())).toEqual(['valid']);
  });

  it('given the process dies while the agency holds the request, then the new process sends it again, the receiver dedupes it, and nothing is lost behind it', async () => {
    await damkarWithWebhook((n) => (n === 1 ? 'hang' : { status: 200 }));
    const dispatchId = await dispatchDamkar();
    await waitFor(() => agency.received.length === 1, 'the agency holds the first request');
    expect((await step(dispatchId, 'acknowledge')).statusCode).toBe(200);
    h.crashAndRestart();
    await waitFor(() => outbox().every((row) => row.delivered !== null), 'both delivered by the new process');
    expect(agency.received.map((r) => r.idempotencyKey)).toEqual([`dispatch-${dispatchId}-0`, `dispatch-${dispatchId}-0`, `dispatch-${dispatchId}-1`]);
    expect(agency.events().map((e) => e.body.type)).toEqual(['dispatch.requested', 'dispatch.acknowledged']);
  });
});

describe('the dead-letter list', () => {
  it('given an endpoint that keeps failing, then after the twelfth attempt the webhook is dead, admins see it, and a retry delivers it once the endpoint is fixed', async () => {
    let fixed = false;
    await damkarWithWebhook(() => (fixed ? { status: 200 } : { status: 503 }));
    await dispatchDamkar();
    for (let attempt = 1; attempt < RETRY_POLICY.maxAttempts; attempt++) {
      await waitFor(() => outbox()[0]!.attempts === attempt, `attempt ${attempt} recorded`);
      await h.clock.advance(backoffCeilingMs(attempt));
    }
    await waitFor(() => outbox()[0]!.dead !== null, 'dead after the twelfth attempt');
    expect(agency.received).toHaveLength(RETRY_POLICY.maxAttempts);
    const admin = bearer(TEST_ADMIN_TOKEN);
    const dead = (await app.inject({ method: 'GET', url: '/api/admin/webhooks/dead', headers: admin })).json();
    expect(dead).toMatchObject({ dead: [{ agencyId: 'damkar', attempts: 12, lastError: 'HTTP 503' }], pending: 0 });
    expect((await app.inject({ method: 'GET', url: '/api/admin/webhooks/dead', headers: op001 })).statusCode).toBe(403);
    // Nothing more is tried on its own.
    await h.clock.advance(3_600_000);
    expect(agency.received).toHaveLength(RETRY_POLICY.maxAttempts);
    fixed = true;
    const retried = await app.inject({ method: 'POST', url: `/api/admin/webhooks/${dead.dead[0].id}/retry`, headers: admin });
    expect(retried.statusCode).toBe(200);
    await waitFor(() => outbox()[0]!.delivered !== null, 'delivered after the retry');
    expect((await app.inject({ method: 'GET', url: '/api/admin/webhooks/dead', headers: admin })).json()).toEqual({ dead: [], pending: 0 });
    const again = await app.inject({ method: 'POST', url: `/api/admin/webhooks/${dead.dead[0].id}/retry`, headers: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toBe('dead-webhook-not-found');
    expect((await app.inject({ method: 'POST', url: '/api/admin/webhooks/zero/retry', headers: admin })).statusCode).toBe(400);
  });
});

describe('answers that end retrying, and results that cannot be written', () => {
  it('given an agency that refuses a webhook with 400, then it goes to the dead-letter list at once and the agency\'s next webhook is not held back; 429 is retried', async () => {
    await damkarWithWebhook((n) => (n === 1 ? { status: 400 } : n === 2 ? { status: 429 } : { status: 200 }));
    const dispatchId = await dispatchDamkar();
    await waitFor(() => outbox()[0]!.dead !== null, 'the refused webhook dead at once');
    expect(outbox()[0]!.attempts).toBe(1);
    expect((await app.inject({ method: 'GET', url: '/api/admin/webhooks/dead', headers: bearer(TEST_ADMIN_TOKEN) })).json().dead[0].lastError).toBe('HTTP 400 (refused by the agency: not retried)');
    expect((await step(dispatchId, 'acknowledge')).statusCode).toBe(200);
    await waitFor(() => outbox()[1]?.attempts === 1, 'the acknowledgement tried');
    expect(outbox()[1]!.dead).toBeNull();
    await h.clock.advance(1000);
    await waitFor(() => outbox()[1]!.delivered !== null, 'the acknowledgement delivered after the 429');
    expect(agency.received.map((r) => r.idempotencyKey)).toEqual([`dispatch-${dispatchId}-0`, `dispatch-${dispatchId}-1`, `dispatch-${dispatchId}-1`]);
  });
});
