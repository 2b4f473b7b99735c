import { z } from 'zod';
import { callSummary } from '../calls/schemas.js';
import { callStateSchema } from '../calls/states.js';
import { storedFixSchema } from '../geo/stored-fix.js';
import { queueState } from '../queue/schemas.js';

/**
 * What `GET /api/events` streams, one schema per event name. The console is built on these: a
 * name or a field changes only with its clients. Every frame is
 * `id: <instance>-<n>\nevent: <name>\ndata: <JSON>\n\n`; times are ISO 8601. Ids are opaque to
 * clients: `n` grows by one per event of the whole stream (a listener sees gaps where events
 * were not for it), and `instance` changes when siaga112 restarts. Send the last id back as
 * `Last-Event-ID` (EventSource does) to get what was missed instead of a new snapshot.
 */

/**
 * A call as the stream shows it: the call row's identity, where it is in its life, what the IVR
 * learnt and who has it. `operatorId` is an operator id, `"overflow"` when the overflow centre
 * answered, or null. `connectedAt` is when someone answered from the queue; `endedAt` when the
 * caller's part ended (the operator may still be in wrap-up).
 */
export const liveCallSchema = callSummary.pick({
  id: true, callerNumber: true, dialledNumber: true, category: true, priority: true, language: true, tags: true,
  operatorId: true, arrivedAt: true, answeredAt: true, connectedAt: true, endedAt: true, endReason: true,
}).extend({ state: callStateSchema });
export type LiveCall = z.infer<typeof liveCallSchema>;

export const liveEventSchemas = {
  /**
   * The first event of a stream opened without a usable `Last-Event-ID`: the listener's live
   * calls (not ended) and every fix of each, oldest first. Its id is that of the last event it
   * includes, so a reconnect from it misses nothing. A `queue.snapshot` with the same id follows.
   */
  snapshot: z.object({ calls: z.array(liveCallSchema), fixes: z.array(storedFixSchema) }),
  /**
   * A call changed (arrived, answered, queued, offered, connected, ended, abandoned), or it has
   * just reached this listener (an operator's phone rang for it): its whole view, which replaces
   * what the listener had. `state` `ended`, `abandoned`, `fallback` or `wrapup` means it left the
   * live board.
   */
  'call.updated': z.object({ call: liveCallSchema }),
  /**
   * A fix attached to a call, sent the moment it is taken in. When a call reaches an operator
   * later, its earlier fixes follow its `call.updated` to that operator: keep fixes by `fix.id`.
   */
  'location.fix': z.object({ callId: z.string(), fix: storedFixSchema }),
  /** The queue as `GET /api/queue` shows it (no caller numbers), sent after changes, at most every 200 ms. */
  'queue.snapshot': queueState,
} as const;

export type LiveEventName = keyof typeof liveEventSchemas;
export const liveEventNameSchema = z.enum(Object.keys(liveEventSchemas) as [LiveEventName, ...LiveEventName[]]);
/** One event as the stream sends it: its name and its data. */
export type LiveEvent = { [K in LiveEventName]: { type: K; data: z.infer<(typeof liveEventSchemas)[K]> } }[LiveEventName];
/** An event with its stream id, ready for the wire. */
export type LiveFrame = LiveEvent & { id: string };

/** The frame as Server-Sent Events put it; JSON never holds a raw newline, so one data line. */
export function sseFrame(frame: LiveFrame): string {
  return `id: ${frame.id}\nevent: ${frame.type}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}
