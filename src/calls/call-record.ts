import type { TimeSource } from '../clock.js';
import type { CallChange, CallsRepository } from '../db/calls-repository.js';
import { type CallState, type CallTrigger, nextState } from './states.js';

/**
 * One call's row as the call flow changes it: every transition goes through nextState() and is
 * written, with its event, before the flow moves on.
 */
export class CallRecord {
  constructor(
    readonly callId: string,
    private current: CallState,
    private readonly repo: CallsRepository,
    private readonly clock: TimeSource,
  ) {}

  get state(): CallState {
    return this.current;
  }

  /** Moves the call on `trigger` (throws InvalidTransitionError if not allowed) and records it. */
  apply(trigger: CallTrigger, change: Omit<CallChange, 'state'> = {}, detail?: object): void {
    const to = nextState(this.current, trigger);
    this.repo.change(this.callId, { ...change, state: to }, { type: trigger, at: this.clock.now(), detail });
    this.current = to;
  }

  /** Records an event that does not change the state (a prompt played, a digit pressed). */
  note(type: string, detail?: object): void {
    this.repo.appendEvent(this.callId, { type, at: this.clock.now(), detail });
  }
}
