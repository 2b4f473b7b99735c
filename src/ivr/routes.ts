import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PrincipalKind } from '../auth/principal.js';
import type { FlowService } from './flow-service.js';
import { simulatedInputSchema } from './simulation.js';
import { activateBody, createFlowBody, diffQuery, flowIdParams, flowVersionInfo, versionParams } from './schemas.js';
import { errorBody } from '../http/errors.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody };
const config = { allow: [PrincipalKind.admin] } as const;

/** IVR flow administration: validate, save, list, activate, roll back, diff, simulate. */
export const adminIvrRoutes = (flows: FlowService): FastifyPluginAsyncZod => async (app) => {
  app.post('/ivr/validate', {
    config,
    schema: { summary: 'Validate a flow without saving it', security, body: z.unknown(), response: { 200: z.object({ ok: z.literal(true) }), ...errors } },
  }, async (request) => {
    flows.check(request.body);
    return { ok: true as const };
  });

  app.post('/ivr/flows', {
    config,
    schema: { summary: 'Save a new version of a flow (not active yet)', security, body: createFlowBody, response: { 201: flowVersionInfo, ...errors } },
  }, async (request, reply) => reply.status(201).send(flows.create(request.body.flow, request.body.note)));

  app.get('/ivr/flows', {
    config,
    schema: {
      summary: 'Flows with their versions and the active one', security,
      response: { 200: z.object({ flows: z.array(z.object({ flowId: z.string(), activeVersion: z.number().nullable(), versions: z.array(flowVersionInfo) })) }), ...errors },
    },
  }, async () => ({ flows: flows.list() }));

  app.get('/ivr/versions/:version', {
    config,
    schema: { summary: 'One stored version', security, params: versionParams, response: { 200: z.object({ info: flowVersionInfo, flow: z.unknown() }), ...errors } },
  }, async (request) => flows.document(request.params.version));

  app.post('/ivr/flows/:flowId/activate', {
    config,
    schema: { summary: 'Make a version active: the next call uses it, calls in progress keep theirs', security, params: flowIdParams, body: activateBody, response: { 200: flowVersionInfo, ...errors } },
  }, async (request) => flows.activate(request.params.flowId, request.body.version));

  app.post('/ivr/flows/:flowId/rollback', {
    config,
    schema: { summary: 'Re-activate the previously active version', security, params: flowIdParams, response: { 200: flowVersionInfo, ...errors } },
  }, async (request) => flows.rollback(request.params.flowId));

  app.get('/ivr/flows/:flowId/diff', {
    config,
    schema: { summary: 'What changed between two versions', security, params: flowIdParams, querystring: diffQuery, response: { 200: z.unknown(), ...errors } },
  }, async (request) => flows.diff(request.params.flowId, request.query.from, request.query.to));

  app.post('/ivr/:version/simulate', {
    config,
    schema: {
      summary: 'Dry-run a version with caller inputs (digits, silence, talking, hangup)', security, params: versionParams,
      body: z.object({ inputs: z.array(simulatedInputSchema).max(100), dialled: z.string().regex(/^[0-9]{3,6}$/).default('112') }),
      response: { 200: z.unknown(), ...errors },
    },
  }, async (request) => flows.simulate(request.params.version, request.body.inputs, request.body.dialled));
};
