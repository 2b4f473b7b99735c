import { z } from 'zod';
import { agencyIdSchema } from './agency-routing.js';
import { DispatchEventType, dispatchStateSchema, type DispatchTimeline } from './dispatch-lifecycle.js';
import { incidentBriefSchema } from './incident-brief.js';

const iso = z.string().describe('ISO 8601');

/** A dispatch's timeline as clients see it: a time for each step it went through, null for skipped ones. */
export const dispatchTimelineJson = z.object({
  state: dispatchStateSchema,
  requestedAt: iso,
  acknowledgedAt: iso.nullable(),
  enRouteAt: iso.nullable(),
  onSceneAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  cancelledAt: iso.nullable(),
  cancelReason: z.string().nullable(),
});
export type DispatchTimelineJson = z.infer<typeof dispatchTimelineJson>;

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function timelineJson(timeline: DispatchTimeline): DispatchTimelineJson {
  return {
    state: timeline.state, requestedAt: new Date(timeline.requestedAt).toISOString(), acknowledgedAt: isoOrNull(timeline.acknowledgedAt),
    enRouteAt: isoOrNull(timeline.enRouteAt), onSceneAt: isoOrNull(timeline.onSceneAt), resolvedAt: isoOrNull(timeline.resolvedAt),
    cancelledAt: isoOrNull(timeline.cancelledAt), cancelReason: timeline.cancelReason,
  };
}

/** One step as the log keeps it: what, when, who (kind:id). Seq 0 is the request. */
export const dispatchStepJson = z.object({
  seq: z.number().int().min(0),
  type: z.union([z.literal('request'), z.enum(DispatchEventType)]),
  reason: z.string().optional(),
  at: iso,
  by: z.string(),
});

export const dispatchView = z.object({
  id: z.uuid(),
  incidentId: z.string(),
  agencyId: agencyIdSchema,
  requestedBy: z.string(),
  timeline: dispatchTimelineJson,
  steps: z.array(dispatchStepJson),
  incident: incidentBriefSchema,
});
export type DispatchView = z.infer<typeof dispatchView>;

export const dispatchIdParams = z.object({ id: z.uuid() });
export const dispatchListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/** What every webhook carries: the event (its idempotency key as id), the dispatch now, and the incident. */
export const webhookBodySchema = z.object({
  id: z.string().describe('the idempotency key: the same on every retry of this event'),
  type: z.string().describe('dispatch.requested, dispatch.acknowledged, dispatch.en-route, dispatch.on-scene, dispatch.resolved, dispatch.cancelled'),
  occurredAt: iso,
  dispatch: dispatchView.omit({ incident: true }),
  incident: incidentBriefSchema,
});
export type WebhookBody = z.infer<typeof webhookBodySchema>;
