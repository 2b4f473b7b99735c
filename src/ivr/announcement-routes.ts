import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PrincipalKind } from '../auth/principal.js';
import { type Announcement, announcementInput, announcementSchema, type AnnouncementService } from './announcement-service.js';
import { errorBody } from '../http/errors.js';

const announcementJson = announcementSchema.extend({ startedAt: z.string() });
const toJson = (a: Announcement) => ({ ...a, startedAt: new Date(a.startedAt).toISOString() });
const security = [{ bearer: [] }];
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 503: errorBody };
/** Admins, and supervisors: a mass-call event is theirs to announce (a surge accepted, a fire seen on the wall). */
const config = { allow: [PrincipalKind.admin, PrincipalKind.supervisor] } as const;

/** Mass-call announcement: on, off and the current one, at run time. */
export const announcementRoutes = (announcements: AnnouncementService): FastifyPluginAsyncZod => async (app) => {
  app.get('/announcement', {
    config,
    schema: { summary: 'The active mass-call announcement', security, response: { 200: z.object({ active: announcementJson.nullable() }), ...errors } },
  }, async () => {
    const current = announcements.current();
    return { active: current ? toJson(current) : null };
  });

  app.post('/announcement', {
    config,
    schema: { summary: 'Switch a mass-call announcement on (new calls hear it first)', security, body: announcementInput, response: { 201: announcementJson, ...errors } },
  }, async (request, reply) => reply.status(201).send(toJson(await announcements.start(request.body))));

  app.delete('/announcement', {
    config,
    schema: { summary: 'Switch the mass-call announcement off', security, response: { 204: z.null(), ...errors } },
  }, async (_request, reply) => {
    if (!announcements.stop()) return reply.status(404).send({ error: 'no-announcement', message: 'no announcement is active' });
    return reply.status(204).send(null);
  });
};
