import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Flow, Language } from '../ivr/flow-schema.js';
import type { IvrDriver, PromptRef } from '../ivr/interpreter.js';
import { promptSoundName } from '../ivr/prompt-files.js';
import type { Telephony } from '../telephony/port.js';
import type { CallRecord } from './call-record.js';

/** Wraps an await so that it rejects as soon as the caller hangs up. */
export type Guard = <T>(work: Promise<T>) => Promise<T>;

/**
 * The IVR interpreter's view of a live call: prompts through ARI playbacks (stopped by a key when
 * barge-in is on), digits from ChannelDtmfReceived, voice from TALK_DETECT's
 * ChannelTalkingStarted. Digits pressed at any moment are kept until a gather or listen takes them.
 */
export class CallIvrDriver implements IvrDriver {
  private buffer = '';
  private voice = false;
  private language: Language | null = null;
  private wake: (() => void) | null = null;
  private readonly playbackStates = new Map<string, string>();

  constructor(
    private readonly channelId: string,
    private readonly flow: Flow,
    private readonly telephony: Telephony,
    private readonly record: CallRecord,
    private readonly guard: Guard,
    private readonly clock: Clock,
  ) {}

  dtmf(digit: string): void {
    this.buffer += digit;
    this.record.note('dtmf', { digit });
    this.notify();
  }

  talking(): void {
    if (!this.voice) this.record.note('talking');
    this.voice = true;
    this.notify();
  }

  /** Returns true when the playback was one of ours. */
  playbackFinished(playbackId: string, state: string): boolean {
    if (!this.playbackStates.has(playbackId)) return false;
    this.playbackStates.set(playbackId, state);
    this.notify();
    return true;
  }

  heardVoice(): boolean {
    return this.voice;
  }

  async play(prompt: PromptRef, options: { bargeIn: boolean; deadline: number }): Promise<{ digits: string }> {
    const text = this.flow.prompts[prompt.promptId]?.[prompt.language] ?? '';
    await this.useLanguage(prompt.language);
    const playbackId = randomUUID();
    const media = `sound:${promptSoundName(prompt.promptId, text, prompt.language)}`;
    this.playbackStates.set(playbackId, 'playing');
    const before = this.buffer.length;
    this.record.note('prompt-started', { promptId: prompt.promptId, language: prompt.language, media, playbackId });
    try {
      await this.guard(this.telephony.play(this.channelId, media, playbackId));
      await this.waitUntil(() => this.playbackStates.get(playbackId) !== 'playing' || (options.bargeIn && this.buffer.length > before), options.deadline);
      const interrupted = this.playbackStates.get(playbackId) === 'playing';
      if (interrupted) {
        await this.guard(this.telephony.stopPlayback(playbackId)).catch(() => undefined);
        // Asterisk still reports how the stopped playback ended; wait briefly to record it.
        await this.waitUntil(() => this.playbackStates.get(playbackId) !== 'playing', Math.min(this.clock.now() + 500, options.deadline));
      }
      const state = this.playbackStates.get(playbackId) ?? 'playing';
      this.record.note('prompt-finished', { promptId: prompt.promptId, playbackId, state, interrupted });
    } finally {
      this.playbackStates.delete(playbackId);
    }
    if (!options.bargeIn) return { digits: '' };
    const digits = this.buffer;
    this.buffer = '';
    return { digits };
  }

  async collect(options: { maxDigits: number; firstDigitTimeoutMs: number; interDigitTimeoutMs: number; initial: string; deadline: number }): Promise<string> {
    let digits = options.initial + this.take(options.maxDigits - options.initial.length);
    let timeout = digits.length > 0 ? options.interDigitTimeoutMs : options.firstDigitTimeoutMs;
    while (digits.length < options.maxDigits) {
      const until = Math.min(this.clock.now() + timeout, options.deadline);
      await this.waitUntil(() => this.buffer.length > 0, until);
      if (this.buffer.length === 0) break;
      digits += this.take(options.maxDigits - digits.length);
      timeout = options.interDigitTimeoutMs;
    }
    return digits;
  }

  async listen(options: { ms: number; maxDigits: number; deadline: number }): Promise<{ heard: 'voice' | 'silence' } | { heard: 'digits'; digits: string }> {
    const until = Math.min(this.clock.now() + options.ms, options.deadline);
    await this.waitUntil(() => this.voice || this.buffer.length >= options.maxDigits, until);
    if (this.buffer.length > 0) return { heard: 'digits', digits: this.take(options.maxDigits) };
    return this.voice ? { heard: 'voice' } : { heard: 'silence' };
  }

  /** Sets the channel's language so Asterisk picks the prompt files of that language. */
  private async useLanguage(language: Language): Promise<void> {
    if (this.language === language) return;
    await this.guard(this.telephony.setVariable(this.channelId, 'CHANNEL(language)', language));
    this.language = language;
  }

  private take(count: number): string {
    const taken = this.buffer.slice(0, Math.max(0, count));
    this.buffer = this.buffer.slice(taken.length);
    return taken;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves when `done()` holds or at `until` (ms since the epoch), re-checking on each event. */
  private async waitUntil(done: () => boolean, until: number): Promise<void> {
    while (!done()) {
      const left = until - this.clock.now();
      if (left <= 0) return;
      await this.guard(new Promise<void>((resolve) => {
        const timer = this.clock.after(left, () => {
          this.wake = null;
          resolve();
        });
        this.wake = () => {
          timer.cancel();
          resolve();
        };
      }));
    }
  }
}
