import type { LegKind } from './leg-kind.js';

/** Why a leg ended, as its clients are told (once). */
export const LegEndReason = {
  /** Asterisk destroyed the channel: hung up, declined, busy, or ended by us. */
  hangup: 'hangup',
  /** Nobody answered within the leg's ring time (the dialer hung it up). */
  timeout: 'timeout',
  /** Asterisk refused to place it. */
  failed: 'failed',
  /** Asterisk no longer has it and its end was never heard (lost with the link). */
  vanished: 'vanished',
} as const;
export type LegEndReason = (typeof LegEndReason)[keyof typeof LegEndReason];

export interface LegEnd {
  reason: LegEndReason;
  /** Q.850 cause from ChannelDestroyed (0 when there was none). */
  cause: number;
  causeText: string;
  /** Whether the leg had answered before it ended. */
  answered: boolean;
}

/** What the dialer does for a leg when its client asks. */
export interface LegControl {
  hangUp(leg: Leg): void;
}

/**
 * One channel siaga112 dialled (or adopted after a restart), from ringing to its end. The
 * dialer owns it; features listen to its answer and its end. Every listener hears the end
 * exactly once, whichever comes first: Asterisk's ChannelDestroyed, the ring timer, a refused
 * originate, or reconciliation finding it gone.
 */
export class Leg {
  private up: boolean;
  private hangingUp = false;
  private told = false;
  private readonly answeredListeners: Array<(leg: Leg) => void> = [];
  private readonly endedListeners: Array<(leg: Leg, end: LegEnd) => void> = [];

  constructor(
    readonly channelId: string,
    readonly kind: LegKind,
    readonly callId: string,
    /** The operator whose phone this leg is (offers, callbacks), or null. */
    readonly operatorId: string | null,
    /** Resolves once Asterisk accepted the originate; rejects when it refused (the end is told too). */
    readonly placed: Promise<void>,
    private readonly control: LegControl,
    answered = false,
  ) {
    this.up = answered;
    // A refusal reaches every listener as an end; nobody has to await `placed` to be safe.
    placed.catch(() => undefined);
  }

  get answered(): boolean {
    return this.up;
  }

  /** Still ours to count: neither ended nor being hung up. */
  get active(): boolean {
    return !this.told && !this.hangingUp;
  }

  onAnswered(listener: (leg: Leg) => void): this {
    this.answeredListeners.push(listener);
    return this;
  }

  onEnded(listener: (leg: Leg, end: LegEnd) => void): this {
    this.endedListeners.push(listener);
    return this;
  }

  /** Hangs the leg up; its listeners still hear the end when Asterisk confirms it. */
  hangUp(): void {
    if (this.hangingUp) return;
    this.hangingUp = true;
    this.control.hangUp(this);
  }

  /** @internal The dialer heard the leg enter our app; false when it was no longer wanted. */
  markAnswered(): boolean {
    if (this.up || !this.active) return false;
    this.up = true;
    return true;
  }

  /** @internal Tells every end listener, once. */
  tellEnded(end: Omit<LegEnd, 'answered'>, onError: (error: unknown) => void): void {
    if (this.told) return;
    this.told = true;
    for (const listener of this.endedListeners) {
      try {
        listener(this, { ...end, answered: this.up });
      } catch (error) {
        onError(error);
      }
    }
  }

  /** @internal Tells every answer listener. */
  tellAnswered(onError: (error: unknown) => void): void {
    for (const listener of this.answeredListeners) {
      try {
        listener(this);
      } catch (error) {
        onError(error);
      }
    }
  }
}
