import type { Clock, Timer } from '../../src/clock.js';

interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
  everyMs: number | null;
}

/** Lets pending promise callbacks and I/O callbacks of the fake Asterisk run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Virtual time for tests: nothing scheduled runs until the test moves time on with `advance`,
 * so a 15-s ring timeout or a 10-s wrap-up takes no real time and never races the test.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly scheduled = new Set<Scheduled>();

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, run: () => void): Timer {
    return this.schedule(Math.max(0, ms), run, null);
  }

  every(ms: number, run: () => void): Timer {
    return this.schedule(Math.max(1, ms), run, Math.max(1, ms));
  }

  /** Timers not yet run (a test checks nothing is left after teardown). */
  get pending(): number {
    return this.scheduled.size;
  }

  /**
   * Moves time on by `ms`, running every timer that falls due on the way in time order, and
   * letting the promises each one starts settle before the next.
   */
  async advance(ms: number): Promise<void> {
    const until = this.current + ms;
    await settle();
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.everyMs === null) this.scheduled.delete(next);
      else next.at += next.everyMs;
      next.run();
      await settle();
    }
    this.current = until;
    await settle();
  }

  private nextDue(until: number): Scheduled | undefined {
    let next: Scheduled | undefined;
    for (const entry of this.scheduled) {
      if (entry.at > until) continue;
      if (!next || entry.at < next.at || (entry.at === next.at && entry.seq < next.seq)) next = entry;
    }
    return next;
  }

  private schedule(ms: number, run: () => void, everyMs: number | null): Timer {
    const entry: Scheduled = { at: this.current + ms, seq: this.seq++, run, everyMs };
    this.scheduled.add(entry);
    return { cancel: () => this.scheduled.delete(entry) };
  }
}
