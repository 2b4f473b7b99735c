import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import { errorBody } from '../http/errors.js';
import { surgeSuggestionSchema } from './surge-detection.js';
import { acceptSurgeBody, type SurgeService } from './surge-service.js';

const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const config = { allow: [PrincipalKind.supervisor] } as const;
const keyParams = z.object({ key: z.string().min(1).max(300) });
const suggestionJson = surgeSuggestionSchema.extend({ firstAt: z.string(), lastAt: z.string() });

/** Supervisors: mass-call events siaga112 suggests, and their decision on each (audited). */
export const surgeRoutes = (surges: SurgeService): FastifyPluginAsyncZod => async (app) => {
  app.get('/surges', {
    config,
    schema: { summary: 'Suggested mass-call events (many calls about one place or category)', security, response: { 200: z.object({ suggestions: z.array(suggestionJson) }), ...errors } },
  }, async () => ({
    suggestions: surges.suggestions().map((s) => ({ ...s, firstAt: new Date(s.firstAt).toISOString(), lastAt: new Date(s.lastAt).toISOString() })),
  }));

  app.post('/surges/:key/accept', {
    config,
    schema: {
      summary: 'Accept a surge: one incident for its calls, the mass-call announcement on with the incident\'s tag', security, params: keyParams, body: acceptSurgeBody,
      response: { 201: z.object({ incidentId: z.uuid(), eventTag: z.string(), announcementId: z.number().int(), linked: z.array(z.string()) }), ...errors },
    },
  }, async (request, reply) => reply.status(201).send(await surges.accept(request.params.key, request.body, principalOf(request))));

  app.post('/surges/:key/dismiss', {
    config,
    schema: { summary: 'Dismiss a surge suggestion (it is not offered again)', security, params: keyParams, response: { 204: z.null(), ...errors } },
  }, async (request, reply) => {
    surges.dismiss(request.params.key, principalOf(request));
    return reply.status(204).send(null);
  });
};
