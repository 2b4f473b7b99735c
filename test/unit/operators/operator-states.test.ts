import { describe, expect, it } from 'vitest';
import { InvalidOperatorTransition, nextOperatorState } from '../../../src/operators/operator-states.js';

describe('operator states', () => {
  it('given a whole shift, then every step is allowed in order', () => {
    let state = nextOperatorState('offline', 'login');
    for (const trigger of ['offer', 'answer', 'call-ended', 'wrapup-done', 'pause', 'resume', 'logout'] as const) {
      state = nextOperatorState(state, trigger);
    }
    expect(state).toBe('offline');
  });

  it('given a ring nobody answers, then the operator is paused', () => {
    expect(nextOperatorState('offered', 'no-answer')).toBe('paused');
  });

  it('given an offer cancelled because the caller hung up, then the operator is available again', () => {
    expect(nextOperatorState('offered', 'offer-cancelled')).toBe('available');
  });

  it('given a busy operator, then they cannot log out or be offered a call in the middle of it', () => {
    expect(() => nextOperatorState('busy', 'logout')).toThrow(InvalidOperatorTransition);
    expect(() => nextOperatorState('busy', 'offer')).toThrow('operator in state busy cannot take offer');
  });
});
