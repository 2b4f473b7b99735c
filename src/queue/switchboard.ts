import type { Clock } from '../clock.js';
import { CallTrigger, EndReason } from '../calls/states.js';
import type { CallQueue } from '../calls/call-queue.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { Dialer } from '../legs/dialer.js';
import type { Leg } from '../legs/leg.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { TelephonyError, type Telephony } from '../telephony/port.js';
import { OperatorState, type Strategy, type WaitingCall } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';
import { Offering } from './offering.js';
import { Overflow } from './overflow.js';
import type { QueueAnnouncer } from './queue-announcer.js';
import { holdingBridgeId, mixingBridgeId, type QueuedCall } from './queued-call.js';
import { type Offer, type OfferOutcome, OVERFLOW, RingingOffers } from './ringing-offers.js';
import { type Waiting, WaitingLine } from './waiting-line.js';

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
  dialer: Dialer;
  board: OperatorBoard;
  connected: ConnectedCalls;
  offers: OffersRepository;
  announcer?: QueueAnnouncer;
  clock: Clock;
  log: Logger;
  settings: SwitchboardSettings;
  /** A waiting caller hung up (the callback list takes it from here). */
  onAbandoned?: (call: QueuedCall, queueWaitMs: number) => void;
  /** A ring for a waiting call ended (answered, not answered, cancelled, failed). */
  onOfferEnded?: (offer: Offer, outcome: OfferOutcome) => void;
}

/**
 * The ACD: callers wait in their own holding bridge (music on hold); whenever a caller is
 * enqueued, an operator becomes available or a softphone comes back, the waiting calls are
 * offered in queue order to the operators the strategy picks (src/queue/offering.ts).
 */
export class Switchboard implements CallQueue {
  private readonly line = new WaitingLine();
  private readonly offering: Offering;
  private readonly overflow: Overflow;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: SwitchboardDeps) {
    const { clock, settings } = deps;
    this.overflow = new Overflow(clock, this.line, settings, (waiting) => this.offering.offer(waiting, OVERFLOW));
    this.offering = new Offering({
      dialer: deps.dialer, board: deps.board, offers: new RingingOffers(deps.offers, clock, deps.onOfferEnded), line: this.line, clock, settings,
      answered: (waiting, operatorId, leg) => this.answered(waiting, operatorId, leg),
      overflowEnded: (waiting) => this.overflow.arm(waiting),
      changed: () => this.changed(),
    });
  }

  /** Follows the operator board; returns the function that stops following it. */
  start(): () => void {
    return this.deps.board.onChange(({ operator, from }) => {
      // Logged out while their phone rang: the ring stops and the call goes to someone else.
      if (from === OperatorState.offered && operator.state !== OperatorState.offered && operator.state !== OperatorState.busy) this.offering.cancelRingsOf(operator.id);
      if (operator.state === OperatorState.available) this.offerWaitingCalls();
      this.changed();
    });
  }

  /** Offers waiting calls to free operators (after anything that may have freed one). */
  offerWaitingCalls(): void {
    this.offering.offerWaitingCalls();
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

  /** Stops every overflow wait (shutdown); rings are the dialer's to stop. */
  stop(): void {
    for (const waiting of this.line.all()) this.overflow.disarm(waiting);
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
    const waiting = this.line.join(call);
    this.changed();
    try {
      await telephony.createBridge(bridgeId, 'holding', `siaga112 queue ${call.callId}`).catch(unlessThere);
      await telephony.addToBridge(bridgeId, [call.channelId]).catch(unlessThere);
      await telephony.startBridgeMoh(bridgeId);
    } catch (error) {
      // The session hands the caller to the dialplan fallback; the place in line is given up.
      this.line.leave(waiting);
      this.offerWaitingCalls();
      throw error;
    }
    // The caller may have hung up meanwhile (callerLeft took them out of the line).
    if (!this.line.holds(waiting)) return;
    waiting.seated = true;
    this.overflow.arm(waiting);
    this.deps.announcer?.track(call.callId);
    this.offerWaitingCalls();
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
    return this.line.order();
  }

  waitingCall(callId: string): QueuedCall | undefined {
    return this.line.get(callId)?.call;
  }

  ringing(callId: string): string[] {
    const waiting = this.line.get(callId);
    return waiting ? this.offering.ringing(waiting) : [];
  }

  /**
   * The caller left (hung up, or reached the maximum call length). Returns false when the call is
   * not the switchboard's. A waiting caller is recorded as abandoned with its wait, and any
   * operator still ringing for them is cancelled at once.
   */
  callerLeft(callId: string, trigger: typeof CallTrigger.callerHangup | typeof CallTrigger.maxDuration, endReason: EndReason, detail: object): boolean {
    const waiting = this.line.get(callId);
    if (!waiting) {
      const handled = this.deps.connected.callerLeft(callId, trigger, endReason, detail);
      if (handled) this.changed();
      return handled;
    }
    this.leaveQueue(waiting);
    const now = this.deps.clock.now();
    waiting.call.record.apply(trigger, { endedAt: now, endReason, queueWaitMs: now - waiting.call.enqueuedAt }, detail);
    if (trigger === CallTrigger.callerHangup) this.deps.onAbandoned?.(waiting.call, now - waiting.call.enqueuedAt);
    this.offerWaitingCalls();
    this.changed();
    return true;
  }

  /** The dialplan fallback took the call: forget it and cancel what rings for it. */
  forget(callId: string): void {
    const waiting = this.line.get(callId);
    if (waiting) this.leaveQueue(waiting);
    this.deps.connected.forget(callId);
    this.changed();
  }

  /** Subscribes to queue changes (live queue state). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An operator (or the overflow centre) answered: the caller is bridged with them. */
  private answered(waiting: Waiting, operatorId: string | null, leg: Leg): void {
    // The holding bridge stays until the caller has been moved out of it: no gap in the music.
    this.leaveQueue(waiting, false);
    const { call } = waiting;
    this.deps.connected.connect(call, operatorId, leg).catch((error: unknown) => {
      call.log.error({ err: String(error) }, 'could not bridge the caller with the operator');
      call.failed(error);
    });
    this.changed();
  }

  /** Takes a call out of the queue: timers stop and every ring for it is cancelled. */
  private leaveQueue(waiting: Waiting, destroyHoldingBridge = true): void {
    this.line.leave(waiting);
    this.overflow.disarm(waiting);
    this.deps.announcer?.untrack(waiting.call.callId);
    this.offering.cancelAll(waiting);
    if (destroyHoldingBridge) void this.deps.telephony.destroyBridge(holdingBridgeId(waiting.call.callId)).catch(() => undefined);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
