import { randomUUID } from 'node:crypto';
import { type Clock, noTimer, type Timer } from '../clock.js';
import type { CallRow } from '../db/calls-repository.js';
import type { Logger } from '../log.js';
import type { FlowForCall } from '../ivr/flow-service.js';
import type { AliasPreset } from '../ivr/aliases.js';
import { runFlow, withAnnouncement } from '../ivr/interpreter.js';
import type { Announcement } from '../ivr/announcement-service.js';
import type { Telephony } from '../telephony/port.js';
import { CallIvrDriver } from './call-ivr-driver.js';
import type { CallRecord } from './call-record.js';
import type { CallQueue, QueuedCall } from './call-queue.js';
import { CallState, CallTrigger, EndReason } from './states.js';

export interface SessionSettings {
  /** The active IVR flow for a dialled number; without one the call gets `greeting` only. */
  flowFor?: (dialled: string) => (FlowForCall & { preset: AliasPreset }) | undefined;
  /** True when the caller's number is in the prank lane (warned, queued last, never blocked). */
  inPrankLane?: (callerNumber: string) => boolean;
  /** The mass-call announcement active now, if any. */
  announcement?: () => Announcement | undefined;
  greeting: string;
  maxCallSeconds: number;
  /** Upper bound on one prompt, in case its PlaybackFinished event is lost. */
  playbackGuardMs: number;
  /** The switchboard; without one a queued caller waits on hold until they hang up. */
  queue?: CallQueue;
  /** The call's row as stored (priority, category, language, times for the queue). */
  callRow?: (callId: string) => CallRow | undefined;
}

/** Thrown into the call flow when the caller has gone: not an error, the flow just stops. */
export class CallerGone extends Error {
  constructor() {
    super('caller hung up');
  }
}

/**
 * The life of one call inside siaga112: answer, greet, wait (for now, on hold until the
 * switchboard exists), and end. Every await races the caller's hang-up; the owner (CallService)
 * catches anything else and hands the call to the dialplan fallback.
 */
export class CallSession {
  private ended = false;
  private hangupSignal!: () => void;
  private readonly gone: Promise<void>;
  private failSignal!: (error: unknown) => void;
  /** Rejects when the queue reports that it could not connect the call. */
  private readonly failure: Promise<never>;
  private readonly playbacks = new Map<string, (state: string) => void>();
  private maxTimer: Timer = noTimer;
  private ivr: CallIvrDriver | null = null;
  /**
   * What the IVR decided, kept here too: while the database is locked the row lags behind, and
   * the queue must still see this caller's priority, category and language.
   */
  private queueing: { priority: number; category: string; language: string; enqueuedAt: number } | null = null;

  constructor(
    readonly channelId: string,
    readonly dialled: string,
    readonly callerNumber: string,
    readonly record: CallRecord,
    private readonly telephony: Telephony,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
    readonly log: Logger,
  ) {
    this.gone = new Promise((resolve) => {
      this.hangupSignal = resolve;
    });
    this.failure = new Promise<never>((_resolve, reject) => {
      this.failSignal = reject;
    });
    this.failure.catch(() => undefined);
  }

