import { CallbackStatus } from '../callbacks/callback-status.js';
import { CallState, CallTrigger } from '../calls/states.js';
import type { CallbackRow } from '../db/callbacks-repository.js';
import { OperatorTrigger } from '../operators/operator-states.js';
import { logNormalBetween } from './distributions.js';
import type { EventQueue } from './event-queue.js';
import type { Random } from './random.js';
import { type DemoSwitchboard, type SimCall, WRAPUP_MS } from './switchboard-sim.js';

/** SIAGA112_CALLBACK_MIN_WAIT_MS: a caller who waited less than this is not called back. */
export const CALLBACK_MIN_WAIT_MS = 5000;
/** CallbackService's CITIZEN_RING_MS: how long the citizen's phone rings. */
const CITIZEN_RING_MS = 30_000;

/** How a called-back citizen's phone answers, and after how long (ms). */
const CITIZEN: ReadonlyArray<readonly [{ outcome: 'answered' | 'no-answer' | 'busy' | 'rejected'; ms: [number, number] }, number]> = [
  [{ outcome: 'answered', ms: [4000, 18_000] }, 65], [{ outcome: 'no-answer', ms: [CITIZEN_RING_MS, CITIZEN_RING_MS] }, 25],
  [{ outcome: 'busy', ms: [2000, 5000] }, 7], [{ outcome: 'rejected', ms: [3000, 10_000] }, 3],
];

/**
 * The callback list as CallbackService keeps it: a caller who gave up after waiting gets a
 * callback; a free operator rings them back (their own phone first, then the citizen's through
 * the trunk); the citizen answers (done, and the call's record goes abandoned → callback → ended)
 * or not (failed, still owed, maybe tried again); a citizen who calls in again closes it (matched).
 */
export class DemoCallbacks {
  readonly rows: CallbackRow[] = [];
  private readonly owed = new Map<string, CallbackRow[]>();

  constructor(private readonly deps: { queue: EventQueue; rng: Random; ids: Random; switchboard: DemoSwitchboard; until: number }) {}

  /** A caller hung up in the queue after waiting `queueWaitMs`. */
  abandoned(call: SimCall, at: number, queueWaitMs: number): void {
    if (queueWaitMs < CALLBACK_MIN_WAIT_MS || call.callerNumberKey === 'unknown') return;
    const row: CallbackRow = {
      id: this.deps.ids.uuid(), callId: call.trail.id, number: call.plan.callerNumber.replace(/[^0-9+]/g, ''), numberKey: call.callerNumberKey,
      createdAt: at, status: CallbackStatus.open, operatorId: null, attempts: 0, outcome: null, matchedCallId: null, answeredAt: null, updatedAt: at,
    };
    this.rows.push(row);
    this.owed.set(row.numberKey, [...(this.owed.get(row.numberKey) ?? []), row]);
    this.deps.queue.at(at + logNormalBetween(this.deps.rng, 4 * 60_000, 0.6, 45_000, 40 * 60_000), () => this.attempt(row, call, 0));
  }

  /** A new call arrived: a callback still owed to its number is closed as matched. */
  arrived(numberKey: string, callId: string, at: number): void {
    for (const row of this.owed.get(numberKey) ?? []) {
      if (row.status !== CallbackStatus.open && row.status !== CallbackStatus.failed) continue;
      Object.assign(row, { status: CallbackStatus.matched, matchedCallId: callId, updatedAt: at });
    }
  }

  private attempt(row: CallbackRow, call: SimCall, waits: number): void {
    const { queue, rng, switchboard } = this.deps;
    // Still owed at the period's end: left on the list as it stands.
    if ((row.status !== CallbackStatus.open && row.status !== CallbackStatus.failed) || queue.now >= this.deps.until) return;
    const operator = switchboard.freeForCallback();
    if (!operator) {
      // Every operator is busy or someone is waiting: callers in line come first.
      if (waits < 60) queue.at(queue.now + 60_000, () => this.attempt(row, call, waits + 1));
      return;
    }
    const start = queue.now;
    operator.apply(OperatorTrigger.offer, start, { callId: row.callId, detail: { callback: row.id } });
    Object.assign(row, { status: CallbackStatus.calling, operatorId: operator.id, attempts: row.attempts + 1, updatedAt: start });
    queue.at(start + logNormalBetween(rng, 3000, 0.4, 1000, 12_000), () => {
      operator.apply(OperatorTrigger.answer, queue.now, { callId: row.callId });
      const citizen = rng.weighted(CITIZEN);
      queue.at(queue.now + rng.between(citizen.ms[0], citizen.ms[1]), () => {
        const at = queue.now;
        if (citizen.outcome === 'answered') {
          Object.assign(row, { status: CallbackStatus.done, outcome: 'answered', answeredAt: at, updatedAt: at });
          if (call.trail.state === CallState.abandoned) call.trail.apply(CallTrigger.calledBack, at, {}, { callbackId: row.id, operatorId: operator.id });
          queue.at(at + logNormalBetween(rng, 70_000, 0.5, 20_000, 400_000), () => {
            if (call.trail.state === CallState.callback) call.trail.apply(CallTrigger.callerHangup, queue.now, {}, { during: 'callback' });
            this.operatorDone(operator.id);
          });
          return;
        }
        Object.assign(row, { status: CallbackStatus.failed, outcome: citizen.outcome, updatedAt: at });
        this.operatorDone(operator.id);
        // Tried once more, later, for half of them; a failed callback stays on the list either way.
        if (row.attempts < 2 && rng.chance(0.5)) queue.at(at + logNormalBetween(rng, 20 * 60_000, 0.5, 5 * 60_000, 2 * 3_600_000), () => this.attempt(row, call, 0));
      });
    });
  }

  /** The operator's part of the callback is over: wrap-up (it closes no call), then free again. */
  private operatorDone(operatorId: string): void {
    const { queue, switchboard } = this.deps;
    const operator = switchboard.trail(operatorId);
    operator.apply(OperatorTrigger.callEnded, queue.now, { callId: operator.callId });
    queue.at(queue.now + WRAPUP_MS, () => {
      operator.apply(OperatorTrigger.wrapupDone, queue.now);
      switchboard.operatorFree(operatorId);
    });
  }
}
