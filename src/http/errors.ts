import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { DomainError } from '../errors.js';
import { isLocked } from '../db/write-behind.js';

export { DomainError };

/** The body of every error the API sends, whichever route or handler sends it. */
export const errorBody = z.object({
  error: z.string(), message: z.string(), details: z.unknown().optional(),
  ref: z.string().optional().describe('5xx only: the id under which the server log has the details'),
});
export type ErrorBody = z.infer<typeof errorBody>;

/**
 * One error handler for the API: validation failures are 400 with a message that names the
 * field, domain errors carry their own status, and anything else is a 500 whose body says
 * nothing about internals (the log has the details).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const message = error.validation
        .map((issue) => {
          const where = `${error.validationContext ?? 'request'}${issue.instancePath ? issue.instancePath.replaceAll('/', '.') : ''}`;
          return `${where}: ${issue.message}`;
        })
        .join('; ');
      return reply.status(400).send({ error: 'invalid-request', message } satisfies ErrorBody);
    }
    if (error instanceof DomainError) {
      const body: ErrorBody = { error: error.errorId, message: error.message };
      if (error.details !== undefined) body.details = error.details;
      if (error.status >= 500) {
        // What Asterisk or the network said stays in the log, under the id the client gets.
        request.log.error({ errorId: error.errorId, cause: String(error.cause) }, error.message);
        body.ref = request.id;
      }
      return reply.status(error.status).send(body);
    }
    if (isLocked(error)) {
      request.log.error({ err: error }, 'database locked by another process');
      return reply.status(503).send({ error: 'database-busy', message: 'the database is busy; try again in a moment', ref: request.id } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      return reply.status(status).send({ error: error.code?.toLowerCase().replaceAll('_', '-') ?? 'bad-request', message: error.message } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'internal-error', message: 'internal error', ref: request.id } satisfies ErrorBody);
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}` } satisfies ErrorBody);
  });
}
