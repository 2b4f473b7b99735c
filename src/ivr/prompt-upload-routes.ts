import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PrincipalKind } from '../auth/principal.js';
import { languageSchema } from './flow-schema.js';
import type { PromptUploads } from './prompt-uploads.js';
import { errorBody } from '../http/errors.js';

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** PUT a WAV recording to replace a prompt of the active flow (Content-Type: audio/wav). */
export const promptUploadRoutes = (uploads: PromptUploads): FastifyPluginAsyncZod => async (app) => {
  app.addContentTypeParser(['audio/wav', 'audio/x-wav', 'audio/wave'], { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => {
    done(null, body);
  });
  app.put('/ivr/prompts/:flowId/:promptId/:language', {
    config: { allow: [PrincipalKind.admin] },
    schema: {
      summary: 'Replace a prompt with a recording (8 kHz mono WAV, PCM or G.711, at most 30 s)',
      security: [{ bearer: [] }],
      params: z.object({ flowId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), promptId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), language: languageSchema }),
      response: {
        200: z.object({ flowId: z.string(), promptId: z.string(), language: z.string(), sound: z.string(), durationMs: z.number() }),
        400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 413: errorBody, 415: errorBody, 422: errorBody,
      },
    },
  }, async (request) => {
    if (!Buffer.isBuffer(request.body)) {
      throw Object.assign(new Error('send the recording as the body with Content-Type: audio/wav'), { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const { flowId, promptId, language } = request.params;
    return uploads.upload(flowId, promptId, language, request.body);
  });
};
