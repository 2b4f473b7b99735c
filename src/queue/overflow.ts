import type { Clock } from '../clock.js';
import type { Waiting, WaitingLine } from './waiting-line.js';

export interface OverflowSettings {
  /** A caller waiting longer than this also rings the overflow target (0: never). */
  overflowAfterMs: number;
  overflowEndpoint: string | null;
}

/**
 * Overflow to another centre: a caller still waiting `overflowAfterMs` after being queued also
 * rings the overflow target, alongside any operator who becomes free meanwhile.
 */
export class Overflow {
  constructor(
    private readonly clock: Clock,
    private readonly line: WaitingLine,
    private readonly settings: OverflowSettings,
    /** Rings the overflow target for a waiting call. */
    private readonly ring: (waiting: Waiting) => void,
  ) {}

  /** Starts (again) the wait after which the call overflows; at least a second from now. */
  arm(waiting: Waiting): void {
    const { overflowAfterMs, overflowEndpoint } = this.settings;
    if (overflowAfterMs <= 0 || !overflowEndpoint) return;
    const due = waiting.call.enqueuedAt + overflowAfterMs - this.clock.now();
    waiting.overflowTimer.cancel();
    waiting.overflowTimer = this.clock.after(Math.max(due, 1_000), () => {
      if (!this.line.holds(waiting) || waiting.overflowChannelId) return;
      waiting.call.record.note('overflow', { afterMs: overflowAfterMs });
      this.ring(waiting);
    });
  }

  disarm(waiting: Waiting): void {
    waiting.overflowTimer.cancel();
  }
}
