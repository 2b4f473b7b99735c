import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AllowedKinds } from '../auth/access.js';
import type { QueueStateView } from './queue-state.js';
import { errorBody } from '../http/errors.js';
import { type QueueState, queueState } from './schemas.js';

const security = [{ bearer: [] }];

export interface QueueFeed {
  state: () => QueueStateView;
  onChange: (listener: () => void) => () => void;
}

function toJson(view: QueueStateView): QueueState {
  return { ...view, at: new Date(view.at).toISOString() };
}

/** Changes closer together than this are sent as one update (a burst of calls is one frame). */
const COALESCE_MS = 200;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Live queue state: a snapshot, and a Server-Sent Events stream of every change. Mounted for API
 * clients (wallboards) and for supervisors, each mount saying who it serves.
 */
export const queueRoutes = (feed: QueueFeed, allow: AllowedKinds): FastifyPluginAsyncZod => async (app) => {
  /** Streams open now: ended when the app closes, so a shutdown never waits on a wallboard. */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get('/queue', {
    config: { allow },
    schema: { summary: 'Queue depth, longest wait, operators by state', security, response: { 200: queueState, 401: errorBody, 403: errorBody } },
  }, async () => toJson(feed.state()));

  app.get('/queue/stream', {
    config: { allow },
    schema: { summary: 'The queue state as Server-Sent Events (event: queue), sent on every change', security, response: { 401: errorBody, 403: errorBody } },
  }, async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = () => raw.write(`event: queue\ndata: ${JSON.stringify(toJson(feed.state()))}\n\n`);
    let pending: NodeJS.Timeout | null = null;
    const unsubscribe = feed.onChange(() => {
      pending ??= setTimeout(() => {
        pending = null;
        send();
      }, COALESCE_MS);
    });
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    const end = () => {
      if (!open.delete(end)) return;
      unsubscribe();
      clearInterval(keepalive);
      if (pending) clearTimeout(pending);
      raw.end();
    };
    open.add(end);
    request.raw.on('close', end);
    send();
  });
};
