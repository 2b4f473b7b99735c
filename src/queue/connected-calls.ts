import type { Clock } from '../clock.js';
import { Wrapups } from './wrapups.js';
import type { CallEventPublisher } from '../calls/call-events.js';
import { CallTrigger, EndReason } from '../calls/states.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { Telephony } from '../telephony/port.js';
import type { BridgeOwner } from '../telephony/leg-owner.js';
import type { Dialer } from '../legs/dialer.js';
import { type Leg, type LegEnd, LegEndReason } from '../legs/leg.js';
import { parseLegArgs } from '../legs/leg-kind.js';
import { OperatorState } from './acd.js';
import { OperatorTrigger } from '../operators/operator-states.js';
import { holdingBridgeId, mixingBridgeId, type QueuedCall, recordingName } from './queued-call.js';
import type { LiveCall, TrackedConnection } from './live-call.js';

export type { LiveCall, TrackedConnection } from './live-call.js';

export interface ConnectedCallsDeps {
  telephony: Telephony;
  dialer: Dialer;
  board: OperatorBoard;
  calls: CallsRepository;
  clock: Clock;
  events: CallEventPublisher;
  log: Logger;
  wrapupMs: number;
  /** The operator's leg vanished and nobody else is with the caller: the caller goes back in line. */
  onOperatorLost?: (call: QueuedCall, callBridgeId: string) => void;
}

/**
 * Answered calls: the mixing bridge and its recording, who hangs up, and the operator's wrap-up.
 * The caller leaving ends the call for everyone; the operator leaving ends it too unless an
 * agency is still on the line with the caller (a hand-over).
 */
export class ConnectedCalls implements BridgeOwner {
  private readonly live = new Map<string, LiveCall>();
  private readonly byChannel = new Map<string, string>();
  private readonly wrapups: Wrapups;

  constructor(private readonly deps: ConnectedCallsDeps) {
    this.wrapups = new Wrapups(deps, (callId) => this.live.has(callId));
  }

  get(callId: string): LiveCall | undefined {
    return this.live.get(callId);
  }

  /** The live call a leg channel (operator, agency, supervisor) belongs to. */
  byLeg(channelId: string): LiveCall | undefined {
    const callId = this.byChannel.get(channelId);
    return callId ? this.live.get(callId) : undefined;
  }

  get size(): number {
    return this.live.size;
  }

  bridges(): string[] {
    return [...this.live.values()].map((live) => live.bridgeId);
  }

  /** What reconciliation compares with Asterisk: each connected call's caller and operator legs. */
  connections(): Map<string, TrackedConnection> {
    return new Map([...this.live.values()].map((live) => [live.call.callId, {
      callerChannelId: live.call.channelId, operatorId: live.operatorId, operatorChannelId: live.operatorChannelId,
    }]));
  }

  /** Operators whose wrap-up timer runs. */
  wrappingUp(): Set<string> {
    return this.wrapups.operators();
  }

  /** Calls whose record closes when a running wrap-up ends. */
  wrappingCalls(): Set<string> {
    return this.wrapups.calls();
  }

  /**
   * Moves the caller from the holding bridge into a new mixing bridge with the answering leg and
   * starts recording. The caller hears music until the moment the operator is there.
   */
  async connect(call: QueuedCall, operatorId: string | null, leg: Leg): Promise<void> {
    const { telephony, calls, clock } = this.deps;
    const operatorChannelId = leg.channelId;
    leg.onEnded(this.partyEnded);
    const now = clock.now();
    const live: LiveCall = { call, bridgeId: mixingBridgeId(call.callId), operatorId, operatorChannelId, legs: new Set() };
    this.track(live);
    call.record.apply(CallTrigger.connected, { connectedAt: now, operatorId: operatorId ?? 'overflow', queueWaitMs: now - call.enqueuedAt }, { operatorId, channelId: operatorChannelId });
    await telephony.createBridge(live.bridgeId, 'mixing', `siaga112 call ${call.callId}`);
    await telephony.removeFromBridge(holdingBridgeId(call.callId), [call.channelId]).catch(() => undefined);
    await telephony.addToBridge(live.bridgeId, [call.channelId, operatorChannelId]);
    void telephony.destroyBridge(holdingBridgeId(call.callId)).catch(() => undefined);
    const name = recordingName(call.callId);
    try {
      await telephony.recordBridge(live.bridgeId, name);
      calls.change(call.callId, { recordingName: name }, { type: 'recording-started', at: clock.now(), detail: { name } });
    } catch (error) {
      // A call without a recording is still a call: never drop the caller over it.
      call.log.error({ err: String(error) }, 'could not start the call recording');
      call.record.note('recording-failed', { error: String(error) });
    }
  }

