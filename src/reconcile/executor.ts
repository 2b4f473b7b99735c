import type { Clock } from '../clock.js';
import type { CallEventPublisher } from '../calls/call-events.js';
import { CallRecord } from '../calls/call-record.js';
import { CallState, CallTrigger, EndReason } from '../calls/states.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import { OfferOutcome } from '../queue/ringing-offers.js';
import type { LiveLegs } from '../telephony/leg-owner.js';
import type { ChannelSnapshot, Telephony } from '../telephony/port.js';
import type { ReconcileAction } from './plan.js';
import { correctToTrueEnd } from '../calls/fallback-import.js';

/** What the executor needs of the call service (src/calls). */
export interface CallResumer {
  resume(callId: string, channel: ChannelSnapshot): void;
  callerVanished(callId: string): void;
  handedOver(callId: string, by: string): void;
  orphanToFallback(channel: ChannelSnapshot, closedCallId: string | null): Promise<void>;
}

export interface ExecutorDeps {
  telephony: Telephony;
  calls: CallsRepository;
  offers: OffersRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  service: CallResumer;
  legs: LiveLegs;
  clock: Clock;
  events: CallEventPublisher;
  log: Logger;
}

/**
 * Carries out a reconcile plan, one action at a time: one that fails (a channel that went away
 * meanwhile) is logged and the rest still run. Returns how many actions ran.
 */
export async function executePlan(actions: readonly ReconcileAction[], channels: ReadonlyMap<string, ChannelSnapshot>, deps: ExecutorDeps): Promise<number> {
  let done = 0;
  for (const action of actions) {
    try {
      await execute(action, channels, deps);
      done += 1;
      deps.log.info({ action }, `reconcile: ${action.kind}`);
    } catch (error) {
      deps.log.warn({ action, err: String(error) }, `reconcile: ${action.kind} failed`);
    }
  }
  return done;
}

async function execute(action: ReconcileAction, channels: ReadonlyMap<string, ChannelSnapshot>, deps: ExecutorDeps): Promise<void> {
  const { telephony, calls, clock, board, connected } = deps;
  const channel = (id: string) => {
    const found = channels.get(id);
    if (!found) throw new Error(`channel ${id} not in the live view`);
    return found;
  };
  switch (action.kind) {
    case 'adopt-call':
      deps.service.resume(action.callId, channel(action.channelId));
      return;
    case 'requeue-call': {
      const row = calls.findById(action.callId);
      if (row?.state !== CallState.connected || row.endedAt !== null) return;
      new CallRecord(action.callId, CallState.connected, calls, clock, deps.events).apply(CallTrigger.operatorLost, {}, { reason: 'operator-leg-gone' });
      deps.service.resume(action.callId, channel(action.channelId));
      return;
    }
    case 'close-vanished':
      closeVanished(action, deps);
      return;
    case 'session-caller-gone':
      deps.service.callerVanished(action.callId);
      // The CDR import may already know when the caller really left.
      correctToTrueEnd(calls, action.callId);
      return;
    case 'handed-over':
      deps.service.handedOver(action.callId, action.by);
      return;
    case 'orphan-to-fallback':
      await deps.service.orphanToFallback(channel(action.channelId), action.closedCallId);
      return;
    case 'hangup-leg':
      await telephony.hangup(action.channelId);
      return;
    case 'leg-vanished':
      deps.legs.channelGone(action.channelId);
      return;
    case 'cancel-offer':
      deps.offers.close(action.channelId, OfferOutcome.cancelled, clock.now());
      if (channels.has(action.channelId)) await telephony.hangup(action.channelId);
      return;
    case 'free-operator':
      if (board.get(action.operatorId)?.state !== action.from) return;
      board.force(action.operatorId, action.to, 'reconcile', { callId: action.callId, detail: { callId: action.callId, from: action.from } });
      return;
    case 'resume-wrapup': {
      // Only for the wrap-up the plan saw: an operator who moved on meanwhile keeps their timer.
      const operator = board.get(action.operatorId);
      if (operator?.state !== 'wrapup' || operator.callId !== action.callId) return;
      connected.startWrapup(action.operatorId, action.callId, action.remainingMs);
      return;
    }
    case 'finish-call':
      connected.finishCall(action.callId);
      return;
    case 'stop-recording':
      await telephony.stopLiveRecording(action.name);
      return;
    case 'destroy-bridge':
      await telephony.destroyBridge(action.bridgeId);
      return;
  }
}

/**
 * A call whose caller left while nobody watched: a caller who never reached an operator is
 * abandoned (with the wait up to the true end), a connected call goes to wrap-up and is closed
 * with its operator's wrap-up, or at once when no operator is on it.
 */
function closeVanished(action: Extract<ReconcileAction, { kind: 'close-vanished' }>, deps: ExecutorDeps): void {
  const row = deps.calls.findById(action.callId);
  if (!row || row.endedAt !== null || row.state !== action.state) return;
  const record = new CallRecord(action.callId, action.state, deps.calls, deps.clock, deps.events);
  const waited = action.state === CallState.queued || action.state === CallState.offered;
  const queueWaitMs = waited && action.enqueuedAt !== null ? Math.max(0, action.endedAt - action.enqueuedAt) : undefined;
  record.apply(CallTrigger.callerHangup, { endedAt: action.endedAt, endReason: EndReason.endedWhileDown, ...(queueWaitMs !== undefined ? { queueWaitMs } : {}) },
    { via: 'reconcile', lastState: action.state });
  if (queueWaitMs !== undefined) deps.events.publish('call.abandoned', { callId: action.callId, callerNumber: row.callerNumber, queueWaitMs, at: deps.clock.now() });
  if (action.finish) record.apply(CallTrigger.wrapupDone, {}, { via: 'reconcile' });
}
