import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CallRecord } from '../calls/call-record.js';
import { normaliseNumber } from '../calls/phone-number.js';
import { CallState, CallTrigger } from '../calls/states.js';
import type { CallbackRow, CallbacksRepository } from '../db/callbacks-repository.js';
import type { CallsRepository } from '../db/calls-repository.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { OperatorState } from '../queue/acd.js';
import type { ConnectedCalls } from '../queue/connected-calls.js';
import { OperatorTrigger } from '../queue/operator-states.js';
import { callerIdOf, LEG_PREFIX } from '../queue/queued-call.js';
import type { Telephony, TelephonyEvent } from '../telephony/port.js';
import type { LegOwner } from '../telephony/leg-owner.js';

export const CallbackStatus = { open: 'open', calling: 'calling', done: 'done', failed: 'failed', matched: 'matched' } as const;

export interface CallbackDeps {
  telephony: Telephony;
  callbacks: CallbacksRepository;
  calls: CallsRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  clock: Clock;
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
  operatorChannelId: string;
  citizenChannelId: string | null;
  citizenAnswered: boolean;
  timer: NodeJS.Timeout | null;
}

/** Telephony causes as the callback list shows them. */
function outcomeOf(cause: number): string {
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
export class CallbackService implements LegOwner {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly deps: CallbackDeps) {}

  start(): () => void {
    const stopEvents = this.deps.telephony.onEvent((event) => this.onEvent(event));
    // An operator whose ring is cancelled (logged out, forced by a supervisor) stops ringing.
    const stopBoard = this.deps.board.onChange(({ operator, from }) => {
      if (from !== OperatorState.offered || operator.state === OperatorState.offered || operator.state === OperatorState.busy) return;
      for (const attempt of new Set(this.attempts.values())) {
        if (attempt.operatorId === operator.id && attempt.citizenChannelId === null) this.ringCancelled(attempt);
      }
    });
    return () => {
      stopEvents();
      stopBoard();
    };
  }

  private ringCancelled(attempt: Attempt): void {
    if (!this.forget(attempt)) return;
    void this.deps.telephony.hangup(attempt.operatorChannelId).catch(() => undefined);
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
    const { callbacks, board, telephony, clock, ringTimeoutMs } = this.deps;
    const row = callbacks.find(callbackId);
    if (!row) throw new DomainError(404, 'callback-not-found', `no callback ${callbackId}`);
    if (row.status !== CallbackStatus.open && row.status !== CallbackStatus.failed) {
      throw new DomainError(409, 'callback-not-owed', `callback ${callbackId} is ${row.status}`);
    }
    const operator = board.get(operatorId);
    if (operator?.state !== OperatorState.available) throw new DomainError(409, 'operator-not-available', `${operatorId} must be available to call back (is ${operator?.state ?? 'unknown'})`);
    board.apply(operatorId, OperatorTrigger.offer, { callId: row.callId, detail: { callback: callbackId } });
    const attempt: Attempt = {
      callbackId, callId: row.callId, operatorId, number: row.number, bridgeId: `callback-${callbackId}`,
      operatorChannelId: `${LEG_PREFIX}${randomUUID()}`, citizenChannelId: null, citizenAnswered: false, timer: null,
    };
    this.attempts.set(attempt.operatorChannelId, attempt);
    callbacks.change(callbackId, { status: CallbackStatus.calling, operatorId, attempts: row.attempts + 1, updatedAt: clock.now() });
    attempt.timer = setTimeout(() => this.operatorDidNotAnswer(attempt), ringTimeoutMs);
    attempt.timer.unref();
    try {
      await telephony.originate({
        endpoint: operator.endpoint, channelId: attempt.operatorChannelId, timeoutSeconds: Math.ceil(ringTimeoutMs / 1000) + 5,
        callerId: callerIdOf(`CALLBACK ${row.number}`, row.number), appArgs: `leg=callback-operator,callback=${callbackId}`,
      });
    } catch (error) {
      this.operatorDidNotAnswer(attempt);
      throw new DomainError(502, 'callback-failed', `could not ring ${operatorId}`, undefined, { cause: error });
    }
    return callbacks.find(callbackId)!;
  }

  stop(): void {
    for (const attempt of this.attempts.values()) if (attempt.timer) clearTimeout(attempt.timer);
  }

  legs(): string[] {
    return [...this.attempts.keys()];
  }

  bridges(): string[] {
    return [...new Set([...this.attempts.values()].map((a) => a.bridgeId))];
  }

  engaged(): Array<[string, 'ringing' | 'talking']> {
    return [...new Set(this.attempts.values())].map((a) => [a.operatorId, a.citizenChannelId ? 'talking' : 'ringing']);
  }

  channelGone(channelId: string): boolean {
    return this.channelDestroyed(channelId, 0);
  }

  private onEvent(event: TelephonyEvent): void {
    if (event.type === 'StasisStart') {
      const attempt = this.attempts.get(event.channel.id);
      if (!attempt) return;
      if (event.channel.id === attempt.operatorChannelId) void this.operatorAnswered(attempt);
      else void this.citizenAnswered(attempt);
      return;
    }
    if (event.type === 'ChannelDestroyed') this.channelDestroyed(event.channelId, event.cause);
  }

  private channelDestroyed(channelId: string, cause: number): boolean {
    const attempt = this.attempts.get(channelId);
    if (!attempt) return false;
    if (channelId === attempt.operatorChannelId) this.operatorLeft(attempt);
    else this.citizenLeft(attempt, cause);
    return true;
  }

  private operatorDidNotAnswer(attempt: Attempt): void {
    if (!this.forget(attempt)) return;
    void this.deps.telephony.hangup(attempt.operatorChannelId).catch(() => undefined);
    if (this.deps.board.get(attempt.operatorId)?.state === OperatorState.offered) {
      this.deps.board.apply(attempt.operatorId, OperatorTrigger.noAnswer, { reason: 'no-answer', detail: { callback: attempt.callbackId } });
    }
    this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.open, outcome: 'operator-no-answer', updatedAt: this.deps.clock.now() });
  }

  private async operatorAnswered(attempt: Attempt): Promise<void> {
    const { telephony, board, trunkEndpoint } = this.deps;
    if (attempt.timer) clearTimeout(attempt.timer);
    if (board.get(attempt.operatorId)?.state !== OperatorState.offered) {
      // The ring was no longer theirs to take (their state moved on): nobody is left on a dead line.
      this.ringCancelled(attempt);
      return;
    }
    board.apply(attempt.operatorId, OperatorTrigger.answer, { callId: attempt.callId });
    attempt.citizenChannelId = `${LEG_PREFIX}${randomUUID()}`;
    this.attempts.set(attempt.citizenChannelId, attempt);
    try {
      await telephony.createBridge(attempt.bridgeId, 'mixing', `siaga112 callback ${attempt.callbackId}`);
      await telephony.addToBridge(attempt.bridgeId, [attempt.operatorChannelId]);
      await telephony.originate({
        endpoint: `PJSIP/${attempt.number}@${trunkEndpoint}`, channelId: attempt.citizenChannelId, timeoutSeconds: 30,
        callerId: '"112" <112>', appArgs: `leg=callback-citizen,callback=${attempt.callbackId}`,
      });
    } catch (error) {
      this.deps.log.warn({ err: String(error), callbackId: attempt.callbackId }, 'callback could not dial the citizen');
      this.citizenLeft(attempt, -1);
    }
  }

  private async citizenAnswered(attempt: Attempt): Promise<void> {
    attempt.citizenAnswered = true;
    const { calls, clock, callbacks } = this.deps;
    callbacks.change(attempt.callbackId, { status: CallbackStatus.done, outcome: 'answered', updatedAt: clock.now() });
    const row = calls.findById(attempt.callId);
    if (row?.state === CallState.abandoned) {
      new CallRecord(attempt.callId, CallState.abandoned, calls, clock).apply(CallTrigger.calledBack, {}, { callbackId: attempt.callbackId, operatorId: attempt.operatorId });
    }
    await this.deps.telephony.addToBridge(attempt.bridgeId, [attempt.citizenChannelId!]).catch((error: unknown) => {
      this.deps.log.warn({ err: String(error) }, 'could not bridge the called-back citizen');
    });
  }

  private citizenLeft(attempt: Attempt, cause: number): void {
    if (!this.forget(attempt)) return;
    if (!attempt.citizenAnswered) {
      this.deps.callbacks.change(attempt.callbackId, { status: CallbackStatus.failed, outcome: outcomeOf(cause), updatedAt: this.deps.clock.now() });
    } else {
      this.closeRecord(attempt);
    }
    void this.deps.telephony.hangup(attempt.operatorChannelId).catch(() => undefined);
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
    if (attempt.citizenChannelId) void this.deps.telephony.hangup(attempt.citizenChannelId).catch(() => undefined);
    this.operatorDone(attempt);
  }

  private closeRecord(attempt: Attempt): void {
    const { calls, clock } = this.deps;
    if (calls.findById(attempt.callId)?.state === CallState.callback) {
      new CallRecord(attempt.callId, CallState.callback, calls, clock).apply(CallTrigger.callerHangup, {}, { during: 'callback' });
    }
  }

  private operatorDone(attempt: Attempt): void {
    void this.deps.telephony.destroyBridge(attempt.bridgeId).catch(() => undefined);
    if (this.deps.board.get(attempt.operatorId)?.state === OperatorState.busy) {
      this.deps.board.apply(attempt.operatorId, OperatorTrigger.callEnded, { callId: attempt.callId });
      this.deps.connected.startWrapup(attempt.operatorId, null);
    }
  }

  /** Removes an attempt's channels; false when it was already over. */
  private forget(attempt: Attempt): boolean {
    if (attempt.timer) clearTimeout(attempt.timer);
    const had = this.attempts.delete(attempt.operatorChannelId);
    if (attempt.citizenChannelId) this.attempts.delete(attempt.citizenChannelId);
    return had;
  }
}
