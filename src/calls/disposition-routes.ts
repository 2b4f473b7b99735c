import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/auth-hook.js';
import { ensureOwnCallIfOperator } from '../auth/call-ownership.js';
import { auditName, PrincipalKind } from '../auth/principal.js';
import type { DispositionService } from './disposition-service.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { PrankStatus } from './prank-policy.js';
import { callIdParams, clearNumberBody, dispositionBody, dispositionRecord, numberParams, prankStatusBody } from './schemas.js';
import { errorBody } from '../http/errors.js';
import { DomainError } from '../http/errors.js';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const security = [{ bearer: [] }];

const statusJson = (status: PrankStatus) => ({ ...status, clearedAt: status.clearedAt === null ? null : new Date(status.clearedAt).toISOString() });

/**
 * Dispositions and a number's standing, for API clients; an operator may also record the verdict
 * on a call they handled. The verdict is audited with the principal who gave it.
 */
export const dispositionRoutes = (dispositions: DispositionService, calls: CallsRepository): FastifyPluginAsyncZod => async (app) => {
  app.post('/calls/:id/disposition', {
    config: { allow: [PrincipalKind.api, PrincipalKind.operator] },
    schema: { summary: 'Record an operator\'s verdict on a call (audited)', security, params: callIdParams, body: dispositionBody, response: { 201: dispositionRecord, ...errors } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const call = calls.findById(request.params.id);
    if (!call) throw new DomainError(404, 'call-not-found', `no call ${request.params.id}`);
    ensureOwnCallIfOperator(principal, call);
    const row = dispositions.dispose(call.id, request.body.disposition, request.body.note, auditName(principal));
    return reply.status(201).send({ ...row, at: new Date(row.at).toISOString() });
  });

  app.get('/numbers/:number', {
    config: { allow: [PrincipalKind.api] },
    schema: { summary: 'Prank marks and prank-lane standing of a number', security, params: numberParams, response: { 200: prankStatusBody, ...errors } },
  }, async (request) => statusJson(dispositions.status(request.params.number)));
};

/** Admins: clear a number so its earlier prank marks stop counting (audited). */
export const adminNumberRoutes = (dispositions: DispositionService): FastifyPluginAsyncZod => async (app) => {
  app.post('/numbers/:number/clear', {
    config: { allow: [PrincipalKind.admin] },
    schema: { summary: 'Clear a number from the prank lane', security, params: numberParams, body: clearNumberBody, response: { 200: prankStatusBody, ...errors } },
  }, async (request) => statusJson(dispositions.clear(request.params.number, auditName(principalOf(request)), request.body.reason)));
};
