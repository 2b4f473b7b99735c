import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CallState, CallTrigger, EndReason } from '../calls/states.js';
import { namedArg } from '../calls/stasis-args.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { ChannelSnapshot, Telephony, TelephonyEvent } from '../telephony/port.js';
import { chooseOperators, OperatorState, orderQueue, type Strategy, type WaitingCall } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';
import { OperatorTrigger } from './operator-states.js';
import type { CallQueue } from '../calls/call-queue.js';
import { TelephonyError } from '../telephony/port.js';
import { callerIdOf, holdingBridgeId, LEG_PREFIX, mixingBridgeId, type QueuedCall } from './queued-call.js';
import { OfferOutcome, OVERFLOW, RingingOffers } from './ringing-offers.js';
import type { QueueAnnouncer } from './queue-announcer.js';
import type { LegOwner } from '../telephony/leg-owner.js';

export interface SwitchboardSettings {
  strategy: Strategy;
  /** An unanswered offer is given up after this long and its operator auto-paused (no-answer). */
  ringTimeoutMs: number;
  /** A caller waiting longer than this also rings the overflow target (0: never). */
  overflowAfterMs: number;
  /** Dial string of the overflow target (another centre through the trunk), or null. */
  overflowEndpoint: string | null;
}

export interface SwitchboardDeps {
  telephony: Telephony;
  calls: CallsRepository;
  board: OperatorBoard;
  connected: ConnectedCalls;
  offers: OffersRepository;
  announcer?: QueueAnnouncer;
  clock: Clock;
  log: Logger;
  settings: SwitchboardSettings;
  /** A waiting caller hung up (the callback list takes it from here). */
  onAbandoned?: (call: QueuedCall, queueWaitMs: number) => void;
}

interface Waiting {
  call: QueuedCall;
  /** In its holding bridge with music: it can be offered. Until then it holds its place in line. */
  seated: boolean;
  /** Operator offers ringing now (channel ids). */
  offers: Set<string>;
  overflowChannelId: string | null;
  overflowTimer: NodeJS.Timeout | null;
}

/**
 * The ACD: callers wait in their own holding bridge (music on hold); whenever a caller is
 * enqueued, an operator becomes available or a softphone comes back, the waiting calls are
 * offered in queue order to the operators the strategy picks. An offer is an originate of the
 * operator's endpoint into our app; its StasisStart is the answer.
 */
export class Switchboard implements CallQueue, LegOwner {
  private readonly waiting = new Map<string, Waiting>();
  private readonly offers: RingingOffers;
  private readonly listeners = new Set<() => void>();
  private dispatching = false;
  private dispatchAgain = false;

  constructor(private readonly deps: SwitchboardDeps) {
    this.offers = new RingingOffers(deps.offers, deps.clock);
  }

  start(): () => void {
    const stopEvents = this.deps.telephony.onEvent((event) => this.onEvent(event));
    const stopBoard = this.deps.board.onChange(({ operator, from }) => {
      // Logged out while their phone rang: the ring stops and the call goes to someone else.
      if (from === OperatorState.offered && operator.state !== OperatorState.offered && operator.state !== OperatorState.busy) this.cancelRingsOf(operator.id);
      if (operator.state === OperatorState.available) this.dispatch();
      this.changed();
    });
    return () => {
      stopEvents();
      stopBoard();
    };
  }

  legs(): string[] {
    return this.offers.all().map((offer) => offer.channelId);
  }

  bridges(): string[] {
    return [];
  }

  engaged(): Array<[string, 'ringing']> {
    return this.offers.all().filter((offer) => offer.target !== OVERFLOW).map((offer) => [offer.target, 'ringing']);
  }

  /**
   * A ring whose channel vanished (Asterisk restarted, or the event was lost with the link) was
   * nobody's fault: cancelled, not counted against the operator as unanswered.
   */
  channelGone(channelId: string): boolean {
    if (!this.offers.has(channelId)) return false;
    this.endOffer(channelId, OfferOutcome.cancelled, false);
    return true;
  }