  /**
   * Re-attaches a call answered before a restart, with its operator leg when it is still up
   * (null when the operator had handed the caller over), and whoever else is still in its bridge
   * (an agency, a barging supervisor), so they are hung up with it. Tracked at once, before
   * asking Asterisk who is in the bridge, so reconciliation sees its operator talking meanwhile.
   */
  async adopt(call: QueuedCall, operatorId: string | null, operatorChannelId: string | null): Promise<void> {
    const bridgeId = mixingBridgeId(call.callId);
    const live: LiveCall = { call, bridgeId, operatorId, operatorChannelId, legs: new Set() };
    this.track(live);
    const { dialer, telephony } = this.deps;
    if (operatorChannelId) dialer.adopt(operatorChannelId, operatorId ? 'offer' : 'overflow', call.callId, operatorId).onEnded(this.partyEnded);
    const [inBridge, channels] = await Promise.all([telephony.bridgeChannels(bridgeId), telephony.listChannels()]);
    if (this.live.get(call.callId) !== live) return;
    for (const channelId of inBridge ?? []) {
      if (channelId === call.channelId || channelId === operatorChannelId) continue;
      const channel = channels.find((c) => c.id === channelId);
      // Gone while we asked: never adopt a party whose end nobody would hear.
      if (!channel) continue;
      const args = parseLegArgs(channel.appArgs ?? []);
      live.legs.add(channelId);
      this.byChannel.set(channelId, call.callId);
      dialer.adopt(channelId, args?.kind ?? 'agency', call.callId, null).onEnded(this.partyEnded);
    }
  }

  /** Adds a party (an agency, a barging supervisor) to a live call's bridge. */
  async addLeg(callId: string, leg: Leg): Promise<void> {
    const live = this.live.get(callId);
    const { channelId } = leg;
    if (!live) {
      leg.hangUp();
      return;
    }
    leg.onEnded(this.partyEnded);
    live.legs.add(channelId);
    this.byChannel.set(channelId, callId);
    await this.deps.telephony.addToBridge(live.bridgeId, [channelId]);
  }

  /** The operator hands the caller over to the agency on the line and goes to wrap-up. */
  async operatorLeaves(callId: string): Promise<boolean> {
    const live = this.live.get(callId);
    if (!live || live.legs.size === 0 || !live.operatorChannelId) return false;
    const channelId = live.operatorChannelId;
    live.operatorChannelId = null;
    this.byChannel.delete(channelId);
    live.call.record.note('operator-left', { operatorId: live.operatorId });
    this.operatorDone(live, live.call.callId);
    this.deps.dialer.hangUpChannel(channelId);
    return true;
  }

  /** The caller hung up (or the call hit its maximum duration): everyone else is hung up. */
  callerLeft(callId: string, trigger: typeof CallTrigger.callerHangup | typeof CallTrigger.maxDuration, endReason: EndReason, detail: object): boolean {
    const live = this.live.get(callId);
    if (!live) return false;
    this.untrack(live);
    live.call.record.apply(trigger, { endedAt: this.deps.clock.now(), endReason }, detail);
    this.hangUpOthers(live);
    this.operatorDone(live, callId);
    return true;
  }

  /**
   * A leg left. The operator's leaving ends the call unless an agency stays with the caller; the
   * last non-caller party leaving ends it too. An operator *lost* (their softphone stopped sending
   * audio, or their leg vanished) does not end it: the caller goes back in line, at the head.
   */
  legLeft(channelId: string, how: { lost: boolean } = { lost: false }): void {
    const live = this.byLeg(channelId);
    if (!live) return;
    this.byChannel.delete(channelId);
    const wasOperator = live.operatorChannelId === channelId;
    if (wasOperator) live.operatorChannelId = null;
    live.legs.delete(channelId);
    const operatorId = live.operatorId;
    const requeue = wasOperator && how.lost && live.legs.size === 0 && this.deps.onOperatorLost !== undefined;
    if (requeue && operatorId) {
      // The lost operator wraps up, but the call is not theirs to close: it goes on without them.
      live.operatorId = null;
      this.operatorWrapsUp(operatorId, null);
    } else if (wasOperator && operatorId) this.operatorDone(live, live.call.callId);
    if (live.operatorChannelId !== null || live.legs.size > 0) {
      live.call.record.note('party-left', { channelId, operator: wasOperator, lost: how.lost });
    } else if (requeue) {
      this.untrack(live);
      live.call.record.apply(CallTrigger.operatorLost, {}, { operatorId, channelId });
      this.deps.onOperatorLost!(live.call, live.bridgeId);
    } else {
      this.endByOtherSide(live, wasOperator ? 'operator' : 'agency');
    }
  }

