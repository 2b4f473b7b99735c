import { CallState, CallTrigger, EndReason } from '../calls/states.js';
import type { NewOfferRow } from '../db/offers-repository.js';
import type { NewOperatorEvent } from '../db/operators-repository.js';
import { chooseOperators, orderQueue, Strategy } from '../queue/acd.js';
import { OperatorState, OperatorTrigger } from '../operators/operator-states.js';
import { OfferOutcome } from '../queue/ringing-offers.js';
import { recordingName } from '../queue/queued-call.js';
import { LEG_PREFIX } from '../telephony/leg-ids.js';
import { jakartaTime } from './calendar.js';
import type { CallTrail } from './call-trail.js';
import { logNormalBetween } from './distributions.js';
import type { EventQueue } from './event-queue.js';
import { OperatorTrail } from './operator-trail.js';
import type { PlannedCall } from './plan.js';
import type { Random } from './random.js';
import type { Pause, Shift } from './shifts.js';

/** The service's defaults (SIAGA112_RING_TIMEOUT_MS, SIAGA112_WRAPUP_MS). */
export const RING_TIMEOUT_MS = 15_000;
export const WRAPUP_MS = 10_000;

/** A call as the switchboard holds it, from its enqueue to its end. */
export interface SimCall {
  plan: PlannedCall;
  trail: CallTrail;
  callerNumberKey: string;
  /** What the IVR decided (the queue's order and the operator's skills). */
  queue: { priority: number; category: string; language: string; enqueuedAt: number } | null;
  rings: Set<Ring>;
  waiting: boolean;
  /** A caller who will give up: when they hang up if nobody has answered. */
  abandonAt: number | null;
}

interface Ring { call: SimCall; operatorId: string; channelId: string; decidedAt: number; open: boolean }

interface SimOperator {
  trail: OperatorTrail;
  onShift: boolean;
  /** The shift is over but the operator is still on a call: they log out once free. */
  leaving: boolean;
  /** Their shift ends the period: they stay until no caller is waiting or in the IVR. */
  closing: boolean;
  /** Their last recorded change (an earlier demo period's): this period's log-in comes after it. */
  lastChangeAt: number;
  pausedFor: Pause['reason'] | 'no-answer' | null;
}

export interface SwitchboardHooks {
  /** An operator answered: what happens in the conversation, and when and how it ends. */
  connected(call: SimCall, operatorId: string, at: number): { endAt: number; endedBy: 'caller' | 'operator' };
  /** A waiting caller hung up (the callback list takes it from here). */
  abandoned(call: SimCall, at: number, queueWaitMs: number): void;
}

/**
 * The ACD of the demo: the real decisions (orderQueue, chooseOperators with longest-idle) over
 * simulated operators on their shifts and simulated rings, each change recorded as the
 * switchboard records it: the operator's transition, the call's, the ring in call_offers.
 */
export class DemoSwitchboard {
  private readonly operators = new Map<string, SimOperator>();
  private readonly line = new Map<string, SimCall>();
  /** Callers in the IVR who will join the line. */
  private expected = 0;

  constructor(private readonly deps: {
    queue: EventQueue; rng: Random; ids: Random; offers: NewOfferRow[]; history: NewOperatorEvent[]; hooks: SwitchboardHooks;
    operatorRows: ReadonlyArray<{ id: string; stateSince: number; idleSince: number }>;
  }) {
    for (const row of deps.operatorRows) {
      this.operators.set(row.id, { trail: new OperatorTrail(row.id, row, deps.history), onShift: false, leaving: false, closing: false, lastChangeAt: row.stateSince, pausedFor: null });
    }
  }

  /** One operator's trail (callbacks move it too). */
  trail(operatorId: string): OperatorTrail {
    const op = this.operators.get(operatorId);
    if (!op) throw new Error(`unknown demo operator ${operatorId}`);
    return op.trail;
  }

  trails(): OperatorTrail[] {
    return [...this.operators.values()].map((o) => o.trail);
  }

  /** Schedules a shift: the log-in, the pauses, the log-out. */
  addShift(shift: Shift): void {
    const op = this.operators.get(shift.operatorId);
    const loginAt = Math.max(shift.loginAt, (op?.lastChangeAt ?? 0) + 1000);
    if (!op || loginAt >= shift.logoutAt) return;
    const { queue } = this.deps;
    queue.at(loginAt, () => {
      if (op.trail.state !== OperatorState.offline) return;
      op.onShift = true;
      op.leaving = false;
      op.trail.apply(OperatorTrigger.login, queue.now, { detail: { via: 'api' } });
      this.offerWaiting();
    });
    for (const pause of shift.pauses) queue.at(pause.at, () => this.takePause(op, pause, 0));
    queue.at(shift.logoutAt, () => {
      op.onShift = false;
      op.leaving = true;
      op.closing = shift.closesPeriod;
      this.leaveIfFree(op);
      if (op.closing) this.closeWhenQuiet(op);
    });
  }

