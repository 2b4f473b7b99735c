import { noTimer, type Timer } from '../clock.js';
import { orderQueue, type WaitingCall } from './acd.js';
import type { QueuedCall } from './queued-call.js';

/** A caller in line. */
export interface Waiting {
  call: QueuedCall;
  /** In its holding bridge with music: it can be offered. Until then it holds its place in line. */
  seated: boolean;
  /** Operator offers ringing now (channel ids). */
  offers: Set<string>;
  overflowChannelId: string | null;
  overflowTimer: Timer;
}

/** The callers waiting for an operator, by call id, and the order they will be answered in. */
export class WaitingLine {
  private readonly waiting = new Map<string, Waiting>();

  /** Takes the caller's place in line (before their holding bridge is ready). */
  join(call: QueuedCall): Waiting {
    const waiting: Waiting = { call, seated: false, offers: new Set(), overflowChannelId: null, overflowTimer: noTimer };
    this.waiting.set(call.callId, waiting);
    return waiting;
  }

  get(callId: string): Waiting | undefined {
    return this.waiting.get(callId);
  }

  /** True while this very entry (not a later one for the same call) holds the place. */
  holds(waiting: Waiting): boolean {
    return this.waiting.get(waiting.call.callId) === waiting;
  }

  leave(waiting: Waiting): void {
    if (this.holds(waiting)) this.waiting.delete(waiting.call.callId);
  }

  all(): Waiting[] {
    return [...this.waiting.values()];
  }

  /** Calls waiting, in the order they will be answered. */
  order(): WaitingCall[] {
    return orderQueue(this.all().map((w) => toWaitingCall(w.call)));
  }
}

function toWaitingCall(call: QueuedCall): WaitingCall {
  return {
    callId: call.callId, priority: call.priority, arrivedAt: call.arrivedAt, language: call.language, category: call.category,
    headOfLine: call.headOfLine ?? false,
  };
}
