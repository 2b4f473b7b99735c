import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { operatorIdOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import { errorBody } from '../http/errors.js';
import { transferBody, transferStarted } from './schemas.js';
import type { Transfers } from './transfers.js';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const security = [{ bearer: [] }];
const operatorsOnly = { allow: [PrincipalKind.operator] } as const;

/** An operator dials an agency into the call they are on. */
export const transferRoutes = (transfers: Transfers): FastifyPluginAsyncZod => async (app) => {
  app.post('/operator/transfer', {
    config: operatorsOnly,
    schema: {
      summary: 'Dial an agency into my current call; stay (conference) or leave once it answers (hand-over)',
      security, body: transferBody, response: { 202: transferStarted, ...errors, 502: errorBody },
    },
  }, async (request, reply) => reply.status(202).send(await transfers.transfer(operatorIdOf(request), request.body.agency, request.body.stay)));
};
