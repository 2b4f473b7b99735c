import type { Clock, Timer } from '../clock.js';
import { CallRecord } from '../calls/call-record.js';
import { CallState, CallTrigger } from '../calls/states.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { CallEventPublisher } from '../calls/call-events.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { OperatorState } from './acd.js';
import { OperatorTrigger } from '../operators/operator-states.js';

/**
 * Operators' wrap-up after a call: a timer each, after which the operator is available again
 * and the call they wrapped up is closed (a call's record stays in wrap-up while its operator
 * writes it up, so a report sees handling time, not just talk time).
 */
export class Wrapups {
  private readonly timers = new Map<string, Timer>();
  /** Calls whose operator is wrapping up: their record closes when the wrap-up does. */
  private readonly wrapping = new Set<string>();

  constructor(
    private readonly deps: { board: OperatorBoard; calls: CallsRepository; clock: Clock; events: CallEventPublisher; wrapupMs: number },
    /** A call still connected (its caller put back in line) is not finished with the wrap-up. */
    private readonly stillLive: (callId: string) => boolean,
  ) {}

  /** Starts (or, after a restart, resumes) an operator's wrap-up; the call ends with it. */
  start(operatorId: string, callId: string | null, remainingMs = this.deps.wrapupMs): void {
    this.timers.get(operatorId)?.cancel();
    if (callId) this.wrapping.add(callId);
    const timer = this.deps.clock.after(Math.max(0, remainingMs), () => {
      this.timers.delete(operatorId);
      if (callId) this.wrapping.delete(callId);
      const operator = this.deps.board.get(operatorId);
      if (operator?.state === OperatorState.wrapup) this.deps.board.apply(operatorId, OperatorTrigger.wrapupDone);
      if (callId && !this.stillLive(callId)) this.finishCall(callId);
    });
    this.timers.set(operatorId, timer);
  }

  /** Operators whose wrap-up timer runs. */
  operators(): Set<string> {
    return new Set(this.timers.keys());
  }

  /** Calls whose record closes when a running wrap-up ends. */
  calls(): Set<string> {
    return new Set(this.wrapping);
  }

  isWrapping(callId: string): boolean {
    return this.wrapping.has(callId);
  }

  /** The call's wrap-up is over (or was cut short by a restart): its record is closed as ended. */
  finishCall(callId: string): void {
    const row = this.deps.calls.findById(callId);
    if (row?.state !== CallState.wrapup) return;
    new CallRecord(callId, CallState.wrapup, this.deps.calls, this.deps.clock, this.deps.events).apply(CallTrigger.wrapupDone);
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
