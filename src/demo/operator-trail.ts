import type { NewOperatorEvent, OperatorChange, OperatorRow } from '../db/operators-repository.js';
import { nextOperatorState, OperatorState, OperatorTrigger, type OperatorView } from '../operators/operator-states.js';

/**
 * One operator's state through the period, changed the way OperatorBoard.apply changes it (the
 * same transitions, idle time, pause reason, call and event detail), with every change appended
 * to one shared history in the order it happened.
 */
export class OperatorTrail {
  state: OperatorState;
  private pauseReason: string | null;
  private stateSince: number;
  private idleSince: number;
  callId: string | null;

  constructor(readonly id: string, row: Pick<OperatorRow, 'stateSince' | 'idleSince'>, private readonly history: NewOperatorEvent[]) {
    // Every shift starts with a login, so the period starts with everyone logged out (an earlier
    // demo run leaves them so; a row left otherwise by a live service is overwritten at the end).
    this.state = OperatorState.offline;
    this.pauseReason = null;
    this.stateSince = row.stateSince;
    this.idleSince = row.idleSince;
    this.callId = null;
  }

  /** Moves the operator on a trigger at `at` (throws when the state machine refuses it). */
  apply(trigger: OperatorTrigger, at: number, options: { reason?: string; callId?: string | null; detail?: object } = {}): void {
    const from = this.state;
    const to = nextOperatorState(from, trigger);
    const becameFree = to === OperatorState.available && trigger !== OperatorTrigger.offerCancelled;
    this.state = to;
    this.stateSince = Math.round(at);
    this.pauseReason = to === OperatorState.paused ? (options.reason ?? 'break') : null;
    // An offer another operator won leaves this one at the head of the idle order.
    if (becameFree) this.idleSince = this.stateSince;
    this.callId = to === OperatorState.available || to === OperatorState.offline || to === OperatorState.paused
      ? null : (options.callId !== undefined ? options.callId : this.callId);
    this.history.push({
      operatorId: this.id, at: this.stateSince, fromState: from, toState: to, trigger,
      detail: JSON.stringify({ ...options.detail, ...(options.reason ? { reason: options.reason } : {}) }),
    });
  }

  /** What the ACD decides on (every operator on shift has a registered softphone). */
  view(): OperatorView {
    return { operatorId: this.id, state: this.state, reachable: true, idleSince: this.idleSince, languages: ['id', 'en'], categories: [] };
  }

  /** The row as the last change left it. */
  row(): OperatorChange {
    return { state: this.state, pauseReason: this.pauseReason, stateSince: this.stateSince, idleSince: this.idleSince, callId: this.callId };
  }
}
