import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../auth/auth-hook.js';
import { auditName, PrincipalKind } from '../../auth/principal.js';
import type { DispositionService } from '../../calls/disposition-service.js';
import type { PrankStatus } from '../../calls/prank-policy.js';
import {
  callIdParams, clearNumberBody, dispositionBody, dispositionRecord, errorBody, numberParams, prankStatusBody,
} from '../schemas.js';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const security = [{ bearer: [] }];

const statusJson = (status: PrankStatus) => ({ ...status, clearedAt: status.clearedAt === null ? null : new Date(status.clearedAt).toISOString() });

/** Dispositions and a number's standing, for API clients; a verdict is audited with who gave it. */
export const dispositionRoutes = (dispositions: DispositionService): FastifyPluginAsyncZod => async (app) => {
  app.post('/calls/:id/disposition', {
    config: { allow: [PrincipalKind.api] },
    schema: { summary: 'Record an operator\'s verdict on a call (audited)', security, params: callIdParams, body: dispositionBody, response: { 201: dispositionRecord, ...errors } },
  }, async (request, reply) => {
    const row = dispositions.dispose(request.params.id, request.body.disposition, request.body.note, auditName(principalOf(request)));
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
