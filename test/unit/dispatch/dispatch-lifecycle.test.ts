import { describe, expect, it } from 'vitest';
import {
  DispatchRefusal, DispatchState, applyDispatchEvent, dispatchEventSchema, dispatchStateSchema, isFinalDispatchState,
  newDispatchTimeline, nextDispatchState, timelineOf, type DispatchEvent, type TimedDispatchEvent,
} from '../../../src/dispatch/dispatch-lifecycle.js';

const acknowledge: DispatchEvent = { type: 'acknowledge' };
const enRoute: DispatchEvent = { type: 'en-route' };
const onScene: DispatchEvent = { type: 'on-scene' };
const resolve: DispatchEvent = { type: 'resolve' };
const cancel: DispatchEvent = { type: 'cancel', reason: 'false alarm' };
const FORWARD: Array<[DispatchEvent, DispatchState]> = [
  [acknowledge, DispatchState.acknowledged], [enRoute, DispatchState.enRoute], [onScene, DispatchState.onScene], [resolve, DispatchState.resolved],
];
const PATH: DispatchState[] = [DispatchState.requested, DispatchState.acknowledged, DispatchState.enRoute, DispatchState.onScene, DispatchState.resolved];

describe('dispatch transitions', () => {
  it('given a requested dispatch, when every step is reported in order, then each is accepted and it ends resolved', () => {
    let state: DispatchState = DispatchState.requested;
    for (const [event, expected] of FORWARD) {
      const step = nextDispatchState(state, event);
      expect(step).toEqual({ ok: true, state: expected });
      if (step.ok) state = step.state;
    }
    expect(state).toBe(DispatchState.resolved);
  });

  it('given an acknowledged dispatch, when the agency reports on scene, then the dispatch is on scene (en route skipped)', () => {
    expect(nextDispatchState(DispatchState.acknowledged, onScene)).toEqual({ ok: true, state: DispatchState.onScene });
  });

  it('given any non-final state, when a later step is reported, then it is accepted (skipping forward is allowed)', () => {
    for (const [fromIndex, from] of PATH.entries()) {
      for (const [event, to] of FORWARD) {
        if (PATH.indexOf(to) > fromIndex) expect(nextDispatchState(from, event)).toEqual({ ok: true, state: to });
      }
    }
    expect(nextDispatchState(DispatchState.requested, resolve)).toEqual({ ok: true, state: DispatchState.resolved });
  });

  it('given any non-final state, when the step it is in or an earlier one is reported, then it is refused as not forward with the current state', () => {
    for (const [fromIndex, from] of PATH.entries()) {
      if (from === DispatchState.resolved) continue;
      for (const [event, to] of FORWARD) {
        if (PATH.indexOf(to) <= fromIndex) expect(nextDispatchState(from, event)).toEqual({ ok: false, current: from, reason: DispatchRefusal.notForward });
      }
    }
    expect(nextDispatchState(DispatchState.onScene, enRoute)).toEqual({ ok: false, current: DispatchState.onScene, reason: 'dispatch-not-forward' });
  });

  it('given any non-final state, when the dispatch is cancelled, then it is cancelled', () => {
    for (const from of [DispatchState.requested, DispatchState.acknowledged, DispatchState.enRoute, DispatchState.onScene]) {
      expect(nextDispatchState(from, cancel)).toEqual({ ok: true, state: DispatchState.cancelled });
    }
  });

  it('given a resolved or cancelled dispatch, when anything is reported, then it is refused as final with the current state', () => {
    for (const from of [DispatchState.resolved, DispatchState.cancelled]) {
      for (const event of [acknowledge, enRoute, onScene, resolve, cancel]) {
        expect(nextDispatchState(from, event)).toEqual({ ok: false, current: from, reason: DispatchRefusal.final });
      }
    }
  });

  it('given the states, then only resolved and cancelled are final', () => {
    expect(dispatchStateSchema.options.filter(isFinalDispatchState)).toEqual([DispatchState.resolved, DispatchState.cancelled]);
  });
});

describe('dispatch event schema', () => {
  it('given a cancel without a reason, or with only spaces, then it is rejected', () => {
    expect(dispatchEventSchema.safeParse({ type: 'cancel' }).success).toBe(false);
    expect(dispatchEventSchema.safeParse({ type: 'cancel', reason: '   ' }).success).toBe(false);
  });

  it('given a cancel with a padded reason, then the reason is kept trimmed', () => {
    expect(dispatchEventSchema.parse({ type: 'cancel', reason: '  duplicate  ' })).toEqual({ type: 'cancel', reason: 'duplicate' });
  });

  it('given an unknown event type or an extra field, then it is rejected', () => {
    expect(dispatchEventSchema.safeParse({ type: 'arrive' }).success).toBe(false);
    expect(dispatchEventSchema.safeParse({ type: 'acknowledge', reason: 'x' }).success).toBe(false);
  });
});

describe('dispatch timeline', () => {
  it('given a new dispatch, then only its request time is set', () => {
    expect(newDispatchTimeline(1000)).toEqual({
      state: 'requested', requestedAt: 1000, acknowledgedAt: null, enRouteAt: null, onSceneAt: null, resolvedAt: null, cancelledAt: null, cancelReason: null,
    });
  });

  it('given an accepted event, then its step is stamped and the old timeline is unchanged', () => {
    const before = newDispatchTimeline(1000);
    const applied = applyDispatchEvent(before, acknowledge, 2000);
    expect(applied).toEqual({ ok: true, timeline: { ...before, state: 'acknowledged', acknowledgedAt: 2000 } });
    expect(before.state).toBe('requested');
  });

  it('given a refused event, then the refusal carries the current state and no timeline', () => {
    const resolved = timelineOf([{ event: resolve, at: 2000 }], 1000);
    expect(applyDispatchEvent(resolved, cancel, 3000)).toEqual({ ok: false, current: 'resolved', reason: DispatchRefusal.final });
  });

  it('given a cancellation, then its time and reason are recorded', () => {
    const timeline = timelineOf([{ event: acknowledge, at: 2000 }, { event: { type: 'cancel', reason: 'caller found help' }, at: 5000 }], 1000);
    expect(timeline).toMatchObject({ state: 'cancelled', acknowledgedAt: 2000, cancelledAt: 5000, cancelReason: 'caller found help', resolvedAt: null });
  });

  it('given events that skip en route, then the timeline derived from them leaves en route null', () => {
    const events: TimedDispatchEvent[] = [{ event: acknowledge, at: 2000 }, { event: onScene, at: 9000 }, { event: resolve, at: 20_000 }];
    expect(timelineOf(events, 1000)).toEqual({
      state: 'resolved', requestedAt: 1000, acknowledgedAt: 2000, enRouteAt: null, onSceneAt: 9000, resolvedAt: 20_000, cancelledAt: null, cancelReason: null,
    });
  });

  it('given no events, then the derived timeline is the requested one', () => {
    expect(timelineOf([], 1000)).toEqual(newDispatchTimeline(1000));
  });

  it('given a log where two writers raced, then the first accepted event wins and later refused ones are skipped', () => {
    const events: TimedDispatchEvent[] = [
      { event: onScene, at: 3000 }, { event: enRoute, at: 3001 }, { event: resolve, at: 4000 }, { event: cancel, at: 4001 },
    ];
    expect(timelineOf(events, 1000)).toMatchObject({ state: 'resolved', enRouteAt: null, onSceneAt: 3000, resolvedAt: 4000, cancelledAt: null, cancelReason: null });
  });
});
