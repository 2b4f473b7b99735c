import { z } from 'zod';
import { noTimer, type Timer } from '../clock.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import { executePlan, type ExecutorDeps } from './executor.js';
import { gatherViews, type GatherDeps } from './gather.js';
import { actionKey, planReconcile, type ReconcileAction } from './plan.js';

export interface ReconcilerOptions {
  /** How often the self-check compares (0: never; only at each connect). */
  intervalMs: number;
  /** See PlanOptions.graceMs. */
  graceMs: number;
  wrapupMs: number;
  /** Offers waiting calls to free operators once a run has changed something. */
  offerWaiting: () => void;
}

/** What /health shows of reconciliation: how often it ran, and what it had to repair, by kind. */
export const selfCheckStatus = z.object({
  runs: z.number().int(),
  lastRunAt: z.string().nullable(),
  repairs: z.record(z.string(), z.number().int()).describe('actions taken since start-up, by kind (adopt-call, free-operator, destroy-bridge, ...)'),
});
export type SelfCheckStatus = z.infer<typeof selfCheckStatus>;

/**
 * Keeps siaga112 and Asterisk in agreement. At every connect (start-up, ARI reconnect) it acts
 * on the whole plan at once: nothing in memory can be trusted to know better. In between, a
 * periodic self-check makes the same plan but acts only on disagreements it saw on the previous
 * check too, so that a call in the middle of a normal step (a ring just placed, a bridge being
 * built) is never "repaired".
 */
export class Reconciler {
  private timer: Timer = noTimer;
  private running: Promise<void> | null = null;
  private pendingFull = false;
  /** A full run was put off (writes waiting for a lock): the next run is a full one. */
  private fullOwed = false;
  private seenLastTime = new Set<string>();
  private readonly status = { runs: 0, lastRunAt: null as number | null, repairs: {} as Record<string, number> };

  constructor(
    private readonly deps: GatherDeps & ExecutorDeps & { log: Logger; telephony: Telephony; pendingWrites: () => number },
    private readonly options: ReconcilerOptions,
  ) {}

  /** Reconciles at every connect of the link and every interval; returns the stop function. */
  start(): () => void {
    const stopLink = this.deps.telephony.onLink((event) => {
      if (event.type === 'connected') void this.run('full');
    });
    if (this.options.intervalMs > 0) {
      this.timer = this.deps.clock.every(this.options.intervalMs, () => {
        if (this.deps.telephony.status().connected) void this.run('check');
      });
    }
    return () => {
      stopLink();
      this.timer.cancel();
    };
  }

  report(): SelfCheckStatus {
    const { runs, lastRunAt, repairs } = this.status;
    return { runs, lastRunAt: lastRunAt === null ? null : new Date(lastRunAt).toISOString(), repairs: { ...repairs } };
  }

  /** One run; a full run asked for while another runs follows it (never two at once). */
  async run(requested: 'full' | 'check'): Promise<void> {
    const mode = this.fullOwed ? 'full' : requested;
    if (this.running) {
      if (mode === 'full') this.pendingFull = true;
      return this.running;
    }
    this.running = this.runOnce(mode).finally(() => {
      this.running = null;
    });
    await this.running;
    if (this.pendingFull) {
      this.pendingFull = false;
      await this.run('full');
    }
  }

  private async runOnce(mode: 'full' | 'check'): Promise<void> {
    const { log, clock } = this.deps;
    // SQLite is the truth for what happened only once the writes waiting for a lock are in.
    if (this.deps.pendingWrites() > 0) {
      if (mode === 'full') this.fullOwed = true;
      return;
    }
    if (mode === 'full') this.fullOwed = false;
    let views;
    try {
      views = await gatherViews(this.deps);
    } catch (error) {
      // A full run that could not look is owed: the next check does it in full.
      if (mode === 'full') this.fullOwed = true;
      log.warn({ err: String(error), mode }, 'reconcile: could not read what Asterisk has; will try again');
      return;
    }
    const plan = planReconcile(views.stored, views.memory, views.live, { now: clock.now(), graceMs: this.options.graceMs, wrapupMs: this.options.wrapupMs });
    const keys = plan.map(actionKey);
    const due = mode === 'full' ? plan : plan.filter((_action, i) => this.seenLastTime.has(keys[i]!));
    this.seenLastTime = mode === 'full' ? new Set() : new Set(keys);
    this.status.runs += 1;
    this.status.lastRunAt = clock.now();
    if (due.length === 0) return;
    if (mode === 'check') log.warn({ repairs: due.map((a) => a.kind) }, 'self-check found disagreements with Asterisk; repairing');
    await executePlan(due, new Map(views.live.channels.map((c) => [c.id, c])), this.deps);
    this.count(due);
    this.options.offerWaiting();
  }

  private count(actions: readonly ReconcileAction[]): void {
    for (const action of actions) this.status.repairs[action.kind] = (this.status.repairs[action.kind] ?? 0) + 1;
  }
}
