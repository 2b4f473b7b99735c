/**
 * Time, injected so that timers and timestamps are testable: domain code never calls
 * `setTimeout` or `Date.now()` itself. Milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
  /** Runs `run` once, `ms` from now. A pending timer never keeps the process alive by itself. */
  after(ms: number, run: () => void): Timer;
  /** Runs `run` every `ms` until cancelled. */
  every(ms: number, run: () => void): Timer;
}

/** A scheduled run; cancelling twice, or after it ran, is harmless. */
export interface Timer {
  cancel(): void;
}

/** Resolves `ms` from now on `clock`'s time (virtual in tests). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}

/** A timer that is not running (a field's initial value instead of null checks). */
export const noTimer: Timer = { cancel: () => undefined };

/** The process's real clock. Timers are unref'd: a shutdown never waits for a ring timeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, run) => {
    const handle = setTimeout(run, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  every: (ms, run) => {
    const handle = setInterval(run, ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

/** What code that only stamps times needs (a record, the IVR's deadline, a simulation). */
export type TimeSource = Pick<Clock, 'now'>;
