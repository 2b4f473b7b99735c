import type { Clock } from '../clock.js';
import { CallState, CallTrigger } from '../calls/states.js';
import type { Dialer } from '../legs/dialer.js';
import { type Leg, type LegEnd, LegEndReason } from '../legs/leg.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { chooseOperators, OperatorState, type Strategy } from './acd.js';
import { OperatorTrigger } from '../operators/operator-states.js';
import { callerIdOf } from './queued-call.js';
import { OfferOutcome, OVERFLOW, type RingingOffers } from './ringing-offers.js';
import type { Waiting, WaitingLine } from './waiting-line.js';

export interface OfferSettings {
  strategy: Strategy;
  /** An unanswered offer is given up after this long and its operator auto-paused (no-answer). */
  ringTimeoutMs: number;
  /** Dial string of the overflow target (another centre through the trunk), or null. */
  overflowEndpoint: string | null;
}

export interface OfferingDeps {
  dialer: Dialer;
  board: OperatorBoard;
  offers: RingingOffers;
  line: WaitingLine;
  clock: Clock;
  settings: OfferSettings;
  /** An offer was answered while still wanted: the caller is to be connected with `leg`. */
  answered: (waiting: Waiting, operatorId: string | null, leg: Leg) => void;
  /** The overflow ring ended unanswered: the overflow wait starts again. */
  overflowEnded: (waiting: Waiting) => void;
  changed: () => void;
}

/**
 * Offering waiting calls: picks operators for the calls in line, rings their phones through the
 * dialer, and settles each ring (answered, not answered, cancelled, failed) on the operator
 * board and the call's record. An answer is the operator's leg entering our app.
 */
export class Offering {
  private offering = false;
  private offerAgain = false;

  constructor(private readonly deps: OfferingDeps) {}

  /** Offers waiting calls to free operators, in queue order, until one or the other runs out. */
  offerWaitingCalls(): void {
    if (this.offering) {
      this.offerAgain = true;
      return;
    }
    this.offering = true;
    try {
      do {
        this.offerAgain = false;
        this.offerOnce();
      } while (this.offerAgain);
    } finally {
      this.offering = false;
    }
  }

  /** Rings `target` (an operator id, or OVERFLOW) for a waiting call. */
  offer(waiting: Waiting, target: string, decidedAt = this.deps.clock.now()): void {
    const { dialer, board, settings } = this.deps;
    const { call } = waiting;
    const isOverflow = target === OVERFLOW;
    const endpoint = isOverflow ? settings.overflowEndpoint : board.get(target)?.endpoint;
    if (!endpoint) return;
    if (!isOverflow) board.apply(target, OperatorTrigger.offer, { callId: call.callId });
    const ringMs = isOverflow ? Math.max(settings.ringTimeoutMs, 60_000) : settings.ringTimeoutMs;
    const leg = dialer.dial({
      kind: isOverflow ? 'overflow' : 'offer', callId: call.callId, endpoint, ringMs, operatorId: isOverflow ? null : target,
      // The operator's display shows the category and the caller's number.
      callerId: callerIdOf(`${call.category.toUpperCase()} ${call.callerNumber}`, call.callerNumber),
    });
    const { channelId } = leg;
    if (call.record.state === CallState.queued) call.record.apply(CallTrigger.offered, {}, { target, channelId });
    else call.record.note('offered', { target, channelId });
    this.deps.offers.open({ leg, target, decidedAt });
    if (isOverflow) waiting.overflowChannelId = channelId;
    else waiting.offers.add(channelId);
    leg.onAnswered(() => this.legAnswered(leg)).onEnded((_, end) => this.legEnded(leg, end));
  }

  /** Cancels every ring for a call leaving the line. */
  cancelAll(waiting: Waiting): void {
    for (const channelId of [...waiting.offers, waiting.overflowChannelId]) {
      if (channelId) this.endOffer(channelId, OfferOutcome.cancelled);
    }
  }

