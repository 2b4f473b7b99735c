import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { health } from './status-schemas.js';

export type HealthReport = z.infer<typeof health>;

/**
 * Liveness for load balancers and Docker: ARI, AMI and database status and the admission limits.
 * Unauthenticated on purpose (it holds no call data); 503 when siaga112 cannot take calls itself.
 */
export const healthRoutes = (report: () => HealthReport): FastifyPluginAsyncZod => async (app) => {
  app.get('/health', {
    config: { allow: 'public' },
    schema: { summary: 'Service health', response: { 200: health, 503: health } },
  }, async (_request, reply) => {
    const current = report();
    return reply.status(current.status === 'ok' ? 200 : 503).send(current);
  });
};
