import type { Logger } from '../log.js';
import type { CallRecord } from './call-record.js';
import type { CallTrigger, EndReason } from './states.js';

/** A call as the queue sees it: handed over by its CallSession once the IVR enqueued it. */
export interface QueuedCall {
  callId: string;
  /** The caller's channel. */
  channelId: string;
  callerNumber: string;
  priority: number;
  arrivedAt: number;
  enqueuedAt: number;
  language: string;
  category: string;
  /** Reached an operator before and lost them: first in line (see orderQueue). */
  headOfLine?: boolean;
  record: CallRecord;
  log: Logger;
  /** The queue ended the call (the operator hung up): the session stops without recording. */
  ended(): void;
  /** Connecting failed in a way only the dialplan fallback can mend. */
  failed(error: unknown): void;
}

/**
 * What a call session needs of the switchboard (src/queue implements it). Without one, a
 * session keeps its caller on hold until they hang up.
 */
export interface CallQueue {
  enqueue(call: QueuedCall): Promise<void>;
  /** Re-attaches a call an operator answered before a restart; false when that is not possible. */
  adoptConnected(call: QueuedCall): Promise<boolean>;
  /** The caller left; false when the call is not the queue's (the session records it). */
  callerLeft(callId: string, trigger: typeof CallTrigger.callerHangup | typeof CallTrigger.maxDuration, endReason: EndReason, detail: object): boolean;
  /** The fallback took the call. */
  forget(callId: string): void;
}
