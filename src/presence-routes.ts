import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PrincipalKind } from './auth/principal.js';
import { errorBody } from './http/errors.js';
import { presenceList, type PresenceList } from './status-schemas.js';

/** Registered SIP contacts (operator softphones) and their reachability, from AMI. */
export const presenceRoutes = (contacts: () => PresenceList['contacts']): FastifyPluginAsyncZod => async (app) => {
  app.get('/presence', {
    config: { allow: [PrincipalKind.api] },
    schema: {
      summary: 'Registered softphones and whether they answer',
      security: [{ bearer: [] }],
      response: { 200: presenceList, 401: errorBody, 403: errorBody },
    },
  }, async () => ({ contacts: contacts() }));
};