  /** An operator whose ring must stop (logged out, forced) while their phone rang. */
  cancelRingsOf(operatorId: string): void {
    for (const offer of this.deps.offers.all()) {
      if (offer.target === operatorId) this.endOffer(offer.channelId, OfferOutcome.cancelled);
    }
  }

  /** Operators ringing now, for a waiting call. */
  ringing(waiting: Waiting): string[] {
    return [...waiting.offers].map((id) => this.deps.offers.get(id)?.target ?? '?');
  }

  private offerOnce(): void {
    const decidedAt = this.deps.clock.now();
    for (const next of this.deps.line.order()) {
      const waiting = this.deps.line.get(next.callId);
      if (!waiting || waiting.offers.size > 0) continue;
      // Queue order is kept strictly: callers behind one still being seated wait for them.
      if (!waiting.seated) return;
      const chosen = chooseOperators(next, this.deps.board.views(), this.deps.settings.strategy);
      if (chosen.length === 0) return;
      for (const operator of chosen) this.offer(waiting, operator.operatorId, decidedAt);
    }
  }

  /**
   * The ring ended by itself. A ring whose channel vanished (Asterisk restarted, or the event
   * was lost with the link) was nobody's fault: cancelled, not counted against the operator.
   */
  private legEnded(leg: Leg, end: LegEnd): void {
    if (end.answered) return;
    const outcome = end.reason === LegEndReason.vanished ? OfferOutcome.cancelled
      : end.reason === LegEndReason.failed ? OfferOutcome.failed : OfferOutcome.noAnswer;
    this.endOffer(leg.channelId, outcome, false);
  }

  /** An offer ended without being answered (or was cancelled); the call is offered again. */
  private endOffer(channelId: string, outcome: OfferOutcome, hangup = true): void {
    const offer = this.deps.offers.close(channelId, outcome);
    if (!offer) return;
    const { board, line } = this.deps;
    if (hangup) offer.leg.hangUp();
    const waiting = line.get(offer.callId);
    if (offer.target === OVERFLOW) {
      if (waiting) {
        waiting.overflowChannelId = null;
        this.deps.overflowEnded(waiting);
      }
    } else {
      waiting?.offers.delete(channelId);
      const operator = board.get(offer.target);
      if (operator?.state === OperatorState.offered && operator.callId === offer.callId) {
        if (outcome === OfferOutcome.cancelled) board.apply(offer.target, OperatorTrigger.offerCancelled);
        else board.apply(offer.target, OperatorTrigger.noAnswer, { reason: 'no-answer', detail: { callId: offer.callId, outcome } });
      }
    }
    if (waiting && waiting.offers.size === 0 && waiting.overflowChannelId === null && waiting.call.record.state === CallState.offered) {
      waiting.call.record.apply(CallTrigger.offerFailed, {}, { target: offer.target, outcome });
    }
    this.offerWaitingCalls();
    this.deps.changed();
  }

  private legAnswered(leg: Leg): void {
    const offer = this.deps.offers.get(leg.channelId);
    if (!offer) {
      leg.hangUp();
      return;
    }
    const waiting = this.deps.line.get(offer.callId);
    const { board } = this.deps;
    const operatorId = offer.target === OVERFLOW ? null : offer.target;
    const operator = operatorId ? board.get(operatorId) : undefined;
    const stillTheirs = !operatorId || (operator?.state === OperatorState.offered && operator.callId === offer.callId);
    if (!waiting || !stillTheirs) {
      // The caller is gone, or the ring was no longer the operator's to take (their state moved
      // on in a race): the leg is hung up and the operator released, never left busy on nothing.
      this.endOffer(leg.channelId, OfferOutcome.cancelled);
      return;
    }
    this.deps.offers.close(leg.channelId, OfferOutcome.answered);
    if (operatorId) board.apply(operatorId, OperatorTrigger.answer, { callId: offer.callId });
    waiting.offers.delete(leg.channelId);
    if (waiting.overflowChannelId === leg.channelId) waiting.overflowChannelId = null;
    this.deps.answered(waiting, operatorId, leg);
  }
}
