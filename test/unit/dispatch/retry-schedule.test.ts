import { describe, expect, it } from 'vitest';
import { RETRY_POLICY, backoffCeilingMs, isDeadLetter, nextAttemptDelayMs } from '../../../src/dispatch/retry-schedule.js';

const always = (value: number) => () => value;
const HOUR = 60 * 60_000;

describe('webhook retry delay', () => {
  it('given random 1, then each delay is the full ceiling: 1 s doubling up to the 5-minute cap', () => {
    const delays = Array.from({ length: 12 }, (_, index) => nextAttemptDelayMs(index + 1, always(1)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('given random 0, then every retry is immediate (full jitter reaches down to zero)', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) expect(nextAttemptDelayMs(attempt, always(0))).toBe(0);
  });

  it('given random 0.5, then the delay is half the ceiling', () => {
    expect(nextAttemptDelayMs(3, always(0.5))).toBe(2000);
    expect(nextAttemptDelayMs(20, always(0.5))).toBe(150_000);
  });

  it('given a very large attempt number, then the delay stays at the cap', () => {
    expect(nextAttemptDelayMs(5000, always(1))).toBe(RETRY_POLICY.capMs);
    expect(backoffCeilingMs(Number.MAX_SAFE_INTEGER)).toBe(300_000);
  });

  it('given a random source outside 0..1, then the delay is clamped to 0..ceiling', () => {
    expect(nextAttemptDelayMs(2, always(7))).toBe(2000);
    expect(nextAttemptDelayMs(2, always(-1))).toBe(0);
  });

  it('given an attempt below 1 or not whole, then it is refused as a bug', () => {
    expect(() => nextAttemptDelayMs(0, always(1))).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(1.5, always(1))).toThrow(RangeError);
    expect(() => isDeadLetter(0, 0, 0)).toThrow(RangeError);
  });

  it('given the whole schedule at full ceiling, then the eleven waits add up to about 18.5 minutes', () => {
    const total = Array.from({ length: 11 }, (_, index) => backoffCeilingMs(index + 1)).reduce((sum, ms) => sum + ms, 0);
    expect(total).toBe(1_111_000);
  });
});

describe('dead letter', () => {
  const first = 1_700_000_000_000;

  it('given 11 failures within the day, then the delivery is retried again', () => {
    expect(isDeadLetter(11, first, first + HOUR)).toBe(false);
  });

  it('given the 12th failure, then the delivery goes to the dead-letter list', () => {
    expect(isDeadLetter(12, first, first + 60_000)).toBe(true);
    expect(isDeadLetter(13, first, first + 60_000)).toBe(true);
  });

  it('given a first attempt one millisecond less than 24 h ago, then it is still retried', () => {
    expect(isDeadLetter(2, first, first + 24 * HOUR - 1)).toBe(false);
  });

  it('given a first attempt exactly 24 h ago, then it goes to the dead-letter list even after few attempts', () => {
    expect(isDeadLetter(1, first, first + 24 * HOUR)).toBe(true);
    expect(isDeadLetter(1, first, first + 3 * 24 * HOUR)).toBe(true);
  });

  it('given a stricter policy, then its limits apply', () => {
    const policy = { ...RETRY_POLICY, maxAttempts: 3, maxAgeMs: HOUR };
    expect(isDeadLetter(3, first, first, policy)).toBe(true);
    expect(isDeadLetter(2, first, first + HOUR, policy)).toBe(true);
    expect(isDeadLetter(2, first, first + HOUR - 1, policy)).toBe(false);
  });
});
