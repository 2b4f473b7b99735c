import { randomUUID } from 'node:crypto';
import { type Clock, sleep } from '../clock.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { Logger } from '../log.js';
import type { ChannelSnapshot, DialplanTarget, Telephony, TelephonyEvent } from '../telephony/port.js';
import type { EventSource } from '../telephony/event-router.js';
import type { CallEventPublisher } from './call-events.js';
import { type AdmissionPolicy, type AdmissionStatus, admissionLimitOf, admissionStatus } from './admission.js';
import { CallRecord } from './call-record.js';
import { CallerGone, CallSession, type SessionSettings } from './call-session.js';
import { CallState, CallTrigger, canTake, EndReason } from './states.js';
import { namedArg } from './stasis-args.js';
import { continueToFallback } from './fallback-handoff.js';
import { FallbackReason } from './fallback-reason.js';
import { GUARDIAN, HANDOVER_VARIABLE } from './handover.js';
import { normaliseNumber } from '../numbers/phone-number.js';

export { FallbackReason } from './fallback-reason.js';

export interface CallServiceOptions {
  telephony: Telephony;
  /** Asterisk's events about citizens' channels (legs siaga112 dialled go to the dialer). */
  channelEvents: EventSource;
  /** Where calls' lifecycle events are published. */
  events: CallEventPublisher;
  repo: CallsRepository;
  clock: Clock;
  log: Logger;
  session: SessionSettings;
  admission: AdmissionPolicy;
  fallback: DialplanTarget;
}

/**
 * Owns every live call: turns StasisStart into a recorded call and a running CallSession, routes
 * events to sessions, and guarantees the two promises: a call row exists before anything else
 * happens to a call, and any failure hands the caller to the dialplan fallback (a human) instead
 * of dropping them.
 */
