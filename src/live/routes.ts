import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../auth/auth-hook.js';
import { PrincipalKind } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { DomainError, errorBody } from '../http/errors.js';
import { viewerOf } from './audience.js';
import { sseFrame } from './live-events.js';
import type { LiveStream } from './live-stream.js';

const security = [{ bearer: [] }];

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/**
 * A client that reads slower than events come would make us buffer without end: past this much
 * unsent, its stream is closed, and its reconnect (with Last-Event-ID) catches up from the ring.
 */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

const liveHeaders = z.object({
  'last-event-id': z.string().optional()
    .describe('the id of the last event received; what followed it is replayed when still kept, else a fresh snapshot comes'),
});

/**
 * The live stream for consoles and wallboards: `GET /api/events`, Server-Sent Events of calls,
 * their fixes and the queue (see live-events.ts for each event's shape).
 */
export const liveRoutes = (stream: LiveStream, clock: Clock): FastifyPluginAsyncZod => async (app) => {
  /** Streams open now: ended when the app closes, so a shutdown never waits on a console. */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/events', {
    config: { allow: [PrincipalKind.api, PrincipalKind.operator, PrincipalKind.supervisor] },
    schema: {
      summary: 'Live calls, their location fixes and the queue as Server-Sent Events',
      description: 'Events `snapshot` (first, unless Last-Event-ID is replayed), `call.updated`, `location.fix` and `queue.snapshot`, '
        + 'each with an `id:`. Supervisors and the API token see every call; an operator a call while their phone rings for it and once they handle it.',
      security, headers: liveHeaders, response: { 401: errorBody, 403: errorBody },
    },
  }, async (request, reply) => {
    const viewer = viewerOf(principalOf(request));
    if (!viewer) throw new DomainError(403, 'forbidden', 'the live stream is not for this token');
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    let ended = false;
    const stops: Array<() => void> = [];
    const end = () => {
      if (ended) return;
      ended = true;
      open.delete(end);
      for (const stop of stops.splice(0)) stop();
      raw.end();
    };
    const write = (text: string) => {
      if (ended) return;
      raw.write(text);
      if (raw.writableLength > MAX_UNSENT_BYTES) {
        request.log.warn({ unsent: raw.writableLength }, 'live stream client too slow; closing its stream');
        end();
      }
    };
    open.add(end);
    request.raw.on('close', end);
    let close: () => void;
    try {
      close = stream.open(viewer, request.headers['last-event-id'], (frame) => write(sseFrame(frame)));
    } catch (error) {
      // The 200 is already out: end the stream (the client reconnects) rather than leave it hanging.
      request.log.error({ err: String(error) }, 'could not open a live stream');
      end();
      return;
    }
    const keepalive = clock.every(KEEPALIVE_MS, () => write(': keepalive\n\n'));
    stops.push(close, () => keepalive.cancel());
    // Ended while its first frames were written (gone, or too slow already): nothing is left behind.
    if (ended) for (const stop of stops.splice(0)) stop();
  });
};
