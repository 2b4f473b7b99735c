import type { QueuedCall } from './queued-call.js';

/** A call an operator (or the overflow centre) answered: who is in its mixing bridge. */
export interface LiveCall {
  call: QueuedCall;
  bridgeId: string;
  /** null when the overflow target answered. */
  operatorId: string | null;
  /** The answering leg; null once the operator left the call to an agency. */
  operatorChannelId: string | null;
  /** Other parties added since (agencies, a barging supervisor). */
  legs: Set<string>;
}

/** A connected call as reconciliation compares it with Asterisk: its caller and operator legs. */
export interface TrackedConnection {
  callerChannelId: string;
  operatorId: string | null;
  operatorChannelId: string | null;
}
