import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PrincipalKind } from '../auth/principal.js';
import { errorBody } from '../http/errors.js';

/** The scrape: Prometheus's text format, as prom-client writes it. */
export interface Exposition {
  contentType: string;
  text: string;
}

/**
 * GET /metrics for Prometheus: the scraper's own token, or (when so configured) no token from
 * this host. Counts and durations only: no call id, number or name is ever a label.
 */
export const metricsRoutes = (exposition: () => Promise<Exposition>, loopbackWithoutToken: boolean): FastifyPluginAsyncZod => async (app) => {
  app.get('/metrics', {
    config: { allow: [PrincipalKind.metrics], loopbackWithoutToken },
    schema: {
      summary: 'Prometheus metrics: queue, operators, service level, calls, ARI, outbox, process (text exposition format 0.0.4)',
      security: [{ bearer: [] }], produces: ['text/plain'],
      response: { 200: z.string().describe('text/plain; version=0.0.4'), 401: errorBody, 403: errorBody },
    },
  }, async (_request, reply) => {
    const { contentType, text } = await exposition();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(text);
  });
};
