import type { CallState } from '../calls/states.js';
import type { OperatorState } from '../queue/acd.js';
import type { LiveBridge, LiveChannel } from '../telephony/port.js';
import type { TrackedConnection } from '../queue/connected-calls.js';

/**
 * The three views reconciliation decides from: what SQLite says happened, what this process is
 * driving right now, and what Asterisk says is live. Plain data, so that the decision is a pure
 * function of them (plan.ts).
 */

/** An open call (no end time yet) as stored. */
export interface StoredCall {
  callId: string;
  channelId: string;
  state: CallState;
  enqueuedAt: number | null;
  recordingName: string | null;
  /** The end of the caller's channel in Asterisk's CDR, when the import already has it. */
  channelEndedAt: number | null;
  /** The leg the call was answered on (call_offers), for a call connected before a fault. */
  answered: { channelId: string; target: string } | null;
}

export interface StoredOperator {
  operatorId: string;
  state: OperatorState;
  callId: string | null;
  stateSince: number;
}

/** A ring with no outcome in call_offers. */
export interface StoredOffer {
  channelId: string;
  callId: string;
  target: string;
}

export interface StoredView {
  openCalls: StoredCall[];
  /** Calls in wrap-up (ended for the caller, closed when their operator's wrap-up ends). */
  wrapupCalls: string[];
  operators: StoredOperator[];
  unclosedOffers: StoredOffer[];
}

export type { TrackedConnection };

export interface MemoryView {
  /** Calls a CallSession of this process drives now. */
  sessions: ReadonlySet<string>;
  connected: ReadonlyMap<string, TrackedConnection>;
  /** Every leg channel a module tracks: rings, agencies, supervisors, snoops, callbacks. */
  legs: ReadonlySet<string>;
  /** Bridges a module tracks besides the calls' own (monitor-…, callback-…). */
  bridges: ReadonlySet<string>;
  /** Operators a module has ringing or talking right now. */
  engaged: ReadonlyMap<string, 'ringing' | 'talking'>;
  /** Operators whose wrap-up timer runs. */
  wrappingUp: ReadonlySet<string>;
  /** Calls whose record closes when a running wrap-up ends. */
  wrappingCalls: ReadonlySet<string>;
}

export interface LiveView {
  channels: readonly LiveChannel[];
  bridges: readonly LiveBridge[];
  /** Names of the open calls' recordings that are still being recorded. */
  recordings: ReadonlySet<string>;
  /** SIAGA112_HANDOVER of open calls' channels that live outside our app (who continued them). */
  handovers: ReadonlyMap<string, string>;
  /** The callback behind each live `callback-<id>` bridge: its operator and the call called back. */
  callbacks: ReadonlyMap<string, { operatorId: string; callId: string }>;
}

export interface PlanOptions {
  now: number;
  /** Channels and bridges younger than this are left alone: their StasisStart may be on its way. */
  graceMs: number;
  wrapupMs: number;
}

/** An empty memory: a process that has just started. */
export const NOTHING_IN_MEMORY: MemoryView = {
  sessions: new Set(), connected: new Map(), legs: new Set(), bridges: new Set(), engaged: new Map(), wrappingUp: new Set(), wrappingCalls: new Set(),
};