  /**
   * A connected caller whose operator was lost (their softphone died, their leg vanished) goes
   * back in line ahead of everyone who has not reached an operator yet, and out of the call's
   * bridge only once the holding bridge has them (no gap in what they hear).
   */
  async requeue(call: QueuedCall, callBridgeId: string): Promise<void> {
    call.headOfLine = true;
    try {
      await this.enqueue(call);
    } finally {
      void this.deps.telephony.destroyBridge(callBridgeId).catch(() => undefined);
    }
  }

  /** Stops every timer (shutdown): rings and overflow waits. */
  stop(): void {
    this.offers.stop();
    for (const waiting of this.waiting.values()) if (waiting.overflowTimer) clearTimeout(waiting.overflowTimer);
  }

  /** Puts an answered, IVR-sorted caller into the queue and offers it if someone is free. */
  async enqueue(call: QueuedCall): Promise<void> {
    const { telephony } = this.deps;
    const bridgeId = holdingBridgeId(call.callId);
    // A call re-adopted after a restart finds its own holding bridge (409: it exists) and may
    // still be in it.
    const unlessThere = (error: unknown) => {
      const alreadyThere = error instanceof TelephonyError && (error.status === 409 || error.status === 422);
      if (!alreadyThere) throw error;
    };
    // The caller takes their place in line at once, so that nobody behind them is offered an
    // operator while their holding bridge is being set up (three ARI requests).
    const waiting: Waiting = { call, seated: false, offers: new Set(), overflowChannelId: null, overflowTimer: null };
    this.waiting.set(call.callId, waiting);
    this.changed();
    try {
      await telephony.createBridge(bridgeId, 'holding', `siaga112 queue ${call.callId}`).catch(unlessThere);
      await telephony.addToBridge(bridgeId, [call.channelId]).catch(unlessThere);
      await telephony.startBridgeMoh(bridgeId);
    } catch (error) {
      // The session hands the caller to the dialplan fallback; the place in line is given up.
      if (this.waiting.get(call.callId) === waiting) this.waiting.delete(call.callId);
      this.dispatch();
      throw error;
    }
    // The caller may have hung up meanwhile (callerLeft took them out of the line).
    if (this.waiting.get(call.callId) !== waiting) return;
    waiting.seated = true;
    this.armOverflow(waiting);
    this.deps.announcer?.track(call.callId);
    this.dispatch();
    this.changed();
  }

  /**
   * Re-attaches a call connected before a restart: to its operator's leg if that is still up, or,
   * when the operator had handed the caller over, to the agency still with them in the bridge.
   */
  async adoptConnected(call: QueuedCall): Promise<boolean> {
    const answered = this.deps.offers.answered(call.callId);
    const leg = answered ? await this.deps.telephony.getChannel(answered.channelId) : undefined;
    if (answered && leg) {
      await this.deps.connected.adopt(call, answered.target === OVERFLOW ? null : answered.target, answered.channelId);
    } else {
      const inBridge = (await this.deps.telephony.bridgeChannels(mixingBridgeId(call.callId))) ?? [];
      if (!inBridge.includes(call.channelId) || inBridge.length < 2) return false;
      await this.deps.connected.adopt(call, null, null);
    }
    this.changed();
    return true;
  }

  /** Calls waiting, in the order they will be answered. */
  queueOrder(): WaitingCall[] {
    return orderQueue([...this.waiting.values()].map((w) => toWaitingCall(w.call)));
  }

  waitingCall(callId: string): QueuedCall | undefined {
    return this.waiting.get(callId)?.call;
  }

  ringing(callId: string): string[] {
    return [...(this.waiting.get(callId)?.offers ?? [])].map((id) => this.offers.get(id)?.target ?? '?');
  }

  /**
   * The caller left (hung up, or reached the maximum call length). Returns false when the call is
   * not the switchboard's. A waiting caller is recorded as abandoned with its wait, and any
   * operator still ringing for them is cancelled at once.
   */
  callerLeft(callId: string, trigger: typeof CallTrigger.callerHangup | typeof CallTrigger.maxDuration, endReason: EndReason, detail: object): boolean {
    const waiting = this.waiting.get(callId);
    if (!waiting) {
      const handled = this.deps.connected.callerLeft(callId, trigger, endReason, detail);
      if (handled) this.changed();
      return handled;
    }
    this.leaveQueue(waiting);
    const now = this.deps.clock.now();
    waiting.call.record.apply(trigger, { endedAt: now, endReason, queueWaitMs: now - waiting.call.enqueuedAt }, detail);
    if (trigger === CallTrigger.callerHangup) this.deps.onAbandoned?.(waiting.call, now - waiting.call.enqueuedAt);
    this.dispatch();
    this.changed();
    return true;
  }

