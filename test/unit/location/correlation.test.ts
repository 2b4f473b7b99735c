import { describe, expect, it } from 'vitest';
import { callForMessage, type CandidateCall } from '../../../src/location/correlation.js';

const MIN = 60_000;
const WINDOW = { beforeMs: MIN, afterMs: 10 * MIN };
const T0 = Date.parse('2026-12-02T06:00:00Z');
const call = (id: string, arrivedAt: number, endedAt: number | null): CandidateCall => ({ id, arrivedAt: T0 + arrivedAt, endedAt: endedAt === null ? null : T0 + endedAt });

describe('which call an AML message belongs to', () => {
  it('given a live call, then a message during it belongs to it, even with an older ended call in the window', () => {
    const calls = [call('earlier', 0, 2 * MIN), call('live', 3 * MIN, null)];
    expect(callForMessage(calls, T0 + 4 * MIN, WINDOW)?.id).toBe('live');
  });

  it('given the window edges, then a message up to 1 min before the start and 10 min after the end belongs to the call, and not beyond', () => {
    const calls = [call('c', 10 * MIN, 12 * MIN)];
    expect(callForMessage(calls, T0 + 9 * MIN, WINDOW)?.id).toBe('c');
    expect(callForMessage(calls, T0 + 9 * MIN - 1, WINDOW)).toBeNull();
    expect(callForMessage(calls, T0 + 22 * MIN, WINDOW)?.id).toBe('c');
    expect(callForMessage(calls, T0 + 22 * MIN + 1, WINDOW)).toBeNull();
  });

  it('given two ended calls in the window, then the most recent takes the message', () => {
    const calls = [call('first', 0, MIN), call('second', 2 * MIN, 3 * MIN)];
    expect(callForMessage(calls, T0 + 4 * MIN, WINDOW)?.id).toBe('second');
  });

  it('given a redial before its StasisStart, then the message goes to the call before it (within its window)', () => {
    const calls = [call('before', 0, 2 * MIN)];
    expect(callForMessage(calls, T0 + 3 * MIN, WINDOW)?.id).toBe('before');
  });

  it('given no call from the number, then nobody takes it', () => {
    expect(callForMessage([], T0, WINDOW)).toBeNull();
  });
});
