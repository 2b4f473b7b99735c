import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CallRecord } from '../calls/call-record.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import { CallState, CallTrigger } from '../calls/states.js';
import type { CallbackRow, CallbacksRepository } from '../db/callbacks-repository.js';
import type { CallsRepository } from '../db/calls-repository.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { OperatorState } from '../queue/acd.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import { OperatorTrigger } from '../operators/operator-states.js';
import { callerIdOf } from '../queue/queued-call.js';
import type { Telephony } from '../telephony/port.js';
import type { BridgeOwner } from '../telephony/leg-owner.js';
import type { Dialer } from '../legs/dialer.js';
import type { CallEventPublisher, CallEventSubscriber } from '../calls/call-events.js';
import { type Leg, type LegEnd, LegEndReason } from '../legs/leg.js';
import { CallbackStatus } from './callback-status.js';

export interface CallbackDeps {
  telephony: Telephony;
  dialer: Dialer;
  callbacks: CallbacksRepository;
  calls: CallsRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  clock: Clock;
  events: CallEventPublisher & CallEventSubscriber;
  log: Logger;
  trunkEndpoint: string;
  /** Abandoned calls that waited less than this in the queue are not called back. */
  minWaitMs: number;
  ringTimeoutMs: number;
}

interface Attempt {
  callbackId: string;
  callId: string;
  operatorId: string;
  number: string;
  bridgeId: string;
  operator: Leg;
  citizen: Leg | null;
  citizenAnswered: boolean;
}

/** How long the citizen's phone may ring. */
const CITIZEN_RING_MS = 30_000;

/** Telephony causes as the callback list shows them. */
function outcomeOf(end: LegEnd): string {
  if (end.reason === LegEndReason.timeout) return 'no-answer';
  if (end.reason === LegEndReason.failed) return 'failed--1';
  const { cause } = end;
  if (cause === 17) return 'busy';
  if (cause === 19 || cause === 18) return 'no-answer';
  if (cause === 21) return 'rejected';
  return `failed-${cause}`;
}

/**
 * Calling back abandoned callers. The requesting operator's phone rings first (they asked for
 * it); once they answer, the citizen is dialled through the trunk into the same bridge. A
 * citizen who calls in again by themselves closes their open callback.
 */
export class CallbackService implements BridgeOwner {
  private readonly attempts = new Set<Attempt>();

  constructor(private readonly deps: CallbackDeps) {}

  /** Follows new calls and the operator board; returns the function that stops following them. */
  start(): () => void {
    const stopArrivals = this.deps.events.subscribe('call.arrived', ({ callId, callerNumber }) => this.arrived(callId, callerNumber));
    const stopAbandoned = this.deps.events.subscribe('call.abandoned', ({ callId, callerNumber, queueWaitMs }) => this.abandoned(callId, callerNumber, queueWaitMs));
    // An operator whose ring is cancelled (logged out, forced by a supervisor) stops ringing.
    const stopBoard = this.deps.board.onChange(({ operator, from }) => {
      if (from !== OperatorState.offered || operator.state === OperatorState.offered || operator.state === OperatorState.busy) return;
      for (const attempt of [...this.attempts]) {
        if (attempt.operatorId === operator.id && attempt.citizen === null) this.ringCancelled(attempt);
      }
    });
    return () => {
      stopArrivals();
      stopAbandoned();
      stopBoard();
    };
  }

