import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { installAuth } from './auth/auth-hook.js';
import { credentialResolver } from './auth/credentials.js';
import { type Capability, capabilityPlugin } from './capability.js';
import { installErrorHandler } from './http/errors.js';
import { type HealthReport, healthRoutes } from './health-routes.js';
import { presenceRoutes } from './presence-routes.js';
import type { PresenceList } from './status-schemas.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  /** Every capability, in start order; each becomes one plugin with its routes and lifecycle. */
  capabilities: readonly Capability[];
  credentials: Parameters<typeof credentialResolver>[0];
  health: () => HealthReport;
  presence: () => PresenceList['contacts'];
}

/**
 * Builds the application: auth, the OpenAPI document, health, and one plugin per capability
 * (never listens: main.ts does, tests use inject). `app.ready()` starts the capabilities in
 * order, `app.close()` stops them.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // Request ids are unique across restarts: a 5xx body's ref finds its log line.
  const app = Fastify({ loggerInstance: options.logger, genReqId: () => randomUUID() }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // Before any route: every route registered from here on is checked for its declaration.
  installAuth(app, { resolve: credentialResolver(options.credentials), publicPrefixes: ['/docs'] });

  await app.register(swagger, {
    openapi: {
      info: { title: 'siaga112', description: '112 emergency call handling', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(options.health));
  await app.register(presenceRoutes(options.presence), { prefix: '/api' });
  // The prefixes are the URLs clients already use; who may call each route is its own declaration.
  for (const capability of options.capabilities) await app.register(capabilityPlugin(capability));
  return app;
}
