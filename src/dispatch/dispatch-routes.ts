import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import type { DispatchRepository, OutboxRow } from '../db/dispatch-repository.js';
import { DomainError, errorBody } from '../http/errors.js';
import { dispatchEventSchema } from './dispatch-lifecycle.js';
import { dispatchIdParams, dispatchListQuery, dispatchView } from './dispatch-schemas.js';
import { type DispatchService, viewOfDispatch } from './dispatch-service.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
/** Who follows dispatches: the centre's people, API clients, and each agency for its own. */
const readers = [PrincipalKind.operator, PrincipalKind.supervisor, PrincipalKind.api, PrincipalKind.agency] as const;

/** Dispatches and their steps; an agency's token sees and changes only that agency's. */
export const dispatchRoutes = (dispatches: DispatchService): FastifyPluginAsyncZod => async (app) => {
  app.get('/dispatches', {
    config: { allow: readers },
    schema: { summary: 'The newest dispatches (an agency: its own)', security, querystring: dispatchListQuery, response: { 200: z.object({ dispatches: z.array(dispatchView) }), ...errors } },
  }, async (request) => ({ dispatches: dispatches.recent(principalOf(request), request.query.limit).map(viewOfDispatch) }));

  app.get('/dispatches/:id', {
    config: { allow: readers },
    schema: { summary: 'One dispatch with its timeline', security, params: dispatchIdParams, response: { 200: dispatchView, ...errors } },
  }, async (request) => viewOfDispatch(dispatches.get(request.params.id, principalOf(request))));

  app.post('/dispatches/:id/events', {
    config: { allow: [PrincipalKind.operator, PrincipalKind.supervisor, PrincipalKind.agency] },
    schema: {
      summary: 'Report a step: acknowledge, en-route, on-scene, resolve, or cancel with a reason (409 with the current state when it does not move forward)',
      security, params: dispatchIdParams, body: dispatchEventSchema, response: { 200: dispatchView, ...errors },
    },
  }, async (request) => viewOfDispatch(dispatches.change(request.params.id, request.body, principalOf(request))));
};

const outboxEntryJson = z.object({
  id: z.number().int(), agencyId: z.string(), idempotencyKey: z.string(), attempts: z.number().int(),
  createdAt: z.string(), firstAttemptAt: z.string().nullable(), deadAt: z.string().nullable(), lastError: z.string().nullable(),
});
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const entryJson = (row: OutboxRow) => ({
  id: row.id, agencyId: row.agencyId, idempotencyKey: row.idempotencyKey, attempts: row.attempts,
  createdAt: new Date(row.createdAt).toISOString(), firstAttemptAt: iso(row.firstAttemptAt), deadAt: iso(row.deadAt), lastError: row.lastError,
});

/** Admins: webhooks that stopped retrying, and a retry once the agency's endpoint is fixed. */
export const adminOutboxRoutes = (repo: DispatchRepository, now: () => number, kick: () => void): FastifyPluginAsyncZod => async (app) => {
  const config = { allow: [PrincipalKind.admin] } as const;
  app.get('/webhooks/dead', {
    config,
    schema: { summary: 'Webhooks on the dead-letter list', security, response: { 200: z.object({ dead: z.array(outboxEntryJson), pending: z.number().int() }), ...errors } },
  }, async () => ({ dead: repo.deadLetters(500).map(entryJson), pending: repo.pendingCount() }));

  app.post('/webhooks/:id/retry', {
    config,
    schema: { summary: 'Send a dead webhook again (a fresh retry budget)', security, params: z.object({ id: z.coerce.number().int().min(1) }), response: { 200: outboxEntryJson, ...errors } },
  }, async (request) => {
    if (!repo.revive(request.params.id, now())) throw new DomainError(404, 'dead-webhook-not-found', `no dead webhook ${request.params.id}`);
    kick();
    return entryJson(repo.outboxEntry(request.params.id)!);
  });
};
