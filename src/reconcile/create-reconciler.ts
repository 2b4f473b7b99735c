import type { CallService } from '../calls/call-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { SwitchboardParts } from '../queue/create-switchboard.js';
import type { Telephony } from '../telephony/port.js';
import { Reconciler } from './reconciler.js';

export interface ReconcilerSettings {
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  /** The self-check's period (0: only at each connect). */
  intervalMs: number;
  graceMs: number;
  wrapupMs: number;
}

/** The reconciler over the switchboard's parts and the call service, as the process runs it. */
export function createReconciler(parts: SwitchboardParts, service: CallService, settings: ReconcilerSettings): Reconciler {
  const { telephony, clock, log } = settings;
  return new Reconciler({
    telephony, clock, log, events: parts.events, calls: parts.calls, offers: parts.offers, board: parts.board, connected: parts.connected,
    legs: parts.dialer, bridgeOwners: parts.bridgeOwners, service, trackedCalls: () => service.trackedCalls(), pendingWrites: () => parts.pendingWrites(),
    callbackOf: (callbackId) => parts.callbacks.ownerOf(callbackId),
    onAbandoned: (callId, callerNumber, waitMs) => parts.callbacks.abandoned(callId, callerNumber, waitMs),
  }, { intervalMs: settings.intervalMs, graceMs: settings.graceMs, wrapupMs: settings.wrapupMs, offerWaiting: () => parts.switchboard.offerWaitingCalls() });
}
