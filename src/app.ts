import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import {
  type FastifyPluginAsyncZod, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { installAuth } from './auth/auth-hook.js';
import { credentialResolver } from './auth/credentials.js';
import { PrincipalKind } from './auth/principal.js';
import type { CallsRepository } from './db/calls-repository.js';
import type { DispositionService } from './calls/disposition-service.js';
import type { FlowService } from './ivr/flow-service.js';
import type { AnnouncementService } from './ivr/announcement-service.js';
import { announcementRoutes } from './http/routes/announcements.js';
import { promptUploadRoutes } from './http/routes/prompt-uploads.js';
import type { PromptUploads } from './ivr/prompt-uploads.js';
import { adminNumberRoutes, dispositionRoutes } from './http/routes/dispositions.js';
import { adminIvrRoutes } from './http/routes/admin-ivr.js';
import { installErrorHandler } from './http/errors.js';
import { callRoutes } from './http/routes/calls.js';
import { type HealthReport, healthRoutes } from './http/routes/health.js';
import { presenceRoutes } from './http/routes/presence.js';
import type { PresenceList } from './http/schemas.js';
import type { OperatorService } from './operators/operator-service.js';
import { adminOperatorRoutes, forceOperatorStateRoutes, operatorListRoutes, operatorSelfRoutes } from './http/routes/operators.js';
import { type QueueFeed, queueRoutes } from './http/routes/queue.js';
import { recordingRoutes } from './http/routes/recordings.js';
import type { RecordingStore } from './recordings/recording-store.js';
import type { Transfers } from './queue/transfers.js';
import type { Supervision } from './queue/supervision.js';
import { supervisionRoutes } from './http/routes/supervision.js';
import { callbackRoutes } from './http/routes/callbacks.js';
import type { CallbackService } from './callbacks/callback-service.js';

export interface AppDeps {
  apiToken: string;
  adminToken: string;
  flows: FlowService;
  dispositions: DispositionService;
  announcements: AnnouncementService;
  promptUploads: PromptUploads;
  calls: CallsRepository;
  health: () => HealthReport;
  presence: () => PresenceList['contacts'];
  logger: FastifyBaseLogger;
  operators: OperatorService;
  /** Each operator's own bearer token, by operator id. */
  operatorTokens: Record<string, string>;
  supervisorToken: string;
  queue: QueueFeed;
  recordings: RecordingStore;
  transfers: Transfers;
  supervision: Supervision;
  callbacks: CallbackService;
}

/** Route plugins mounted under one prefix; each route says who may call it (src/auth checks). */
function mounted(routes: FastifyPluginAsyncZod[]): FastifyPluginAsync {
  return async (scope) => {
    for (const plugin of routes) await scope.register(plugin);
  };
}

/** Builds the HTTP application (never listens: main.ts does, tests use inject). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Request ids are unique across restarts: a 5xx body's ref finds its log line.
  const app = Fastify({ loggerInstance: deps.logger, genReqId: () => randomUUID() }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // Before any route: every route registered from here on is checked for its declaration.
  installAuth(app, {
    resolve: credentialResolver({ apiToken: deps.apiToken, supervisorToken: deps.supervisorToken, adminToken: deps.adminToken, operatorTokens: deps.operatorTokens }),
    publicPrefixes: ['/docs'],
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'siaga112', description: '112 emergency call handling', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(deps.health));
  // The prefixes are the URLs clients already use; who may call each route is its own declaration.
  await app.register(mounted([
    callRoutes(deps.calls), presenceRoutes(deps.presence), dispositionRoutes(deps.dispositions, deps.calls),
    operatorListRoutes(deps.operators), queueRoutes(deps.queue, [PrincipalKind.api, PrincipalKind.supervisor]),
    operatorSelfRoutes(deps.operators, deps.transfers), callbackRoutes(deps.callbacks),
  ]), { prefix: '/api' });
  await app.register(mounted([
    queueRoutes(deps.queue, [PrincipalKind.supervisor]), recordingRoutes(deps.recordings), supervisionRoutes(deps.supervision),
    forceOperatorStateRoutes(deps.operators, [PrincipalKind.supervisor]),
  ]), { prefix: '/api/supervisor' });
  await app.register(mounted([
    adminIvrRoutes(deps.flows), adminNumberRoutes(deps.dispositions), announcementRoutes(deps.announcements),
    promptUploadRoutes(deps.promptUploads), adminOperatorRoutes(deps.operators), forceOperatorStateRoutes(deps.operators, [PrincipalKind.admin]),
  ]), { prefix: '/api/admin' });
  return app;
}