  /** A caller is in the IVR and will join the line (an operator closing the period waits for them). */
  expect(): void {
    this.expected += 1;
  }

  /** Puts an IVR-sorted caller in line and offers what can be offered; `hangupAt`: they give up then if nobody answered. */
  enqueue(call: SimCall, hangupAt: number | null): void {
    this.expected -= 1;
    call.waiting = true;
    this.line.set(call.trail.id, call);
    if (hangupAt !== null) {
      call.abandonAt = Math.max(this.deps.queue.now + 300, hangupAt);
      this.deps.queue.at(call.abandonAt, () => this.callerLeft(call));
    }
    this.offerWaiting();
  }

  /** The longest-idle operator free for a callback, when nobody is waiting for one. */
  freeForCallback(): OperatorTrail | undefined {
    if (this.line.size > 0) return undefined;
    const free = [...this.operators.values()].filter((o) => o.onShift && o.trail.state === OperatorState.available);
    return free.sort((a, b) => a.trail.view().idleSince - b.trail.view().idleSince || a.trail.id.localeCompare(b.trail.id))[0]?.trail;
  }

  /** An operator's callback or wrap-up freed them: leave if their shift is over, else offer. */
  operatorFree(operatorId: string): void {
    const op = this.operators.get(operatorId);
    if (op) this.leaveIfFree(op);
    this.offerWaiting();
  }

  /** Offers waiting calls in queue order to the operators the strategy picks (Offering.offerOnce). */
  offerWaiting(): void {
    const waiting = [...this.line.values()].map((call) => ({
      callId: call.trail.id, priority: call.queue!.priority, arrivedAt: call.plan.arrivedAt, language: call.queue!.language, category: call.queue!.category, headOfLine: false,
    }));
    for (const next of orderQueue(waiting)) {
      const call = this.line.get(next.callId)!;
      if (call.rings.size > 0) continue;
      const chosen = chooseOperators(next, [...this.operators.values()].map((o) => o.trail.view()), Strategy.longestIdle);
      if (chosen.length === 0) return;
      for (const operator of chosen) this.ring(call, operator.operatorId);
    }
  }

  private ring(call: SimCall, operatorId: string): void {
    const { queue, rng } = this.deps;
    const at = queue.now;
    const op = this.operators.get(operatorId)!;
    op.trail.apply(OperatorTrigger.offer, at, { callId: call.trail.id });
    const ring: Ring = { call, operatorId, channelId: `${LEG_PREFIX}${this.deps.ids.uuid()}`, decidedAt: at, open: true };
    if (call.trail.state === CallState.queued) call.trail.apply(CallTrigger.offered, at, {}, { target: operatorId, channelId: ring.channelId });
    else call.trail.note('offered', at, { target: operatorId, channelId: ring.channelId });
    call.rings.add(ring);
    const hour = jakartaTime(at).hour;
    const missed = rng.chance(hour >= 1 && hour <= 5 ? 0.045 : 0.02);
    let answerMs = logNormalBetween(rng, 3200, 0.45, 900, 14_000);
    // A caller who gives up did so before this operator picked up: that is what abandoning is.
    if (call.abandonAt !== null && call.abandonAt > at) answerMs = Math.max(answerMs, call.abandonAt - at + rng.between(200, 2000));
    if (missed || answerMs >= RING_TIMEOUT_MS) queue.at(at + RING_TIMEOUT_MS, () => this.ringUnanswered(ring));
    else queue.at(at + answerMs, () => this.ringAnswered(ring));
  }

  private closeRing(ring: Ring, outcome: OfferOutcome): void {
    ring.open = false;
    ring.call.rings.delete(ring);
    this.deps.offers.push({
      callId: ring.call.trail.id, target: ring.operatorId, channelId: ring.channelId, decidedAt: ring.decidedAt, offeredAt: ring.decidedAt,
      endedAt: this.deps.queue.now, outcome,
    });
  }

