/**
 * When the outbox worker tries a failed webhook delivery again, and when it gives up.
 *
 * Exponential backoff with full jitter: after the n-th failed attempt the next one waits a
 * random time between 0 and min(cap, base · factor^(n−1)). The ceilings, with base 1 s, factor 2
 * and cap 5 min, are:
 *
 *   after attempt   1    2    3    4    5     6     7      8      9      10+
 *   wait up to      1 s  2 s  4 s  8 s  16 s  32 s  64 s   128 s  256 s  300 s
 *
 * Full jitter (not "ceiling ± a little") because when an agency's endpoint comes back after an
 * outage, every queued event would otherwise retry in the same second and knock it over again.
 * The 12th failure goes to the dead-letter list; at worst the retries span about 18.5 minutes
 * (the sum of the first eleven ceilings). The 24-hour limit catches the other case: an event
 * whose first attempt was long ago because the service was down — a dispatch that old needs a
 * person, not another automatic retry.
 */
export const RETRY_POLICY = {
  baseMs: 1000,
  factor: 2,
  capMs: 5 * 60_000,
  maxAttempts: 12,
  maxAgeMs: 24 * 60 * 60_000,
} as const;
export type RetryPolicy = { readonly [K in keyof typeof RETRY_POLICY]: number };

function checkAttempt(attempt: number): void {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
}

/** The longest wait after the `attempt`-th failure (1-based): the jitter's upper bound. */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy = RETRY_POLICY): number {
  checkAttempt(attempt);
  // factor^(n−1) overflows to Infinity for large n; min() still returns the cap.
  return Math.min(policy.capMs, policy.baseMs * policy.factor ** (attempt - 1));
}

/**
 * Milliseconds to wait before the next try, after the `attempt`-th failed one (1-based).
 * `random` returns a number in [0, 1] (Math.random in production, a constant in tests); values
 * outside are clamped so a bad source can never schedule past the cap or into the past.
 */
export function nextAttemptDelayMs(attempt: number, random: () => number, policy: RetryPolicy = RETRY_POLICY): number {
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(r * backoffCeilingMs(attempt, policy));
}

/**
 * True when a delivery that has failed `attempt` times (counting the one just failed) stops
 * retrying and goes to the dead-letter list: at the 12th failure, or once 24 h have passed since
 * its first attempt (both limits inclusive). Times in ms on the injected clock.
 */
export function isDeadLetter(attempt: number, firstAttemptAt: number, now: number, policy: RetryPolicy = RETRY_POLICY): boolean {
  checkAttempt(attempt);
  return attempt >= policy.maxAttempts || now - firstAttemptAt >= policy.maxAgeMs;
}
