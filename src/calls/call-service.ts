import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { Logger } from '../log.js';
import type { ChannelSnapshot, DialplanTarget, Telephony, TelephonyEvent } from '../telephony/port.js';
import { TelephonyError } from '../telephony/port.js';
import { type AdmissionPolicy, type AdmissionStatus, admissionStatus } from './admission.js';
import { CallRecord } from './call-record.js';
import { CallerGone, CallSession, type SessionSettings } from './call-session.js';
import { CallState, CallTrigger, EndReason } from './states.js';
import { namedArg } from './stasis-args.js';
import { isLegChannel } from './call-queue.js';

export const FallbackReason = {
  admission: 'admission',
  draining: 'draining',
  error: 'error',
  orphaned: 'orphaned',
  notRunning: 'not-running',
} as const;
export type FallbackReason = (typeof FallbackReason)[keyof typeof FallbackReason];

export interface CallServiceOptions {
  telephony: Telephony;
  repo: CallsRepository;
  clock: Clock;
  log: Logger;
  session: SessionSettings;
  admission: AdmissionPolicy;
  fallback: DialplanTarget;
  /** Told of every new call once its row exists (callbacks match returning callers). */
  onArrival?: (callId: string, callerNumber: string) => void;
}

/**
 * Owns every live call: turns StasisStart into a recorded call and a running CallSession, routes
 * events to sessions, and guarantees the two promises: a call row exists before anything else
 * happens to a call, and any failure hands the caller to the dialplan fallback (a human) instead
 * of dropping them.
 */
export class CallService {
  private readonly sessions = new Map<string, CallSession>();
  private readonly running = new Set<Promise<void>>();
  private draining = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly options: CallServiceOptions) {}

  /** Starts listening for calls; adopts calls already in Asterisk (see adoptLiveChannels). */
  start(): void {
    const { telephony } = this.options;
    this.unsubscribe.push(telephony.onEvent((event) => this.onEvent(event)));
    this.unsubscribe.push(telephony.onLink((event) => {
      if (event.type === 'connected') void this.adoptLiveChannels();
    }));
  }

  get liveCalls(): number {
    return this.sessions.size;
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
    const deadline = Date.now() + timeoutMs;
    while (this.sessions.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.running]), sleep(Math.min(500, Math.max(1, deadline - Date.now())))]);
    }
    for (const session of [...this.sessions.values()]) await this.handToFallback(session, FallbackReason.draining);
    for (const stop of this.unsubscribe) stop();
  }

  /**
   * Reconciles with Asterisk after a (re)connect: Asterisk is the truth for what is live.
   * A channel in our app that we have an open record for is re-adopted; one we never recorded
   * (it arrived while we were down) goes to the fallback at once; an open record whose channel
   * is gone is closed.
   */
  async adoptLiveChannels(): Promise<void> {
    const { telephony, repo, log } = this.options;
    let channels: ChannelSnapshot[];
    try {
      channels = await telephony.listAppChannels();
    } catch (error) {
      log.error({ err: String(error) }, 'could not list live channels for re-adoption');
      return;
    }
    const live = new Set(channels.map((c) => c.id));
    for (const channel of channels) {
      if (this.sessions.has(channel.id) || isLegChannel(channel.id)) continue;
      const row = repo.findByChannelId(channel.id);
      if (row && row.endedAt === null) {
        log.info({ callId: row.id, channelId: channel.id, state: row.state }, 're-adopting call');
        this.runSession(new CallRecord(row.id, row.state as CallState, repo, this.options.clock), channel);
      } else {
        const record = this.recordArrival(channel, [], 'adopted');
        if (record) await this.handToFallback(this.sessionFor(record, channel), FallbackReason.orphaned);
      }
    }
    for (const [channelId, session] of this.sessions) {
      if (!live.has(channelId)) session.callerHungUp(0);
    }
    for (const row of repo.openCalls()) {
      if (live.has(row.channelId) || this.sessions.has(row.channelId)) continue;
      repo.change(row.id, { endedAt: this.options.clock.now(), endReason: EndReason.endedWhileDown },
        { type: 'closed-after-restart', at: this.options.clock.now(), detail: { lastState: row.state } });
    }
  }

  private onEvent(event: TelephonyEvent): void {
    switch (event.type) {
      case 'StasisStart':
        this.onStasisStart(event.channel, event.args);
        return;
      case 'StasisEnd':
      case 'ChannelHangupRequest':
      case 'ChannelDestroyed': {
        const session = this.sessions.get(event.channelId);
        if (session) session.callerHungUp('cause' in event ? event.cause : 0);
        return;
      }
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
    // Channels siaga112 originated itself (operators, agencies, supervisors) are the switchboard's.
    if (isLegChannel(channel.id)) return;
    const existing = this.options.repo.findByChannelId(channel.id);
    if (existing) {
      // The channel re-entered the app (a dialplan loop back into Stasis): never answer it twice.
      this.options.log.warn({ callId: existing.id, channelId: channel.id }, 'channel re-entered Stasis; sending it to the fallback');
      void this.handToFallback(this.sessionFor(new CallRecord(existing.id, existing.state as CallState, this.options.repo, this.options.clock), channel), FallbackReason.error);
      return;
    }
    const record = this.recordArrival(channel, args, 'stasis');
    if (!record) return;
    try {
      this.options.onArrival?.(record.callId, channel.callerNumber);
    } catch (error) {
      this.options.log.warn({ err: String(error), callId: record.callId }, 'arrival listener failed');
    }
    const admission = this.admission();
    if (!admission.accepting) {
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
    return new CallRecord(callId, CallState.arriving, repo, clock);
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

  /**
   * Sends the caller to the dialplan fallback (the operators' app_queue) and records why.
   * ARI may be slow or briefly unreachable exactly when this is needed, so it is retried; a
   * caller it still cannot move is re-adopted by the next reconciliation (adoptLiveChannels).
   */
  private async handToFallback(session: CallSession, reason: FallbackReason, detail?: string): Promise<void> {
    if (session.isEnded) return;
    session.detach();
    this.sessions.delete(session.channelId);
    const { telephony, clock, fallback } = this.options;
    let lastError: unknown;
    for (const delayMs of FALLBACK_RETRY_DELAYS_MS) {
      if (delayMs > 0) await sleep(delayMs);
      try {
        await telephony.continueInDialplan(session.channelId, fallback);
        session.record.apply(CallTrigger.fallback, { endedAt: clock.now(), endReason: EndReason.fallback, fallbackReason: reason }, { reason, detail });
        return;
      } catch (error) {
        if (error instanceof TelephonyError && error.notFound) {
          session.record.apply(CallTrigger.callerHangup, { endedAt: clock.now(), endReason: EndReason.callerHangup }, { during: 'fallback' });
          return;
        }
        lastError = error;
        session.log.warn({ err: String(error) }, 'hand-off to the fallback failed; retrying');
      }
    }
    session.log.error({ err: String(lastError) }, 'could not hand the call to the fallback; will re-adopt it');
    session.record.note('fallback-failed', { reason, error: String(lastError) });
    setTimeout(() => void this.adoptLiveChannels(), 5000).unref();
  }
}

/** Waits between attempts to continue a call into the dialplan fallback (about 4 s in all). */
const FALLBACK_RETRY_DELAYS_MS = [0, 250, 500, 1000, 2000];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