export class CallService {
  private readonly sessions = new Map<string, CallSession>();
  /**
   * Calls whose hand-off to the fallback is under way (retried for seconds when ARI is slow):
   * no session drives them any more, but reconciliation must leave them to it.
   */
  private readonly handingOff = new Map<string, string>();
  private readonly running = new Set<Promise<void>>();
  private draining = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly options: CallServiceOptions) {}

  /** Starts listening for calls; returns the function that stops it. Calls already in Asterisk are resumed by reconciliation. */
  start(): () => void {
    this.unsubscribe.push(this.options.channelEvents.onEvent((event) => this.onEvent(event)));
    return () => this.stop();
  }

  /** Stops listening (tests: a process that died; shutdown goes through drain). */
  stop(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const session of this.sessions.values()) session.stopTimers();
  }

  get liveCalls(): number {
    return this.sessions.size;
  }

  /** How many live calls are in each state now (a session's record is the call's current state). */
  liveCallStates(): Map<CallState, number> {
    const counts = new Map<CallState, number>();
    for (const session of this.sessions.values()) counts.set(session.record.state, (counts.get(session.record.state) ?? 0) + 1);
    return counts;
  }

  admission(): AdmissionStatus {
    return admissionStatus(this.options.admission, this.sessions.size, this.options.telephony.status(), this.draining);
  }

  /**
   * Graceful stop: new calls go to the fallback from now on; resolves when the live calls have
   * ended, or after `timeoutMs`, when the calls still live are handed to the fallback.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const { clock } = this.options;
    const deadline = clock.now() + timeoutMs;
    while (this.sessions.size > 0 && clock.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.running]), sleep(clock, Math.min(500, Math.max(1, deadline - clock.now())))]);
    }
    for (const session of [...this.sessions.values()]) await this.handToFallback(session, FallbackReason.draining);
    this.stop();
  }

  /** Calls a session drives now (reconciliation leaves them to it). */
  trackedCalls(): Set<string> {
    return new Set([...[...this.sessions.values()].map((session) => session.callId), ...this.handingOff.keys()]);
  }

  /** Resumes an open call whose caller is still in our app, from its stored state (after a fault). */
  resume(callId: string, channel: ChannelSnapshot): void {
    if (this.draining || this.handingOff.has(callId)) return;
    const row = this.options.repo.findById(callId);
    if (!row || row.endedAt !== null || this.sessions.has(channel.id)) return;
    this.options.log.info({ callId, channelId: channel.id, state: row.state }, 'resuming call');
    this.runSession(new CallRecord(callId, row.state as CallState, this.options.repo, this.options.clock, this.options.events), channel);
  }

  /** A session whose caller is gone without our hearing it (an event lost with the link). */
  callerVanished(callId: string): void {
    this.sessionOf(callId)?.callerHungUp(0, EndReason.endedWhileDown);
  }

  /**
   * Someone else continued the caller into the dialplan (siaga112's guardian, while siaga112 did
   * not answer): recorded as a fallback with that reason, never as the caller hanging up.
   */
  handedOver(callId: string, by: string): void {
    if (this.handingOff.has(callId)) return;
    const session = this.sessionOf(callId);
    if (session) {
      session.detach();
      this.sessions.delete(session.channelId);
    }
    const row = this.options.repo.findById(callId);
    if (!row || row.endedAt !== null) return;
    const reason = by === FallbackReason.guardian ? FallbackReason.guardian : FallbackReason.orphaned;
    const record = session?.record ?? new CallRecord(callId, row.state as CallState, this.options.repo, this.options.clock, this.options.events);
    record.apply(CallTrigger.fallback, { endedAt: this.options.clock.now(), endReason: EndReason.fallback, fallbackReason: reason }, { reason, by });
  }

  /**
   * A channel in our app that no open call accounts for (it arrived while siaga112 was down, or
   * its record was closed while the caller stayed): recorded if new, and sent to the fallback.
   */
  async orphanToFallback(channel: ChannelSnapshot, closedCallId: string | null): Promise<void> {
    if (this.sessions.has(channel.id) || [...this.handingOff.values()].includes(channel.id)) return;
    const existing = closedCallId ? this.options.repo.findById(closedCallId) : this.options.repo.findByChannelId(channel.id);
    if (existing) {
      const record = new CallRecord(existing.id, existing.state as CallState, this.options.repo, this.options.clock, this.options.events);
      await this.continueOrNote(this.sessionFor(record, channel), FallbackReason.orphaned);
      return;
    }
    const record = this.recordArrival(channel, [], 'adopted');
    if (record) await this.handToFallback(this.sessionFor(record, channel), FallbackReason.orphaned);
  }

  /**
   * A caller hanging up is announced by ChannelHangupRequest before StasisEnd; a StasisEnd on
   * its own means someone else moved the channel out of our app. If that was the guardian (it
   * marks the channel first), the call is a hand-over to the fallback, not a hang-up.
   */
  private async stasisEnded(session: CallSession): Promise<void> {
    const by = await this.options.telephony.getVariable(session.channelId, HANDOVER_VARIABLE).catch(() => undefined);
    if (session.isEnded) return;
    if (by === GUARDIAN) this.handedOver(session.callId, GUARDIAN);
    else session.callerHungUp(0);
  }

  private sessionOf(callId: string): CallSession | undefined {
    for (const session of this.sessions.values()) if (session.callId === callId) return session;
    return undefined;
  }

  /** Continues a caller whose record is already closed (or cannot take the fallback): noted, not re-recorded. */
  private async continueOrNote(session: CallSession, reason: FallbackReason): Promise<void> {
    if (canTake(session.record.state, CallTrigger.fallback)) {
      await this.handToFallback(session, reason);
      return;
    }
    await this.options.telephony.continueInDialplan(session.channelId, this.options.fallback);
    session.record.note('sent-to-fallback', { reason, state: session.record.state });
  }

  private onEvent(event: TelephonyEvent): void {
    switch (event.type) {
      case 'StasisStart':
        try {
          this.onStasisStart(event.channel, event.args);
        } catch (error) {
          // Whatever failed here, the caller reaches a human.
          this.options.log.error({ err: String(error), channelId: event.channel.id }, 'StasisStart failed; sending the caller to the fallback');
          void this.options.telephony.continueInDialplan(event.channel.id, this.options.fallback).catch(() => undefined);
        }
        return;
      case 'StasisStartUnreadable':
        this.options.log.error({ channelId: event.channelId }, 'unreadable StasisStart; sending the channel to the fallback');
        void this.options.telephony.continueInDialplan(event.channelId, this.options.fallback).catch(() => undefined);
        return;
      case 'StasisEnd': {
        const session = this.sessions.get(event.channelId);
        if (session) void this.stasisEnded(session);
        return;
      }
      case 'ChannelHangupRequest':
      case 'ChannelDestroyed':
        this.sessions.get(event.channelId)?.callerHungUp(event.cause);
        return;
      case 'ChannelDtmfReceived':
        this.sessions.get(event.channelId)?.dtmf(event.digit);
        return;
      case 'ChannelTalkingStarted':
        this.sessions.get(event.channelId)?.talking();
        return;
      case 'PlaybackFinished':
        for (const session of this.sessions.values()) {
          if (session.playbackFinished(event.playbackId, event.state)) return;
        }
        return;
      default:
        return;
    }
  }

  private onStasisStart(channel: ChannelSnapshot, args: string[]): void {
    const existing = this.options.repo.findByChannelId(channel.id);
    if (existing) {
      // The channel re-entered the app (a dialplan loop back into Stasis): never answer it twice.
      this.options.log.warn({ callId: existing.id, channelId: channel.id }, 'channel re-entered Stasis; sending it to the fallback');
      void this.handToFallback(this.sessionFor(new CallRecord(existing.id, existing.state as CallState, this.options.repo, this.options.clock, this.options.events), channel), FallbackReason.error);
      return;
    }
    const record = this.recordArrival(channel, args, 'stasis');
    if (!record) return;
    const admission = this.admission();
    const limit = admissionLimitOf(admission);
    if (limit) {
      this.options.events.publish('call.refused', { callId: record.callId, at: this.options.clock.now(), limit });
      void this.handToFallback(this.sessionFor(record, channel), admission.draining ? FallbackReason.draining : FallbackReason.admission, admission.reason);
      return;
    }
    this.runSession(record, channel);
  }

  /** Writes the call row (before anything else happens to the call). */
  private recordArrival(channel: ChannelSnapshot, args: string[], via: string): CallRecord | undefined {
    const { repo, clock, log } = this.options;
    const callId = randomUUID();
    const arrivedAt = Date.parse(channel.creationTime);
    try {
      repo.create({
        id: callId,
        channelId: channel.id,
        callerNumber: channel.callerNumber,
        callerNumberKey: normaliseNumber(channel.callerNumber),
        callerName: channel.callerName,
        dialledNumber: namedArg(args, 'dialled') ?? channel.extension,
        state: CallState.arriving,
        arrivedAt: Number.isFinite(arrivedAt) ? Math.min(arrivedAt, clock.now()) : clock.now(),
      }, { type: 'arrived', at: clock.now(), detail: { via, channelName: channel.name } });
    } catch (error) {
      // Even without a record the caller must reach a human.
      log.error({ err: String(error), channelId: channel.id }, 'could not record the call; sending it to the fallback');
      void this.options.telephony.continueInDialplan(channel.id, this.options.fallback).catch(() => undefined);
      return undefined;
    }
    this.options.events.publish('call.arrived', {
      callId, channelId: channel.id, callerNumber: channel.callerNumber, dialled: namedArg(args, 'dialled') ?? channel.extension, at: clock.now(),
    });
    return new CallRecord(callId, CallState.arriving, repo, clock, this.options.events);
  }

  private sessionFor(record: CallRecord, channel: ChannelSnapshot): CallSession {
    const log = this.options.log.child({ callId: record.callId, channelId: channel.id });
    const dialled = this.options.repo.findById(record.callId)?.dialledNumber ?? channel.extension;
    const settings = { ...this.options.session, callRow: (callId: string) => this.options.repo.findById(callId) };
    return new CallSession(channel.id, dialled, channel.callerNumber, record, this.options.telephony, settings, this.options.clock, log);
  }

  private runSession(record: CallRecord, channel: ChannelSnapshot): void {
    const session = this.sessionFor(record, channel);
    this.sessions.set(channel.id, session);
    const run = session.run()
      .catch(async (error: unknown) => {
        if (error instanceof CallerGone || session.isEnded) return;
        session.log.error({ err: error instanceof Error ? error.stack : String(error) }, 'call flow failed; handing the caller to the fallback');
        await this.handToFallback(session, FallbackReason.error, error instanceof Error ? error.message : String(error));
      })
      .catch((error: unknown) => session.log.error({ err: String(error) }, 'fallback hand-off failed'))
      .finally(() => {
        this.sessions.delete(channel.id);
        this.running.delete(run);
      });
    this.running.add(run);
  }

  /** Sends the caller to the dialplan fallback and records why (see continueToFallback). */
  private async handToFallback(session: CallSession, reason: FallbackReason, detail?: string): Promise<void> {
    if (session.isEnded || this.handingOff.has(session.callId)) return;
    session.detach();
    this.sessions.delete(session.channelId);
    this.handingOff.set(session.callId, session.channelId);
    try {
      await continueToFallback(session, this.options, reason, detail);
    } finally {
      this.handingOff.delete(session.callId);
    }
  }
}