  /** Forgets a call the fallback took (its legs are hung up). */
  forget(callId: string): void {
    const live = this.live.get(callId);
    if (!live) return;
    this.untrack(live);
    this.hangUpOthers(live);
    this.operatorDone(live, callId);
  }

  /** Starts (or, after a restart, resumes) an operator's wrap-up; the call ends with it. */
  startWrapup(operatorId: string, callId: string | null, remainingMs?: number): void {
    this.wrapups.start(operatorId, callId, remainingMs);
  }

  /** The call's wrap-up is over (or was cut short by a restart): its record is closed as ended. */
  finishCall(callId: string): void {
    this.wrapups.finishCall(callId);
  }

  stop(): void {
    this.wrapups.stop();
  }

  /**
   * A party's leg ended. Only ChannelDestroyed says why: a hang-up (16), or a phone that stopped
   * sending audio (rtp_timeout, 44) or a dead network path, whose caller is not cut off but goes
   * back in line; so does a leg that vanished with the link.
   */
  private readonly partyEnded = (leg: Leg, end: LegEnd): void => {
    this.legLeft(leg.channelId, { lost: end.reason === LegEndReason.vanished || LOST_LEG_CAUSES.has(end.cause) });
  };

  private track(live: LiveCall): void {
    this.live.set(live.call.callId, live);
    if (live.operatorChannelId) this.byChannel.set(live.operatorChannelId, live.call.callId);
  }

  private untrack(live: LiveCall): void {
    this.live.delete(live.call.callId);
    for (const [channelId, callId] of this.byChannel) if (callId === live.call.callId) this.byChannel.delete(channelId);
  }

  private endByOtherSide(live: LiveCall, who: 'operator' | 'agency'): void {
    this.untrack(live);
    live.call.record.apply(CallTrigger.operatorHangup, { endedAt: this.deps.clock.now(), endReason: EndReason.operatorHangup }, { by: who });
    live.call.ended();
    void this.deps.telephony.hangup(live.call.channelId).catch(() => undefined);
    void this.deps.telephony.destroyBridge(live.bridgeId).catch(() => undefined);
    if (!this.wrapups.isWrapping(live.call.callId)) this.finishCall(live.call.callId);
  }

  private hangUpOthers(live: LiveCall): void {
    const { telephony, dialer } = this.deps;
    for (const channelId of [live.operatorChannelId, ...live.legs]) {
      if (channelId) dialer.hangUpChannel(channelId);
    }
    live.operatorChannelId = null;
    live.legs.clear();
    void telephony.destroyBridge(live.bridgeId).catch(() => undefined);
  }

  /** The operator's part of the call is over: wrap-up (once). */
  private operatorDone(live: LiveCall, callId: string): void {
    const operatorId = live.operatorId;
    live.operatorId = null;
    if (!operatorId) {
      if (!this.live.has(callId) && !this.wrapups.isWrapping(callId)) this.finishCall(callId);
      return;
    }
    this.operatorWrapsUp(operatorId, callId);
  }

  /** A busy operator goes to wrap-up; `callId`, when given, closes with the wrap-up. */
  private operatorWrapsUp(operatorId: string, callId: string | null): void {
    const operator = this.deps.board.get(operatorId);
    if (operator?.state === OperatorState.busy) this.deps.board.apply(operatorId, OperatorTrigger.callEnded, { callId: callId ?? operator.callId });
    this.startWrapup(operatorId, callId);
  }
}

/**
 * Q.850 causes with which Asterisk ends an answered leg whose phone is gone rather than hung up:
 * 44 (rtp_timeout: no audio), 38 (network out of order), 41 (temporary failure).
 */
const LOST_LEG_CAUSES: ReadonlySet<number> = new Set([38, 41, 44]);
