import type { Clock, Timer } from '../clock.js';
import { DEFAULT_FLOW } from '../ivr/default-flow.js';
import type { Flow, FlowInput } from '../ivr/flow-schema.js';
import type { FlowService } from '../ivr/flow-service.js';

/**
 * The generator's clock: time is whatever moment of the period is being written. Nothing in the
 * demo waits, so timers never run (the services it uses only stamp times).
 */
export class DemoClock implements Clock {
  constructor(private at: number) {}

  set(at: number): void {
    this.at = Math.round(at);
  }

  now(): number {
    return this.at;
  }

  after(): Timer {
    return { cancel: () => undefined };
  }

  every(): Timer {
    return { cancel: () => undefined };
  }
}

/**
 * The shipped flow with an admin's ghost-call policy: a caller who stays silent through the
 * silent-caller check is hung up instead of queued in the ghost lane (the one hangup a flow may
 * have). The demo tries it for a fortnight and rolls it back.
 */
export const GHOST_POLICY_FLOW: FlowInput = {
  ...DEFAULT_FLOW,
  description: 'Kota Bekasi 112 with the ghost-call policy: silence after the silent-caller check is hung up',
  steps: [
    ...DEFAULT_FLOW.steps.filter((step) => step.id !== 'ghost').map((step) => (step.id === 'listen' && step.type === 'silenceCheck' ? { ...step, onSilence: 'ghost-hangup' } : step)),
    { id: 'ghost-hangup', type: 'hangup', policy: 'ghost' },
  ],
};

export interface FlowVersion {
  flow: Flow;
  version: number;
}

/** Which flow version a call that is answered at a moment runs. */
export interface FlowsOverTime {
  at(moment: number): FlowVersion;
  /** The policy trial's versions and dates, when the period has one. */
  trial: { version: number; from: number; to: number } | null;
}

/**
 * Makes sure the shipped flow is active at the period's start (FlowService.ensureDefault), and
 * runs the ghost-policy trial through FlowService as an admin would: the version saved two days
 * ahead, activated at the trial's start, rolled back at its end (or at the period's end, so a
 * service started on the demo database never inherits the trial).
 */
export function setUpFlows(flows: FlowService, clock: DemoClock, period: { from: number; to: number }, trial: { from: number; to: number }): FlowsOverTime {
  clock.set(period.from);
  flows.ensureDefault();
  const base = flows.forCall('112');
  if (!base) throw new Error('no active IVR flow after ensureDefault');
  const from = Math.max(trial.from, period.from);
  const to = Math.min(trial.to, period.to);
  if (from >= to) return { at: () => base, trial: null };
  clock.set(from - 2 * 86_400_000);
  const saved = flows.create(GHOST_POLICY_FLOW, 'ghost-call policy trial (two weeks)');
  clock.set(from);
  flows.activate(base.flow.flowId, saved.version);
  const trialFlow = { flow: flows.document(saved.version).flow, version: saved.version };
  clock.set(to);
  flows.rollback(base.flow.flowId);
  return { at: (moment) => (moment >= from && moment < to ? trialFlow : base), trial: { version: saved.version, from, to } };
}