  private ringAnswered(ring: Ring): void {
    if (!ring.open) return;
    const { queue, rng, hooks } = this.deps;
    const at = queue.now;
    const { call } = ring;
    const op = this.operators.get(ring.operatorId)!;
    this.closeRing(ring, OfferOutcome.answered);
    op.trail.apply(OperatorTrigger.answer, at, { callId: call.trail.id });
    this.line.delete(call.trail.id);
    call.waiting = false;
    call.trail.apply(CallTrigger.connected, at, { connectedAt: at, operatorId: ring.operatorId, queueWaitMs: at - call.queue!.enqueuedAt }, { operatorId: ring.operatorId, channelId: ring.channelId });
    const name = recordingName(call.trail.id);
    call.trail.change('recording-started', at + rng.between(120, 400), { recordingName: name }, { name });
    const { endAt, endedBy } = hooks.connected(call, ring.operatorId, at);
    queue.at(endAt, () => {
      const end = queue.now;
      if (endedBy === 'caller') {
        call.trail.apply(CallTrigger.callerHangup, end, { endedAt: end, endReason: EndReason.callerHangup }, { cause: 16 });
        op.trail.apply(OperatorTrigger.callEnded, end, { callId: call.trail.id });
      } else {
        // The operator's leg leaves first: their wrap-up starts, then the caller's record closes.
        op.trail.apply(OperatorTrigger.callEnded, end, { callId: call.trail.id });
        call.trail.apply(CallTrigger.operatorHangup, end, { endedAt: end, endReason: EndReason.operatorHangup }, { by: 'operator' });
      }
      queue.at(end + WRAPUP_MS, () => {
        op.trail.apply(OperatorTrigger.wrapupDone, queue.now);
        call.trail.apply(CallTrigger.wrapupDone, queue.now);
        this.operatorFree(ring.operatorId);
      });
    });
  }

  /** Nobody picked up in time: the operator is auto-paused (no-answer) and the call offered again. */
  private ringUnanswered(ring: Ring): void {
    if (!ring.open) return;
    const { queue, rng } = this.deps;
    const at = queue.now;
    const op = this.operators.get(ring.operatorId)!;
    this.closeRing(ring, OfferOutcome.noAnswer);
    op.trail.apply(OperatorTrigger.noAnswer, at, { reason: 'no-answer', detail: { callId: ring.call.trail.id, outcome: OfferOutcome.noAnswer } });
    op.pausedFor = 'no-answer';
    if (ring.call.rings.size === 0 && ring.call.trail.state === CallState.offered) {
      ring.call.trail.apply(CallTrigger.offerFailed, at, {}, { target: ring.operatorId, outcome: OfferOutcome.noAnswer });
    }
    this.leaveIfFree(op);
    // The operator notices the pause on their console and resumes.
    queue.at(at + logNormalBetween(rng, 75_000, 0.6, 15_000, 600_000), () => {
      if (op.trail.state !== OperatorState.paused || op.pausedFor !== 'no-answer') return;
      op.pausedFor = null;
      op.trail.apply(OperatorTrigger.resume, queue.now, { detail: { via: 'api' } });
      this.offerWaiting();
    });
    this.offerWaiting();
  }

  /** The waiting caller hung up: rings for them stop, the record says abandoned with the wait. */
  private callerLeft(call: SimCall): void {
    if (!call.waiting) return;
    const at = this.deps.queue.now;
    this.line.delete(call.trail.id);
    call.waiting = false;
    for (const ring of [...call.rings]) {
      this.closeRing(ring, OfferOutcome.cancelled);
      const op = this.operators.get(ring.operatorId)!;
      if (op.trail.state === OperatorState.offered && op.trail.callId === call.trail.id) op.trail.apply(OperatorTrigger.offerCancelled, at);
      this.leaveIfFree(op);
    }
    const queueWaitMs = at - call.queue!.enqueuedAt;
    call.trail.apply(CallTrigger.callerHangup, at, { endedAt: at, endReason: EndReason.callerHangup, queueWaitMs }, { cause: 16 });
    this.deps.hooks.abandoned(call, at, queueWaitMs);
    this.offerWaiting();
  }

  private takePause(op: SimOperator, pause: Pause, tries: number): void {
    const { queue } = this.deps;
    if (!op.onShift) return;
    if (op.trail.state !== OperatorState.available) {
      if (tries < 15) queue.at(queue.now + 60_000, () => this.takePause(op, pause, tries + 1));
      return;
    }
    op.trail.apply(OperatorTrigger.pause, queue.now, { reason: pause.reason, detail: { via: 'api' } });
    op.pausedFor = pause.reason;
    queue.at(queue.now + pause.durationMs, () => {
      if (op.trail.state !== OperatorState.paused || op.pausedFor !== pause.reason) return;
      op.pausedFor = null;
      op.trail.apply(OperatorTrigger.resume, queue.now, { detail: { via: 'api' } });
      this.offerWaiting();
    });
  }

  /** The period is over: an operator closing it looks every half minute whether anyone still needs them. */
  private closeWhenQuiet(op: SimOperator): void {
    if (!op.leaving) return;
    this.deps.queue.at(this.deps.queue.now + 30_000, () => {
      this.leaveIfFree(op);
      this.closeWhenQuiet(op);
    });
  }

  /** An operator whose shift is over logs out as soon as nothing holds them. */
  private leaveIfFree(op: SimOperator): void {
    if (!op.leaving || (op.trail.state !== OperatorState.available && op.trail.state !== OperatorState.paused)) return;
    if (op.closing && (this.line.size > 0 || this.expected > 0)) return;
    op.leaving = false;
    op.pausedFor = null;
    op.trail.apply(OperatorTrigger.logout, this.deps.queue.now, { detail: { via: 'api' } });
  }
}
