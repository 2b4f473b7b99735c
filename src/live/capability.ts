import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { LocationRepository } from '../db/location-repository.js';
import { OffersRepository } from '../db/offers-repository.js';
import type { Logger } from '../log.js';
import { type LiveEventSource, LiveStream, type QueueSource } from './live-stream.js';
import { liveRoutes } from './routes.js';

export interface LiveNeeds {
  db: Db;
  /** The domain events: calls' lifecycle, operators' states, location fixes. */
  events: LiveEventSource;
  clock: Clock;
  log: Logger;
  /** The queue's state and its changes (the queue capability's feed). */
  queue: QueueSource;
}

/**
 * The live capability: one Server-Sent Events stream (`GET /api/events`) of calls, their
 * location fixes and the queue, filtered by who listens, for the console and wallboards.
 */
export function createLive(needs: LiveNeeds) {
  const { db, events, clock, log, queue } = needs;
  const stream = new LiveStream({
    calls: new CallsRepository(db), offers: new OffersRepository(db), fixes: new LocationRepository(db),
    events, queue, clock, log: log.child({ component: 'live' }),
  });
  const capability: Capability = {
    name: 'live',
    routes: [{ prefix: '/api', routes: liveRoutes(stream, clock) }],
    ...lifecycle(() => stream.start()),
  };
  return { capability, stream };
}
