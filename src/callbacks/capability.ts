import type { CallEventPublisher, CallEventSubscriber } from '../calls/call-events.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallbacksRepository } from '../db/callbacks-repository.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { callbackRoutes } from './routes.js';
import type { Dialer } from '../legs/dialer.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import type { Telephony } from '../telephony/port.js';
import { CallbackService } from './callback-service.js';

export interface CallbacksNeeds {
  db: Db;
  telephony: Telephony;
  dialer: Dialer;
  board: OperatorBoard;
  connected: ConnectedCalls;
  clock: Clock;
  events: CallEventPublisher & CallEventSubscriber;
  log: Logger;
  settings: { trunkEndpoint: string; minWaitMs: number; ringTimeoutMs: number };
}

/** The callbacks capability: callers who gave up in the queue are called back by an operator. */
export function createCallbacks(needs: CallbacksNeeds) {
  const { db, telephony, dialer, board, connected, clock, events, log, settings } = needs;
  const service = new CallbackService({
    telephony, dialer, callbacks: new CallbacksRepository(db), calls: new CallsRepository(db), board, connected, clock, events,
    log: log.child({ component: 'callbacks' }), ...settings,
  });
  const capability: Capability = {
    name: 'callbacks',
    routes: [{ prefix: '/api', routes: callbackRoutes(service) }],
    ...lifecycle(() => [service.start()]),
  };
  return { capability, service };
}
