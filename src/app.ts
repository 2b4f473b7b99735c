import bearerAuth from '@fastify/bearer-auth';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { CallsRepository } from './db/calls-repository.js';
import type { DispositionService } from './calls/disposition-service.js';
import type { FlowService } from './ivr/flow-service.js';
import type { AnnouncementService } from './ivr/announcement-service.js';
import { announcementRoutes } from './http/routes/announcements.js';
import { adminNumberRoutes, dispositionRoutes } from './http/routes/dispositions.js';
import { adminIvrRoutes } from './http/routes/admin-ivr.js';
import { installErrorHandler } from './http/errors.js';
import { callRoutes } from './http/routes/calls.js';
import { type HealthReport, healthRoutes } from './http/routes/health.js';
import { presenceRoutes } from './http/routes/presence.js';
import type { PresenceList } from './http/schemas.js';

export interface AppDeps {
  apiToken: string;
  adminToken: string;
  flows: FlowService;
  dispositions: DispositionService;
  announcements: AnnouncementService;
  calls: CallsRepository;
  health: () => HealthReport;
  presence: () => PresenceList['contacts'];
  logger: FastifyBaseLogger;
}

/** Builds the HTTP application (never listens: main.ts does, tests use inject). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'siaga112', description: '112 emergency call handling', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(deps.health));
  await app.register(async (api) => {
    await api.register(bearerAuth, {
      keys: new Set([deps.apiToken]),
      errorResponse: (error) => ({ error: 'unauthorized', message: error.message }),
    });
    await api.register(callRoutes(deps.calls));
    await api.register(presenceRoutes(deps.presence));
    await api.register(dispositionRoutes(deps.dispositions));
  }, { prefix: '/api' });
  // A sibling scope, not a child of /api: admin routes take the admin token only.
  await app.register(async (admin) => {
    await admin.register(bearerAuth, {
      keys: new Set([deps.adminToken]),
      errorResponse: (error) => ({ error: 'unauthorized', message: error.message }),
    });
    await admin.register(adminIvrRoutes(deps.flows));
    await admin.register(adminNumberRoutes(deps.dispositions));
    await admin.register(announcementRoutes(deps.announcements));
  }, { prefix: '/api/admin' });
  return app;
}
