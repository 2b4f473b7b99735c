import { describe, expect, it } from 'vitest';
import { lifecycleEventOf } from '../../../src/calls/call-events.js';
import { CallState, type CallState as State } from '../../../src/calls/states.js';

describe('which lifecycle event a transition is', () => {
  const rows: Array<[State, State, string | undefined]> = [
    [CallState.arriving, CallState.ivr, 'call.answered'],
    [CallState.ivr, CallState.queued, 'call.enqueued'],
    [CallState.queued, CallState.offered, 'call.offered'],
    [CallState.offered, CallState.connected, 'call.connected'],
    [CallState.connected, CallState.wrapup, 'call.ended'],
    [CallState.queued, CallState.abandoned, 'call.ended'],
    [CallState.ivr, CallState.fallback, 'call.ended'],
    // Ended once: not again when the wrap-up closes, nor when a callback to the abandoned caller ends.
    [CallState.wrapup, CallState.ended, undefined],
    [CallState.abandoned, CallState.callback, undefined],
    [CallState.callback, CallState.ended, undefined],
  ];
  for (const [from, to, expected] of rows) {
    it(`given ${from} → ${to}, then ${expected ?? 'nothing'} is published`, () => {
      expect(lifecycleEventOf(from, to)).toBe(expected);
    });
  }
});
