import { randomUUID } from 'node:crypto';
import bearerAuth from '@fastify/bearer-auth';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import {
  type FastifyPluginAsyncZod, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
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
import { adminOperatorRoutes, forceOperatorStateRoutes, operatorListRoutes, operatorSelfRoutes, requestOperator } from './http/routes/operators.js';
import { type QueueFeed, queueRoutes } from './http/routes/queue.js';
import { tokenOwners } from './http/token-auth.js';
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

/** An encapsulated scope whose routes all require `token` as a bearer token. */
function tokenScope(token: string, routes: FastifyPluginAsyncZod[]): FastifyPluginAsync {
  return async (scope) => {
    await scope.register(bearerAuth, {
      keys: new Set([token]),
      errorResponse: (error) => ({ error: 'unauthorized', message: error.message }),
    });
    for (const plugin of routes) await scope.register(plugin);
  };
}

/** A scope whose routes take any operator's token; each request knows whose it was. */
function operatorScope(tokens: Record<string, string>, routes: FastifyPluginAsyncZod[]): FastifyPluginAsync {
  const ownerOf = tokenOwners(tokens);
  return async (scope) => {
    await scope.register(bearerAuth, {
      keys: [],
      auth: (key, request) => {
        const operatorId = ownerOf(key);
        if (operatorId) requestOperator.set(request, operatorId);
        return operatorId !== undefined;
      },
      errorResponse: (error) => ({ error: 'unauthorized', message: error.message }),
    });
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

  await app.register(swagger, {
    openapi: {
      info: { title: 'siaga112', description: '112 emergency call handling', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(deps.health));
  await app.register(tokenScope(deps.apiToken, [
    callRoutes(deps.calls), presenceRoutes(deps.presence), dispositionRoutes(deps.dispositions),
    operatorListRoutes(deps.operators), queueRoutes(deps.queue),
  ]), { prefix: '/api' });
  // Sibling scopes under /api with their own tokens: each operator's, and the supervisors'.
  await app.register(operatorScope(deps.operatorTokens, [operatorSelfRoutes(deps.operators, deps.transfers), callbackRoutes(deps.callbacks)]), { prefix: '/api' });
  await app.register(tokenScope(deps.supervisorToken, [
    queueRoutes(deps.queue), recordingRoutes(deps.recordings), supervisionRoutes(deps.supervision), forceOperatorStateRoutes(deps.operators, 'supervisor'),
  ]), { prefix: '/api/supervisor' });
  // A sibling scope, not a child of /api: admin routes take the admin token only.
  await app.register(tokenScope(deps.adminToken, [
    adminIvrRoutes(deps.flows), adminNumberRoutes(deps.dispositions), announcementRoutes(deps.announcements),
    promptUploadRoutes(deps.promptUploads), adminOperatorRoutes(deps.operators), forceOperatorStateRoutes(deps.operators, 'admin'),
  ]), { prefix: '/api/admin' });
  return app;
}
