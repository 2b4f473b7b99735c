import { describe, expect, it } from 'vitest';
import { CallState, CallTrigger, InvalidTransitionError, canTake, nextState } from '../../../src/calls/states.js';

describe('call state transitions', () => {
  it('given a new call, when it is answered, then it is in the IVR', () => {
    expect(nextState(CallState.arriving, CallTrigger.answered)).toBe(CallState.ivr);
  });

  it('given a call walking the whole path, then each step is allowed in order', () => {
    let state: CallState = CallState.arriving;
    for (const trigger of [CallTrigger.answered, CallTrigger.enqueued, CallTrigger.offered, CallTrigger.connected, CallTrigger.callerHangup, CallTrigger.wrapupDone]) {
      state = nextState(state, trigger);
    }
    expect(state).toBe(CallState.ended);
  });

  it('given a caller who hangs up before an operator, then the call is abandoned', () => {
    for (const from of [CallState.arriving, CallState.ivr, CallState.queued, CallState.offered]) {
      expect(nextState(from, CallTrigger.callerHangup)).toBe(CallState.abandoned);
    }
  });

  it('given any live state before wrap-up, then the fallback is always reachable', () => {
    for (const from of [CallState.arriving, CallState.ivr, CallState.queued, CallState.offered, CallState.connected]) {
      expect(nextState(from, CallTrigger.fallback)).toBe(CallState.fallback);
    }
  });

  it('given an ended call, when anything happens, then the transition is refused with a message naming both', () => {
    expect(() => nextState(CallState.ended, CallTrigger.answered)).toThrow(InvalidTransitionError);
    expect(() => nextState(CallState.fallback, CallTrigger.callerHangup)).toThrow('call in state fallback cannot take caller-hangup');
    expect(canTake(CallState.ended, CallTrigger.fallback)).toBe(false);
  });

  it('given an offered call whose operator does not answer, then it goes back to the queue', () => {
    expect(nextState(CallState.offered, CallTrigger.offerFailed)).toBe(CallState.queued);
  });
});