  private ringCancelled(attempt: Attempt): void {
    if (!this.forget(attempt)) return;
    attempt.operator.hangUp();
    this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.open, outcome: 'operator-left', updatedAt: this.deps.clock.now() });
  }

  /** A queued caller hung up: owed a callback if they waited long enough to be a real caller. */
  abandoned(callId: string, callerNumber: string, queueWaitMs: number): void {
    const numberKey = normaliseNumber(callerNumber);
    if (queueWaitMs < this.deps.minWaitMs || numberKey === 'unknown') return;
    this.deps.callbacks.create({ id: randomUUID(), callId, number: callerNumber.replace(/[^0-9+]/g, ''), numberKey, createdAt: this.deps.clock.now() });
  }

  /** A new call arrived: if its number is owed a callback, the callback is closed as matched. */
  arrived(callId: string, callerNumber: string): void {
    for (const row of this.deps.callbacks.owedTo(normaliseNumber(callerNumber))) {
      this.deps.callbacks.change(row.id, { status: CallbackStatus.matched, matchedCallId: callId, updatedAt: this.deps.clock.now() });
    }
  }

  /** Who calls back whom, for reconciliation after a restart (a callback bridge still live). */
  ownerOf(callbackId: string): { operatorId: string; callId: string } | undefined {
    const row = this.deps.callbacks.find(callbackId);
    return row?.operatorId ? { operatorId: row.operatorId, callId: row.callId } : undefined;
  }

  owed(): CallbackRow[] {
    return this.deps.callbacks.owed();
  }

  async callBack(callbackId: string, operatorId: string): Promise<CallbackRow> {
    const { callbacks, board, dialer, clock, ringTimeoutMs } = this.deps;
    const row = callbacks.find(callbackId);
    if (!row) throw new DomainError(404, 'callback-not-found', `no callback ${callbackId}`);
    if (row.status !== CallbackStatus.open && row.status !== CallbackStatus.failed) {
      throw new DomainError(409, 'callback-not-owed', `callback ${callbackId} is ${row.status}`);
    }
    const operator = board.get(operatorId);
    if (operator?.state !== OperatorState.available) throw new DomainError(409, 'operator-not-available', `${operatorId} must be available to call back (is ${operator?.state ?? 'unknown'})`);
    board.apply(operatorId, OperatorTrigger.offer, { callId: row.callId, detail: { callback: callbackId } });
    const operatorLeg = dialer.dial({
      kind: 'callback-operator', callId: row.callId, endpoint: operator.endpoint, ringMs: ringTimeoutMs, operatorId,
      callerId: callerIdOf(`CALLBACK ${row.number}`, row.number), extraArgs: { callback: callbackId },
    });
    const attempt: Attempt = {
      callbackId, callId: row.callId, operatorId, number: row.number, bridgeId: `callback-${callbackId}`,
      operator: operatorLeg, citizen: null, citizenAnswered: false,
    };
    this.attempts.add(attempt);
    callbacks.change(callbackId, { status: CallbackStatus.calling, operatorId, attempts: row.attempts + 1, updatedAt: clock.now() });
    operatorLeg.onAnswered(() => void this.operatorAnswered(attempt)).onEnded((_, end) => this.operatorLegEnded(attempt, end));
    try {
      await operatorLeg.placed;
    } catch (error) {
      throw new DomainError(502, 'callback-failed', `could not ring ${operatorId}`, undefined, { cause: error });
    }
    return callbacks.find(callbackId)!;
  }

  bridges(): string[] {
    return [...this.attempts].map((a) => a.bridgeId);
  }

  /** The operator's leg ended: unanswered in time or refused, or their phone left (declined, hung up). */
  private operatorLegEnded(attempt: Attempt, end: LegEnd): void {
    if (!end.answered && (end.reason === LegEndReason.timeout || end.reason === LegEndReason.failed)) this.operatorDidNotAnswer(attempt);
    else this.operatorLeft(attempt);
  }

  private operatorDidNotAnswer(attempt: Attempt): void {
    if (!this.forget(attempt)) return;
    attempt.operator.hangUp();
    if (this.deps.board.get(attempt.operatorId)?.state === OperatorState.offered) {
      this.deps.board.apply(attempt.operatorId, OperatorTrigger.noAnswer, { reason: 'no-answer', detail: { callback: attempt.callbackId } });
    }
    this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.open, outcome: 'operator-no-answer', updatedAt: this.deps.clock.now() });
  }

  private async operatorAnswered(attempt: Attempt): Promise<void> {
    const { telephony, board, dialer, trunkEndpoint } = this.deps;
    if (board.get(attempt.operatorId)?.state !== OperatorState.offered) {
      // The ring was no longer theirs to take (their state moved on): nobody is left on a dead line.
      this.ringCancelled(attempt);
      return;
    }
    board.apply(attempt.operatorId, OperatorTrigger.answer, { callId: attempt.callId });
    try {
      await telephony.createBridge(attempt.bridgeId, 'mixing', `siaga112 callback ${attempt.callbackId}`);
      await telephony.addToBridge(attempt.bridgeId, [attempt.operator.channelId]);
    } catch (error) {
      this.deps.log.warn({ err: String(error), callbackId: attempt.callbackId }, 'callback could not bridge the operator');
      this.citizenLeft(attempt, { reason: LegEndReason.failed, cause: -1, causeText: String(error), answered: false });
      return;
    }
    if (!this.attempts.has(attempt)) return;
    const citizen = dialer.dial({
      kind: 'callback-citizen', callId: attempt.callId, endpoint: `PJSIP/${attempt.number}@${trunkEndpoint}`, ringMs: CITIZEN_RING_MS,
      callerId: '"112" <112>', extraArgs: { callback: attempt.callbackId },
    });
    attempt.citizen = citizen;
    citizen.onAnswered(() => void this.citizenAnswered(attempt)).onEnded((_, end) => this.citizenLeft(attempt, end));
  }

  private async citizenAnswered(attempt: Attempt): Promise<void> {
    attempt.citizenAnswered = true;
    const { calls, clock, callbacks } = this.deps;
    callbacks.change(attempt.callbackId, { status: CallbackStatus.done, outcome: 'answered', answeredAt: clock.now(), updatedAt: clock.now() });
    const row = calls.findById(attempt.callId);
    if (row?.state === CallState.abandoned) {
      new CallRecord(attempt.callId, CallState.abandoned, calls, clock, this.deps.events).apply(CallTrigger.calledBack, {}, { callbackId: attempt.callbackId, operatorId: attempt.operatorId });
    }
    await this.deps.telephony.addToBridge(attempt.bridgeId, [attempt.citizen!.channelId]).catch((error: unknown) => {
      this.deps.log.warn({ err: String(error) }, 'could not bridge the called-back citizen');
    });
  }

  private citizenLeft(attempt: Attempt, end: LegEnd): void {
    if (!this.forget(attempt)) return;
    if (!attempt.citizenAnswered) {
      this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.failed, outcome: outcomeOf(end), updatedAt: this.deps.clock.now() });
    } else {
      this.closeRecord(attempt);
    }
    attempt.operator.hangUp();
    this.operatorDone(attempt);
  }

  private operatorLeft(attempt: Attempt): void {
    if (!this.forget(attempt)) return;
    const operator = this.deps.board.get(attempt.operatorId);
    if (operator?.state === OperatorState.offered) {
      // Declined before answering: like a ring nobody took.
      this.deps.board.apply(attempt.operatorId, OperatorTrigger.noAnswer, { reason: 'no-answer', detail: { callback: attempt.callbackId } });
      this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.open, outcome: 'operator-no-answer', updatedAt: this.deps.clock.now() });
      return;
    }
    if (!attempt.citizenAnswered) this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.failed, outcome: 'operator-hung-up', updatedAt: this.deps.clock.now() });
    else this.closeRecord(attempt);
    attempt.citizen?.hangUp();
    this.operatorDone(attempt);
  }

  private closeRecord(attempt: Attempt): void {
    const { calls, clock } = this.deps;
    if (calls.findById(attempt.callId)?.state === CallState.callback) {
      new CallRecord(attempt.callId, CallState.callback, calls, clock, this.deps.events).apply(CallTrigger.callerHangup, {}, { during: 'callback' });
    }
  }

  private operatorDone(attempt: Attempt): void {
    void this.deps.telephony.destroyBridge(attempt.bridgeId).catch(() => undefined);
    if (this.deps.board.get(attempt.operatorId)?.state === OperatorState.busy) {
      this.deps.board.apply(attempt.operatorId, OperatorTrigger.callEnded, { callId: attempt.callId });
      this.deps.connected.startWrapup(attempt.operatorId, null);
    }
  }

  /** Ends an attempt; false when it was already over. */
  private forget(attempt: Attempt): boolean {
    return this.attempts.delete(attempt);
  }
}
