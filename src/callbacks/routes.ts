import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { operatorIdOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import type { CallbackService } from './callback-service.js';
import { callbackStatusSchema } from './callback-status.js';
import type { CallbackRow } from '../db/callbacks-repository.js';
import { callbackIdParams, callbackRecord } from './schemas.js';
import { errorBody } from '../http/errors.js';

const security = [{ bearer: [] }];
const config = { allow: [PrincipalKind.operator] } as const;

function toJson(row: CallbackRow) {
  return { ...row, status: callbackStatusSchema.parse(row.status), createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}

/** Operators see the callers owed a callback and call one back from their own phone. */
export const callbackRoutes = (callbacks: CallbackService): FastifyPluginAsyncZod => async (app) => {
  app.get('/callbacks', {
    config,
    schema: { summary: 'Abandoned callers still owed a callback, newest first', security, response: { 200: callbackRecord.array(), 401: errorBody, 403: errorBody } },
  }, async () => callbacks.owed().map(toJson));

  app.post('/callbacks/:id', {
    config,
    schema: {
      summary: 'Call the citizen back: my phone rings first, then the citizen is dialled through the trunk',
      security, params: callbackIdParams, response: { 202: callbackRecord, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 502: errorBody },
    },
  }, async (request, reply) => reply.status(202).send(toJson(await callbacks.callBack(request.params.id, operatorIdOf(request)))));
};
