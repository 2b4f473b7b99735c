import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/auth-hook.js';
import { auditName, PrincipalKind } from '../auth/principal.js';
import { errorBody } from '../http/errors.js';
import { type AgencyDirectory, viewOfAgency } from './agency-directory.js';
import { agencyIdSchema } from './agency-routing.js';
import { agencyChangedBody, agencyCreateBody, agencyUpdateBody, agencyView } from './agency-schemas.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const agencyParams = z.object({ id: agencyIdSchema });

/** The agencies, for everyone who dispatches or follows dispatches (no secrets in it). */
export const agencyRoutes = (directory: AgencyDirectory): FastifyPluginAsyncZod => async (app) => {
  app.get('/agencies', {
    config: { allow: [PrincipalKind.operator, PrincipalKind.supervisor, PrincipalKind.api, PrincipalKind.admin] },
    schema: { summary: 'The agencies incidents are dispatched to', security, response: { 200: z.object({ agencies: z.array(agencyView) }), ...errors } },
  }, async () => ({ agencies: directory.list().map(viewOfAgency) }));
};

/** Admins edit the agencies: details, what they serve, their webhook and key, their API tokens. */
export const adminAgencyRoutes = (directory: AgencyDirectory): FastifyPluginAsyncZod => async (app) => {
  const config = { allow: [PrincipalKind.admin] } as const;
  const changed = (result: ReturnType<AgencyDirectory['update']>) => ({ agency: viewOfAgency(result.agency), ...(result.signingKey ? { signingKey: result.signingKey } : {}) });

  app.post('/agencies', {
    config,
    schema: { summary: 'Add an agency (a webhook gets a signing key, shown this once)', security, body: agencyCreateBody, response: { 201: agencyChangedBody, ...errors } },
  }, async (request, reply) => reply.status(201).send(changed(directory.create(request.body, auditName(principalOf(request))))));

  app.patch('/agencies/:id', {
    config,
    schema: { summary: 'Change an agency (only the fields given)', security, params: agencyParams, body: agencyUpdateBody, response: { 200: agencyChangedBody, ...errors } },
  }, async (request) => changed(directory.update(request.params.id, request.body, auditName(principalOf(request)))));

  app.post('/agencies/:id/signing-key', {
    config,
    schema: { summary: 'Replace the agency\'s webhook signing key (the new key is shown this once)', security, params: agencyParams, response: { 201: agencyChangedBody.required({ signingKey: true }), ...errors } },
  }, async (request, reply) => {
    const result = directory.rotateSigningKey(request.params.id, auditName(principalOf(request)));
    return reply.status(201).send({ agency: viewOfAgency(result.agency), signingKey: result.signingKey });
  });

  app.post('/agencies/:id/tokens', {
    config,
    schema: {
      summary: 'Issue an API token for the agency\'s own system (shown this once)', security, params: agencyParams,
      response: { 201: z.object({ agencyId: agencyIdSchema, token: z.string() }), ...errors },
    },
  }, async (request, reply) => reply.status(201).send({ agencyId: request.params.id, token: directory.issueToken(request.params.id, auditName(principalOf(request))) }));

  app.delete('/agencies/:id/tokens', {
    config,
    schema: { summary: 'Revoke every API token of the agency', security, params: agencyParams, response: { 200: z.object({ revoked: z.number().int() }), ...errors } },
  }, async (request) => ({ revoked: directory.revokeTokens(request.params.id) }));
};
