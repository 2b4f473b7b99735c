import { z } from 'zod';
import type { Publisher, Subscriber } from '../events/event-bus.js';
import { admissionLimitSchema } from './admission.js';
import { CallState, callStateSchema } from './states.js';

const base = { callId: z.string(), at: z.number().int() };

/**
 * What the call service and the records of calls publish as a call goes through its life (one
 * schema each). `ended` is published once, when the caller's part is over (the call then may
 * still be in its operator's wrap-up).
 */
export const callEventSchemas = {
  'call.arrived': z.object({ ...base, channelId: z.string(), callerNumber: z.string(), dialled: z.string() }),
  'call.answered': z.object(base),
  'call.enqueued': z.object(base),
  'call.offered': z.object(base),
  'call.connected': z.object({ ...base, operatorId: z.string().nullable() }),
  'call.ended': z.object({ ...base, state: callStateSchema, endReason: z.string().nullable(), fallbackReason: z.string().nullable().default(null) }),
  /** Admission sent a new call straight to the dialplan fallback (overload, shutdown); its `call.ended` follows. */
  'call.refused': z.object({ ...base, limit: admissionLimitSchema }),
  /** A caller gave up while waiting for an operator (the queue, or reconciliation after a fault, says so). */
  'call.abandoned': z.object({ ...base, callerNumber: z.string(), queueWaitMs: z.number().int().nonnegative() }),
};

/** Which lifecycle event, if any, a transition into `to` from `from` is. */
export function lifecycleEventOf(from: CallState, to: CallState): keyof typeof callEventSchemas | undefined {
  if (to === CallState.ivr) return 'call.answered';
  if (to === CallState.queued && from === CallState.ivr) return 'call.enqueued';
  if (to === CallState.offered) return 'call.offered';
  if (to === CallState.connected) return 'call.connected';
  const over = to === CallState.wrapup || to === CallState.ended || to === CallState.abandoned || to === CallState.fallback;
  // Once per call: not again from wrap-up, nor when a callback conversation with an abandoned caller ends.
  const live = from !== CallState.wrapup && from !== CallState.abandoned && from !== CallState.callback;
  if (over && live) return 'call.ended';
  return undefined;
}

/** Publishes calls' lifecycle events (the call service, a call's record). */
export type CallEventPublisher = Publisher<typeof callEventSchemas>;
/** Follows calls' lifecycle events (callbacks; later location, metrics, the console). */
export type CallEventSubscriber = Subscriber<typeof callEventSchemas>;