  /** The dialplan fallback took the call: forget it and cancel what rings for it. */
  forget(callId: string): void {
    const waiting = this.waiting.get(callId);
    if (waiting) this.leaveQueue(waiting);
    this.deps.connected.forget(callId);
    this.changed();
  }

  /** Subscribes to queue changes (live queue state). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Offers waiting calls to free operators, in queue order, until one or the other runs out. */
  dispatch(): void {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        this.dispatchOnce();
      } while (this.dispatchAgain);
    } finally {
      this.dispatching = false;
    }
  }

  private dispatchOnce(): void {
    const decidedAt = this.deps.clock.now();
    for (const next of this.queueOrder()) {
      const waiting = this.waiting.get(next.callId);
      if (!waiting || waiting.offers.size > 0) continue;
      // Queue order is kept strictly: callers behind one still being seated wait for them.
      if (!waiting.seated) return;
      const chosen = chooseOperators(next, this.deps.board.views(), this.deps.settings.strategy);
      if (chosen.length === 0) return;
      for (const operator of chosen) this.offer(waiting, operator.operatorId, decidedAt);
    }
  }

  private offer(waiting: Waiting, target: string, decidedAt: number): void {
    const { telephony, board, settings } = this.deps;
    const { call } = waiting;
    const channelId = `${LEG_PREFIX}${randomUUID()}`;
    const isOverflow = target === OVERFLOW;
    const endpoint = isOverflow ? settings.overflowEndpoint : board.get(target)?.endpoint;
    if (!endpoint) return;
    if (!isOverflow) board.apply(target, OperatorTrigger.offer, { callId: call.callId });
    if (call.record.state === CallState.queued) call.record.apply(CallTrigger.offered, {}, { target, channelId });
    else call.record.note('offered', { target, channelId });
    const ringMs = isOverflow ? Math.max(settings.ringTimeoutMs, 60_000) : settings.ringTimeoutMs;
    this.offers.open({ callId: call.callId, target, channelId, decidedAt }, ringMs, () => this.endOffer(channelId, OfferOutcome.noAnswer));
    if (isOverflow) waiting.overflowChannelId = channelId;
    else waiting.offers.add(channelId);
    telephony.originate({
      // The operator's display shows the category and the caller's number.
      endpoint, channelId, callerId: callerIdOf(`${call.category.toUpperCase()} ${call.callerNumber}`, call.callerNumber),
      timeoutSeconds: Math.ceil(ringMs / 1000) + 5, appArgs: `leg=offer,call=${call.callId}`,
    }).catch((error: unknown) => {
      call.log.warn({ err: String(error), target }, 'offer could not be placed');
      this.endOffer(channelId, OfferOutcome.failed);
    });
  }

  /** An offer ended without being answered (or was cancelled); the call is offered again. */
  private endOffer(channelId: string, outcome: OfferOutcome, hangup = true): void {
    const offer = this.offers.close(channelId, outcome);
    if (!offer) return;
    const { board, telephony } = this.deps;
    if (hangup) void telephony.hangup(channelId).catch(() => undefined);
    const waiting = this.waiting.get(offer.callId);
    if (offer.target === OVERFLOW) {
      if (waiting) {
        waiting.overflowChannelId = null;
        this.armOverflow(waiting);
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
    this.dispatch();
    this.changed();
  }

  private onEvent(event: TelephonyEvent): void {
    switch (event.type) {
      case 'StasisStart':
        if (this.offers.has(event.channel.id)) this.offerAnswered(event.channel);
        else if (namedArg(event.args, 'leg') === 'offer') void this.deps.telephony.hangup(event.channel.id).catch(() => undefined);
        return;
      case 'ChannelDestroyed':
      case 'StasisEnd':
      case 'ChannelHangupRequest':
        if (this.offers.has(event.channelId)) this.endOffer(event.channelId, OfferOutcome.noAnswer, false);
        else if (event.type === 'ChannelDestroyed' && this.deps.connected.byLeg(event.channelId)) {
          // Only ChannelDestroyed says why a connected leg ended: a hang-up (16), or a phone that
          // stopped sending audio (rtp_timeout, 44) or a dead network path, whose caller is not
          // cut off but goes back in line.
          this.deps.connected.legLeft(event.channelId, { lost: LOST_LEG_CAUSES.has(event.cause) });
          this.changed();
        }
        return;
      default:
        return;
    }
  }

  private offerAnswered(channel: ChannelSnapshot): void {
    const offer = this.offers.get(channel.id)!;
    const waiting = this.waiting.get(offer.callId);
    const { board } = this.deps;
    const operatorId = offer.target === OVERFLOW ? null : offer.target;
    const operator = operatorId ? board.get(operatorId) : undefined;
    const stillTheirs = !operatorId || (operator?.state === OperatorState.offered && operator.callId === offer.callId);
    if (!waiting || !stillTheirs) {
      // The caller is gone, or the ring was no longer the operator's to take (their state moved
      // on in a race): the leg is hung up and the operator released, never left busy on nothing.
      this.endOffer(channel.id, OfferOutcome.cancelled);
      return;
    }
    this.offers.close(channel.id, OfferOutcome.answered);
    if (operatorId) board.apply(operatorId, OperatorTrigger.answer, { callId: offer.callId });
    waiting.offers.delete(channel.id);
    if (waiting.overflowChannelId === channel.id) waiting.overflowChannelId = null;
    // The holding bridge stays until the caller has been moved out of it: no gap in the music.
    this.leaveQueue(waiting, false);
    const { call } = waiting;
    this.deps.connected.connect(call, operatorId, channel.id).catch((error: unknown) => {
      call.log.error({ err: String(error) }, 'could not bridge the caller with the operator');
      call.failed(error);
    });
    this.changed();
  }

  private cancelRingsOf(operatorId: string): void {
    for (const offer of this.offers.all()) {
      if (offer.target === operatorId) this.endOffer(offer.channelId, OfferOutcome.cancelled);
    }
  }

  /** Takes a call out of the queue: timers stop and every ring for it is cancelled. */
  private leaveQueue(waiting: Waiting, destroyHoldingBridge = true): void {
    this.waiting.delete(waiting.call.callId);
    if (waiting.overflowTimer) clearTimeout(waiting.overflowTimer);
    this.deps.announcer?.untrack(waiting.call.callId);
    for (const channelId of [...waiting.offers, waiting.overflowChannelId]) {
      if (channelId) this.endOffer(channelId, OfferOutcome.cancelled);
    }
    if (destroyHoldingBridge) void this.deps.telephony.destroyBridge(holdingBridgeId(waiting.call.callId)).catch(() => undefined);
  }

  private armOverflow(waiting: Waiting): void {
    const { overflowAfterMs, overflowEndpoint } = this.deps.settings;
    if (overflowAfterMs <= 0 || !overflowEndpoint) return;
    const due = waiting.call.enqueuedAt + overflowAfterMs - this.deps.clock.now();
    waiting.overflowTimer = setTimeout(() => {
      waiting.overflowTimer = null;
      if (this.waiting.get(waiting.call.callId) !== waiting || waiting.overflowChannelId) return;
      waiting.call.record.note('overflow', { afterMs: overflowAfterMs });
      this.offer(waiting, OVERFLOW, this.deps.clock.now());
    }, Math.max(due, 1_000));
    waiting.overflowTimer.unref();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Q.850 causes with which Asterisk ends an answered leg whose phone is gone rather than hung up:
 * 44 (rtp_timeout: no audio), 38 (network out of order), 41 (temporary failure).
 */
const LOST_LEG_CAUSES: ReadonlySet<number> = new Set([38, 41, 44]);

function toWaitingCall(call: QueuedCall): WaitingCall {
  return {
    callId: call.callId, priority: call.priority, arrivedAt: call.arrivedAt, language: call.language, category: call.category,
    headOfLine: call.headOfLine ?? false,
  };
}