  get callId(): string {
    return this.record.callId;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Runs the call from its current state until it ends. */
  async run(): Promise<void> {
    this.maxTimer = this.clock.after(this.settings.maxCallSeconds * 1000, () => void this.endForMaxDuration());
    try {
      if (this.record.state === CallState.arriving) {
        await this.untilGone(this.telephony.answer(this.channelId));
        this.record.apply(CallTrigger.answered, { answeredAt: this.clock.now() });
      }
      if (this.record.state === CallState.ivr) {
        const plan = this.settings.flowFor?.(this.dialled);
        if (plan) {
          if (!(await this.runIvr(plan))) return;
        } else {
          await this.playAndWait(this.settings.greeting, 'greeting');
          this.record.apply(CallTrigger.enqueued, { enqueuedAt: this.clock.now() }, { queue: 'main' });
        }
      }
      await this.wait();
      await Promise.race([this.gone, this.failure]);
    } finally {
      this.maxTimer.cancel();
    }
  }

  /**
   * The caller's channel left (hung up, or was hung up): record how, once. `endedWhileDown` when
   * siaga112 only learnt of it afterwards (the CDR import then sets the true end time).
   */
  callerHungUp(cause: number, endReason: EndReason = EndReason.callerHangup): void {
    if (this.ended) return;
    this.ended = true;
    const queued = this.settings.queue?.callerLeft(this.callId, CallTrigger.callerHangup, endReason, { cause }) ?? false;
    if (!queued) this.record.apply(CallTrigger.callerHangup, { endedAt: this.clock.now(), endReason }, { cause });
    this.hangupSignal();
  }

  dtmf(digit: string): void {
    this.ivr?.dtmf(digit);
  }

  talking(): void {
    this.ivr?.talking();
  }

  playbackFinished(playbackId: string, state: string): boolean {
    if (this.ivr?.playbackFinished(playbackId, state)) return true;
    const done = this.playbacks.get(playbackId);
    if (!done) return false;
    done(state);
    return true;
  }

  ownsPlayback(playbackId: string): boolean {
    return this.playbacks.has(playbackId);
  }

  /** Marks the session over without recording (the call was handed to the fallback). */
  /** The process stops hearing Asterisk: the call's own timer stops too (Asterisk keeps the call). */
  stopTimers(): void {
    this.maxTimer.cancel();
  }

  detach(): void {
    this.settings.queue?.forget(this.callId);
    this.ended = true;
    this.maxTimer.cancel();
    this.hangupSignal();
  }

  /**
   * Runs the call's IVR flow (the version active now, kept for the whole call). Returns false
   * when the flow's ghost-call policy ended the call.
   */
  private async runIvr(plan: FlowForCall & { preset: AliasPreset }): Promise<boolean> {
    const guard = <T>(work: Promise<T>) => this.untilGone(work);
    const announcement = this.settings.announcement?.();
    const flow = announcement ? withAnnouncement(plan.flow, announcement.texts) : plan.flow;
    this.ivr = new CallIvrDriver(this.channelId, flow, this.telephony, this.record, guard, this.clock);
    this.record.note('ivr-started', { flowId: plan.flow.flowId, version: plan.version });
    // Talking detection feeds the silent-caller check; without it the check relies on keys.
    await guard(this.telephony.setVariable(this.channelId, 'TALK_DETECT(set)', '')).catch((error: unknown) => {
      if (error instanceof CallerGone) throw error;
      this.log.warn({ err: String(error) }, 'TALK_DETECT unavailable');
    });
    const prank = this.settings.inPrankLane?.(this.callerNumber) ?? false;
    if (prank) this.record.note('prank-lane', { number: this.callerNumber });
    const context = {
      dialled: this.dialled, category: plan.preset.category, priority: plan.preset.priority, prank,
      announcement: announcement ? { key: announcement.key, eventTag: announcement.eventTag } : undefined,
    };
    const outcome = await runFlow(flow, context, this.ivr, this.clock);
    const detail = { queue: outcome.queue, path: outcome.path, capped: outcome.capped, version: plan.version };
    const choice = {
      category: outcome.category, priority: outcome.priority, language: outcome.language,
      tags: JSON.stringify(outcome.tags), ivrVersion: plan.version,
    };
    if (outcome.kind === 'hangup') {
      this.ended = true;
      this.record.apply(CallTrigger.ivrHangup, { ...choice, endedAt: this.clock.now(), endReason: EndReason.ghostPolicy }, detail);
      this.hangupSignal();
      await this.telephony.hangup(this.channelId).catch(() => undefined);
      return false;
    }
    this.queueing = { priority: outcome.priority, category: outcome.category, language: outcome.language, enqueuedAt: this.clock.now() };
    this.record.apply(CallTrigger.enqueued, { ...choice, enqueuedAt: this.queueing.enqueuedAt }, detail);
    return true;
  }

  /**
   * The caller waits for an operator: in the switchboard's queue, or (a call an operator answered
   * before a restart) back with that operator; without a switchboard, on hold.
   */
  private async wait(): Promise<void> {
    const queue = this.settings.queue;
    if (!queue) {
      await this.untilGone(this.telephony.startMusicOnHold(this.channelId));
      return;
    }
    if (this.record.state === CallState.connected) {
      if (await this.untilGone(queue.adoptConnected(this.queuedCall()))) return;
      throw new Error('the operator of this call is gone after a restart');
    }
    // A ring interrupted by a restart: the call is offered again.
    if (this.record.state === CallState.offered) this.record.apply(CallTrigger.offerFailed, {}, { reason: 'restart' });
    if (this.record.state === CallState.queued) await this.untilGone(queue.enqueue(this.queuedCall()));
  }

  private queuedCall(): QueuedCall {
    const row = this.settings.callRow?.(this.callId);
    const decided = this.queueing;
    return {
      callId: this.callId, channelId: this.channelId, callerNumber: this.callerNumber,
      priority: decided?.priority ?? row?.priority ?? 0, arrivedAt: row?.arrivedAt ?? this.clock.now(),
      enqueuedAt: decided?.enqueuedAt ?? row?.enqueuedAt ?? this.clock.now(),
      language: decided?.language ?? row?.language ?? 'id', category: decided?.category ?? row?.category ?? 'other', record: this.record, log: this.log,
      // A caller resumed after losing their operator keeps their place at the head of the line.
      headOfLine: row?.connectedAt != null,
      ended: () => {
        this.ended = true;
        this.hangupSignal();
      },
      failed: (error) => this.failSignal(error),
    };
  }

  private async endForMaxDuration(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.log.warn({ maxCallSeconds: this.settings.maxCallSeconds }, 'call reached its maximum duration');
    const queued = this.settings.queue?.callerLeft(this.callId, CallTrigger.maxDuration, EndReason.maxDuration, {}) ?? false;
    if (!queued) this.record.apply(CallTrigger.maxDuration, { endedAt: this.clock.now(), endReason: EndReason.maxDuration });
    this.hangupSignal();
    await this.telephony.hangup(this.channelId).catch((error: unknown) => {
      this.log.warn({ err: String(error) }, 'hangup at maximum duration failed');
    });
  }

  private async playAndWait(media: string, label: string): Promise<void> {
    const playbackId = randomUUID();
    const finished = new Promise<string>((resolve) => {
      this.playbacks.set(playbackId, resolve);
    });
    let guard: Timer = noTimer;
    const guarded = new Promise<string>((resolve) => {
      guard = this.clock.after(this.settings.playbackGuardMs, () => resolve('timeout'));
    });
    try {
      this.record.note('prompt-started', { label, media, playbackId });
      await this.untilGone(this.telephony.play(this.channelId, media, playbackId));
      const state = await this.untilGone(Promise.race([finished, guarded]));
      this.record.note('prompt-finished', { label, playbackId, state });
    } finally {
      guard.cancel();
      this.playbacks.delete(playbackId);
    }
  }

  /** Resolves like `work`, or rejects with CallerGone as soon as the caller hangs up. */
  private async untilGone<T>(work: Promise<T>): Promise<T> {
    if (this.ended) throw new CallerGone();
    const gone = this.gone.then((): never => {
      throw new CallerGone();
    });
    try {
      return await Promise.race([work, gone]);
    } catch (error) {
      // An ARI error after the caller left (404, channel not found) is the hang-up, not a bug.
      if (this.ended) throw new CallerGone();
      throw error;
    } finally {
      gone.catch(() => undefined);
      work.catch(() => undefined);
    }
  }
}
