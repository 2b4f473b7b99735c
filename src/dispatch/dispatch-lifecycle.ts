import { z } from 'zod';

/**
 * A dispatch's lifecycle: one agency sent to one incident, and the one pure function that owns
 * which changes are allowed.
 *
 *   requested -> acknowledged -> en-route -> on-scene -> resolved
 * or cancelled (with a reason) from any state that is not final.
 *
 * Steps only move forward but may be skipped: an agency's own system often reports on-scene
 * without ever sending en-route (the crew was already nearby, or the radio operator only types
 * the arrival), and an operator may resolve a dispatch the agency handled by phone. Going back,
 * or repeating a step, is refused: a late "en-route" after "on-scene" is a stale message from the
 * agency, not news, and the route answers 409 with the current state so the sender can catch up.
 */
export const DispatchState = {
  requested: 'requested',
  acknowledged: 'acknowledged',
  enRoute: 'en-route',
  onScene: 'on-scene',
  resolved: 'resolved',
  cancelled: 'cancelled',
} as const;
export const dispatchStateSchema = z.enum(DispatchState);
export type DispatchState = z.infer<typeof dispatchStateSchema>;

/** What the operator or the agency's system reports about a dispatch. */
export const DispatchEventType = {
  acknowledge: 'acknowledge',
  enRoute: 'en-route',
  onScene: 'on-scene',
  resolve: 'resolve',
  cancel: 'cancel',
} as const;
export type DispatchEventType = (typeof DispatchEventType)[keyof typeof DispatchEventType];

/** A cancellation always says why: the export and the agency both need it (false alarm, duplicate…). */
export const cancelReasonSchema = z.string().trim().min(1, 'a cancellation needs a reason').max(500);

export const dispatchEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal(DispatchEventType.acknowledge) }).strict(),
  z.object({ type: z.literal(DispatchEventType.enRoute) }).strict(),
  z.object({ type: z.literal(DispatchEventType.onScene) }).strict(),
  z.object({ type: z.literal(DispatchEventType.resolve) }).strict(),
  z.object({ type: z.literal(DispatchEventType.cancel), reason: cancelReasonSchema }).strict(),
]);
export type DispatchEvent = z.infer<typeof dispatchEventSchema>;

/** An accepted event as the append-only log keeps it; `at` is the server's clock (ms), never the sender's claim. */
export const timedDispatchEventSchema = z.object({ event: dispatchEventSchema, at: z.number().int().min(0) });
export type TimedDispatchEvent = z.infer<typeof timedDispatchEventSchema>;

/** Why a change was refused; kebab-case so the route can use it as the 409's error id. */
export const DispatchRefusal = {
  /** The dispatch is resolved or cancelled: nothing changes it any more. */
  final: 'dispatch-final',
  /** The event would move the dispatch back, or repeat the step it is in. */
  notForward: 'dispatch-not-forward',
} as const;
export type DispatchRefusal = (typeof DispatchRefusal)[keyof typeof DispatchRefusal];

export type DispatchRefused = { ok: false; current: DispatchState; reason: DispatchRefusal };
export type DispatchStep = { ok: true; state: DispatchState } | DispatchRefused;

/** The forward path; a state's index is how far along it is. Cancelled is off the path. */
const PATH: readonly DispatchState[] = [
  DispatchState.requested, DispatchState.acknowledged, DispatchState.enRoute, DispatchState.onScene, DispatchState.resolved,
];

const TARGET: Record<DispatchEventType, DispatchState> = {
  acknowledge: DispatchState.acknowledged,
  'en-route': DispatchState.enRoute,
  'on-scene': DispatchState.onScene,
  resolve: DispatchState.resolved,
  cancel: DispatchState.cancelled,
};

/** True for resolved and cancelled: the states no event leaves. */
export function isFinalDispatchState(state: DispatchState): boolean {
  return state === DispatchState.resolved || state === DispatchState.cancelled;
}

/**
 * The state a dispatch moves to on an event, or a refusal carrying the current state (the
 * route maps it to 409). Never throws: a refusal is an ordinary answer to an agency's message.
 */
export function nextDispatchState(current: DispatchState, event: DispatchEvent): DispatchStep {
  if (isFinalDispatchState(current)) return { ok: false, current, reason: DispatchRefusal.final };
  const target = TARGET[event.type];
  if (target === DispatchState.cancelled) return { ok: true, state: target };
  if (PATH.indexOf(target) <= PATH.indexOf(current)) return { ok: false, current, reason: DispatchRefusal.notForward };
  return { ok: true, state: target };
}

/**
 * A dispatch's current state with the time of each step it went through. A skipped step keeps
 * null: the export shows "never reported", not a made-up time.
 */
export const dispatchTimelineSchema = z.object({
  state: dispatchStateSchema,
  requestedAt: z.number().int().min(0),
  acknowledgedAt: z.number().int().min(0).nullable(),
  enRouteAt: z.number().int().min(0).nullable(),
  onSceneAt: z.number().int().min(0).nullable(),
  resolvedAt: z.number().int().min(0).nullable(),
  cancelledAt: z.number().int().min(0).nullable(),
  cancelReason: z.string().nullable(),
});
export type DispatchTimeline = z.infer<typeof dispatchTimelineSchema>;

type StampField = 'acknowledgedAt' | 'enRouteAt' | 'onSceneAt' | 'resolvedAt' | 'cancelledAt';
const STAMP: Record<DispatchEventType, StampField> = {
  acknowledge: 'acknowledgedAt',
  'en-route': 'enRouteAt',
  'on-scene': 'onSceneAt',
  resolve: 'resolvedAt',
  cancel: 'cancelledAt',
};

/** The timeline of a dispatch just requested at `requestedAt`. */
export function newDispatchTimeline(requestedAt: number): DispatchTimeline {
  return {
    state: DispatchState.requested, requestedAt,
    acknowledgedAt: null, enRouteAt: null, onSceneAt: null, resolvedAt: null, cancelledAt: null, cancelReason: null,
  };
}

/**
 * The timeline after `event` at `at`, or the same refusal nextDispatchState gives. Returns a new
 * object; the one passed in is not changed.
 */
export function applyDispatchEvent(
  timeline: DispatchTimeline, event: DispatchEvent, at: number,
): { ok: true; timeline: DispatchTimeline } | DispatchRefused {
  const step = nextDispatchState(timeline.state, event);
  if (!step.ok) return step;
  const next: DispatchTimeline = { ...timeline, state: step.state };
  next[STAMP[event.type]] = at;
  if (event.type === DispatchEventType.cancel) next.cancelReason = event.reason;
  return { ok: true, timeline: next };
}

/**
 * The timeline derived from a dispatch's append-only events, oldest first. An event the rules
 * refuse is skipped rather than thrown: the log should only hold accepted events, but if two
 * writers ever raced (operator and agency both acting on "acknowledged"), replaying by the same
 * rule makes the first one win every time, and reading an incident never fails because of it.
 */
export function timelineOf(events: readonly TimedDispatchEvent[], requestedAt: number): DispatchTimeline {
  let timeline = newDispatchTimeline(requestedAt);
  for (const { event, at } of events) {
    const applied = applyDispatchEvent(timeline, event, at);
    if (applied.ok) timeline = applied.timeline;
  }
  return timeline;
}
