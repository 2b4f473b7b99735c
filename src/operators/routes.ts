import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AllowedKinds } from '../auth/access.js';
import { operatorIdOf, principalOf } from '../auth/auth-hook.js';
import { auditName, PrincipalKind } from '../auth/principal.js';
import type { OperatorService, OperatorStatus } from './operator-service.js';
import { errorBody } from '../http/errors.js';
import { forceStateBody, type OperatorStatusBody, operatorIdParams, operatorStatus, pauseBody, skillsBody } from './schemas.js';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const security = [{ bearer: [] }];
const operatorsOnly = { allow: [PrincipalKind.operator] } as const;

export function operatorJson(o: OperatorStatus): OperatorStatusBody {
  return { ...o, stateSince: new Date(o.stateSince).toISOString(), idleSince: new Date(o.idleSince).toISOString() };
}

/** An operator's own state: each operator's token acts on that operator only. */
export const operatorSelfRoutes = (operators: OperatorService): FastifyPluginAsyncZod => async (app) => {
  const response = { 200: operatorStatus, ...errors };
  app.get('/operator', { config: operatorsOnly, schema: { summary: 'My state and presence', security, response } },
    async (request) => operatorJson(operators.status(operatorIdOf(request))));
  app.post('/operator/login', { config: operatorsOnly, schema: { summary: 'Log in: calls may be offered', security, response } },
    async (request) => operatorJson(operators.login(operatorIdOf(request))));
  app.post('/operator/logout', { config: operatorsOnly, schema: { summary: 'Log out', security, response } },
    async (request) => operatorJson(operators.logout(operatorIdOf(request))));
  app.post('/operator/pause', { config: operatorsOnly, schema: { summary: 'Pause with a reason', security, body: pauseBody, response } },
    async (request) => operatorJson(operators.pause(operatorIdOf(request), request.body.reason)));
  app.post('/operator/resume', { config: operatorsOnly, schema: { summary: 'Resume taking calls', security, response } },
    async (request) => operatorJson(operators.resume(operatorIdOf(request))));
};

/** Everyone's state, for wallboards (API token). */
export const operatorListRoutes = (operators: OperatorService): FastifyPluginAsyncZod => async (app) => {
  app.get('/operators', {
    config: { allow: [PrincipalKind.api] },
    schema: { summary: 'All operators with state and presence', security, response: { 200: operatorStatus.array(), ...errors } },
  }, async () => operators.list().map(operatorJson));
};

/**
 * A supervisor (or an admin, under /api/admin) forces an operator's state: the way out when a
 * state is wrong and nobody else can fix it. Audited with the principal and the reason given.
 * Mounted once per prefix, each mount saying who it serves.
 */
export const forceOperatorStateRoutes = (operators: OperatorService, allow: AllowedKinds): FastifyPluginAsyncZod => async (app) => {
  app.post('/operators/:operatorId/state', {
    config: { allow },
    schema: { summary: 'Force an operator\'s state (available, paused, offline), with a reason', security, params: operatorIdParams, body: forceStateBody, response: { 200: operatorStatus, ...errors } },
  }, async (request) => operatorJson(operators.force(request.params.operatorId, request.body.state, auditName(principalOf(request)), request.body.reason)));
};

/** Admins set who takes which language and category (used by the skills strategy). */
export const adminOperatorRoutes = (operators: OperatorService): FastifyPluginAsyncZod => async (app) => {
  app.put('/operators/:operatorId/skills', {
    config: { allow: [PrincipalKind.admin] },
    schema: { summary: 'Set an operator\'s languages and categories', security, params: operatorIdParams, body: skillsBody, response: { 200: operatorStatus, ...errors } },
  }, async (request) => operatorJson(operators.setSkills(request.params.operatorId, request.body.languages, request.body.categories)));
};
