import { describe, expect, it } from 'vitest';
import {
  type CallEventLike, type DispositionLike, callOutcome, callOutcomeSchema, currentDisposition, isGhost, wasAbandoned,
} from '../../../src/calls/call-outcome.js';

/** Events as CallsRepository.events() returns them: ids ascending, details as JSON strings. */
function trail(...types: Array<[string, object?]>): CallEventLike[] {
  return types.map(([type, detail], i) => ({ id: i + 1, callId: 'c1', at: 1000 + i, type, detail: detail ? JSON.stringify(detail) : null }));
}

function verdicts(...dispositions: string[]): DispositionLike[] {
  return dispositions.map((disposition, i) => ({ id: i + 1, callId: 'c1', number: '+6281', disposition, note: '', by: 'op1', at: 5000 }));
}

const QUEUED = [['arrived', { via: 'stasis' }], ['answered'], ['ivr-started', { flowId: 'main', version: 1 }], ['enqueued']] as Array<[string, object?]>;

describe('call outcome: disposition', () => {
  it('given a call disposed of several times, then the latest disposition is current and the history is untouched', () => {
    const history = verdicts('ghost', 'prank', 'valid');
    expect(currentDisposition(history)).toBe('valid');
    expect(history.map((d) => d.disposition)).toEqual(['ghost', 'prank', 'valid']);
  });

  it('given dispositions read newest first (as the repository returns them), then the highest id still wins', () => {
    expect(currentDisposition(verdicts('ghost', 'valid').reverse())).toBe('valid');
  });

  it('given a call with no dispositions, then its disposition is null', () => {
    expect(currentDisposition([])).toBeNull();
  });
});

describe('call outcome: abandoned', () => {
  it('given a caller who hung up while queued, then the call counts as abandoned', () => {
    expect(wasAbandoned(trail(...QUEUED, ['caller-hangup', { cause: 16 }]))).toBe(true);
  });

  it('given a call abandoned and then called back, then it still counts as abandoned', () => {
    const events = trail(...QUEUED, ['caller-hangup', { cause: 16 }], ['called-back', { callbackId: 'cb1', operatorId: 'op1' }],
      ['connected'], ['caller-hangup', { during: 'callback' }]);
    expect(wasAbandoned(events)).toBe(true);
    expect(callOutcome({ state: 'ended', tags: '[]', events, dispositions: [] }).abandoned).toBe(true);
  });

  it('given a call answered by an operator and then hung up by the caller, then it was never abandoned', () => {
    const events = trail(...QUEUED, ['offered', { target: 'op1' }], ['offered', { target: 'op2' }], ['connected'], ['caller-hangup', { cause: 16 }], ['wrapup-done']);
    expect(wasAbandoned(events)).toBe(false);
  });

  it('given an operator lost mid-call and the caller hanging up back in line, then the call is abandoned', () => {
    const events = trail(...QUEUED, ['offered'], ['connected'], ['operator-lost'], ['caller-hangup', { cause: 16 }]);
    expect(wasAbandoned(events)).toBe(true);
  });

  it('given a call that reached the maximum length in the queue or went to the fallback, then it was never abandoned', () => {
    expect(wasAbandoned(trail(...QUEUED, ['max-duration']))).toBe(false);
    expect(wasAbandoned(trail(['imported', { source: 'cdr' }]))).toBe(false);
  });

  it('given a row in state abandoned whose events were not read, then it counts as abandoned', () => {
    expect(callOutcome({ state: 'abandoned', tags: [], events: [], dispositions: [] }).abandoned).toBe(true);
  });
});

describe('call outcome: ghost', () => {
  it('given a call the IVR tagged ghost and nobody disposed of, then it is a ghost call', () => {
    expect(isGhost('["silent-caller","ghost"]', [])).toBe(true);
  });

  it('given a call an operator disposed of as ghost without a tag, then it is a ghost call', () => {
    expect(isGhost([], verdicts('ghost'))).toBe(true);
  });

  it('given a call tagged ghost and disposed of as ghost, then it counts as one ghost call', () => {
    const outcome = callOutcome({ state: 'ended', tags: ['ghost'], events: [], dispositions: verdicts('ghost') });
    expect(outcome.ghost).toBe(true);
    expect([outcome].filter((o) => o.ghost)).toHaveLength(1);
  });

  it('given a ghost disposition corrected to valid later and no ghost tag, then it is not a ghost call', () => {
    expect(isGhost([], verdicts('ghost', 'valid'))).toBe(false);
  });

  it('given a call tagged ghost by the IVR and disposed of as valid later, then it still counts as a ghost call (the IVR heard only silence)', () => {
    expect(isGhost(['ghost'], verdicts('valid'))).toBe(true);
  });

  it('given a call with neither tag nor ghost disposition, then it is not a ghost call', () => {
    expect(isGhost(['silent-caller'], verdicts('prank'))).toBe(false);
  });
});

describe('call outcome: the whole', () => {
  it('given a call, then its outcome matches the route schema', () => {
    const outcome = callOutcome({ state: 'callback', tags: '["ghost"]', events: trail(...QUEUED, ['caller-hangup'], ['called-back']), dispositions: verdicts('ghost', 'info') });
    expect(outcome).toEqual({ disposition: 'info', abandoned: true, ghost: true });
    expect(callOutcomeSchema.parse(outcome)).toEqual(outcome);
  });
});
