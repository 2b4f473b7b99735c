import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PrincipalKind } from '../auth/principal.js';
import type { Supervision } from './supervision.js';
import { callIdParams } from '../calls/schemas.js';
import { errorBody } from '../http/errors.js';
import { monitorBody, monitorStarted } from './schemas.js';

const security = [{ bearer: [] }];

/** Supervisors listen to, whisper into, or barge into a live call from their own phone. */
export const supervisionRoutes = (supervision: Supervision): FastifyPluginAsyncZod => async (app) => {
  app.post('/calls/:id/monitor', {
    config: { allow: [PrincipalKind.supervisor] },
    schema: {
      summary: 'Ring my phone into a live call: listen, whisper (to the operator) or barge',
      security, params: callIdParams, body: monitorBody,
      response: { 202: monitorStarted, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 502: errorBody },
    },
  }, async (request, reply) => reply.status(202).send(await supervision.monitor(request.params.id, request.body.endpoint, request.body.mode)));
};
