import type { TimeSource } from '../clock.js';
import type { CallChange, CallsRepository } from '../db/calls-repository.js';
import type { CallEventPublisher } from './call-events.js';
import { lifecycleEventOf } from './call-events.js';
import { CallState, type CallTrigger, nextState } from './states.js';

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
    /** Where the call's lifecycle events go (answered, enqueued, offered, connected, ended). */
    private readonly events: CallEventPublisher,
  ) {}

  get state(): CallState {
    return this.current;
  }

  /** Moves the call on `trigger` (throws InvalidTransitionError if not allowed) and records it. */
  apply(trigger: CallTrigger, change: Omit<CallChange, 'state'> = {}, detail?: object): void {
    const from = this.current;
    const to = nextState(from, trigger);
    const at = this.clock.now();
    this.repo.change(this.callId, { ...change, state: to }, { type: trigger, at, detail });
    this.current = to;
    this.publish(from, to, at, change);
  }

  private publish(from: CallState, to: CallState, at: number, change: Omit<CallChange, 'state'>): void {
    const { callId } = this;
    switch (lifecycleEventOf(from, to)) {
      case 'call.answered':
        return this.events.publish('call.answered', { callId, at });
      case 'call.enqueued':
        return this.events.publish('call.enqueued', { callId, at });
      case 'call.offered':
        return this.events.publish('call.offered', { callId, at });
      case 'call.connected':
        return this.events.publish('call.connected', { callId, at, operatorId: change.operatorId === 'overflow' ? null : (change.operatorId ?? null) });
      case 'call.ended':
        return this.events.publish('call.ended', { callId, at, state: to, endReason: change.endReason ?? null, fallbackReason: change.fallbackReason ?? null });
      default:
        return undefined;
    }
  }

  /** Records an event that does not change the state (a prompt played, a digit pressed). */
  note(type: string, detail?: object): void {
    this.repo.appendEvent(this.callId, { type, at: this.clock.now(), detail });
  }
}
