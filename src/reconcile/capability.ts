import type { CallEventPublisher } from '../calls/call-events.js';
import type { CallService } from '../calls/call-service.js';
import type { CallbackService } from '../callbacks/callback-service.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { OffersRepository } from '../db/offers-repository.js';
import { writeBehindOf } from '../db/write-behind.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import type { Switchboard } from '../queue/switchboard.js';
import type { BridgeOwner, LiveLegs } from '../telephony/leg-owner.js';
import type { Telephony } from '../telephony/port.js';
import { Reconciler } from './reconciler.js';

export interface ReconciliationNeeds {
  db: Db;
  telephony: Telephony;
  clock: Clock;
  events: CallEventPublisher;
  log: Logger;
  board: OperatorBoard;
  connected: ConnectedCalls;
  switchboard: Switchboard;
  service: CallService;
  callbacks: CallbackService;
  legs: LiveLegs;
  bridgeOwners: readonly BridgeOwner[];
  settings: {
    /** The self-check's period (0: only at each connect). */
    intervalMs: number;
    graceMs: number;
    wrapupMs: number;
  };
}

/**
 * Reconciliation with Asterisk as the truth for what is live: at every connect, every few
 * seconds after, and as soon as a database lock is gone (SQLite is whole again).
 */
export function createReconciliation(needs: ReconciliationNeeds) {
  const { db, telephony, clock, events, log, board, connected, switchboard, service, callbacks, legs, bridgeOwners, settings } = needs;
  const writer = writeBehindOf(db);
  const reconciler = new Reconciler({
    telephony, clock, log: log.child({ component: 'reconcile' }), events, calls: new CallsRepository(db), offers: new OffersRepository(db), board, connected,
    legs, bridgeOwners, service, trackedCalls: () => service.trackedCalls(), pendingWrites: () => writer.pending,
    callbackOf: (callbackId) => callbacks.ownerOf(callbackId),
  }, { ...settings, offerWaiting: () => switchboard.offerWaitingCalls() });
  const capability: Capability = {
    name: 'reconcile',
    routes: [],
    ...lifecycle(() => [
      reconciler.start(),
      writer.onChange((event) => {
        if (event.type === 'flushed') void reconciler.run('full');
      }),
    ]),
  };
  return { capability, reconciler };
}
