import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PrincipalKind } from '../auth/principal.js';
import type { RecordingStore } from './recording-store.js';
import { callIdParams } from '../calls/schemas.js';
import { errorBody } from '../http/errors.js';

const security = [{ bearer: [] }];
const config = { allow: [PrincipalKind.supervisor] } as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const recordingList = z.object({
  total: z.number().int(),
  items: z.array(z.object({
    callId: z.string(), name: z.string(), callerNumber: z.string(), operatorId: z.string().nullable(),
    connectedAt: z.string().nullable(), endedAt: z.string().nullable(),
  })),
});
/** The WAV file as a stream; Fastify sends streams as they are. */
const wavBody = z.unknown().describe('audio/wav');
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) });

/** Supervisors list call recordings and download them (streamed, with byte ranges for seeking). */
export const recordingRoutes = (store: RecordingStore): FastifyPluginAsyncZod => async (app) => {
  app.get('/recordings', {
    config,
    schema: { summary: 'Calls with a kept recording, newest first', security, querystring: pageQuery, response: { 200: recordingList, 400: errorBody, 401: errorBody, 403: errorBody } },
  }, async (request) => {
    const { total, items } = store.list(request.query.limit, request.query.offset);
    return { total, items: items.map((i) => ({ ...i, connectedAt: iso(i.connectedAt), endedAt: iso(i.endedAt) })) };
  });

  app.get('/recordings/:id', {
    config,
    schema: { summary: 'Download a call recording (audio/wav; Range requests give 206)', security, params: callIdParams, response: { 200: wavBody, 206: wavBody, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 416: errorBody } },
  }, async (request, reply) => {
    const file = await store.open(request.params.id, request.headers.range);
    reply.header('content-type', 'audio/wav').header('accept-ranges', 'bytes').header('content-length', file.end - file.start + 1);
    if (file.partial) reply.status(206).header('content-range', `bytes ${file.start}-${file.end}/${file.bytes}`);
    return reply.send(file.stream);
  });
};
