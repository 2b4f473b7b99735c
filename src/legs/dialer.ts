import type { Clock, Timer } from '../clock.js';
import type { Logger } from '../log.js';
import { newLegId } from '../telephony/leg-ids.js';
import type { LiveLegs } from '../telephony/leg-owner.js';
import { type Telephony, type TelephonyEvent, TelephonyError } from '../telephony/port.js';
import { Leg, LegEndReason } from './leg.js';
import { legArgs, type LegKind } from './leg-kind.js';

/** How often a refused hang-up is tried (1 s, then 2 s … apart) before reconciliation is left to it. */
const HANGUP_ATTEMPTS = 4;

/** How long a leg that left our app waits for its ChannelDestroyed before it is taken as ended. */
const DESTROY_GRACE_MS = 2_000;

export interface DialRequest {
  kind: LegKind;
  callId: string;
  /** Dial string: `PJSIP/op001`, `PJSIP/113@trunk`. */
  endpoint: string;
  callerId: string;
  /** How long it may ring before the dialer gives it up (Asterisk's own limit is a little longer). */
  ringMs: number;
  /** The operator whose phone rings, when it is one (they count as ringing, then talking). */
  operatorId?: string | null;
  /** More Stasis arguments (e.g. `callback=<id>`). */
  extraArgs?: Record<string, string>;
}

export interface SnoopRequest {
  callId: string;
  /** The channel listened to (an operator's leg). */
  spiedChannelId: string;
  spy: 'none' | 'both';
  whisper: 'none' | 'out';
}

export interface DialerDeps {
  telephony: Telephony;
  clock: Clock;
  log: Logger;
}

/**
 * The one owner of every leg siaga112 dials: operators' phones for offers and callbacks, the
 * overflow centre, agencies, supervisors, snoops and called-back citizens. It names each leg
 * with its kind and call in the Stasis arguments, routes its StasisStart (the answer) and its
 * ChannelDestroyed (the end) to the leg, owns the ring timers, and tells reconciliation which
 * legs are live and which operators they keep engaged. Features are its clients.
 */
export class Dialer implements LiveLegs {
  private readonly live = new Map<string, Leg>();
  /** Each leg's running timer: its ring time, or the wait for its ChannelDestroyed. */
  private readonly ringTimers = new Map<string, Timer>();
  /** Legs whose originate (or snoop) Asterisk has not answered yet. */
  private readonly originating = new Set<string>();

  constructor(private readonly deps: DialerDeps) {}

  /** Rings `endpoint` into our app; the leg is tracked before the originate is sent. */
  dial(request: DialRequest): Leg {
    const channelId = newLegId();
    const placed = this.deps.telephony.originate({
      endpoint: request.endpoint, channelId, callerId: request.callerId,
      timeoutSeconds: Math.ceil(request.ringMs / 1000) + 5, appArgs: legArgs(request.kind, request.callId, request.extraArgs),
    });
    const leg = this.track(new Leg(channelId, request.kind, request.callId, request.operatorId ?? null, placed, this));
    this.ringTimers.set(channelId, this.deps.clock.after(request.ringMs, () => this.ringTimedOut(leg)));
    this.whilePlacing(leg);
    return leg;
  }

  /** A snoop channel on a live channel (listen, whisper); it enters our app at once. */
  snoop(request: SnoopRequest): Leg {
    const channelId = newLegId();
    const placed = this.deps.telephony.snoop({
      channelId: request.spiedChannelId, snoopId: channelId, spy: request.spy, whisper: request.whisper,
      appArgs: legArgs('snoop', request.callId),
    });
    const leg = this.track(new Leg(channelId, 'snoop', request.callId, null, placed, this));
    this.whilePlacing(leg);
    return leg;
  }

  /** Takes back a leg that was up before a restart (it is in a call's bridge). */
  adopt(channelId: string, kind: LegKind, callId: string, operatorId: string | null): Leg {
    const existing = this.live.get(channelId);
    if (existing) return existing;
    return this.track(new Leg(channelId, kind, callId, operatorId, Promise.resolve(), this, true));
  }


  /** Hangs up a channel: through its leg when it is one of ours, so its listeners hear the end. */
  hangUpChannel(channelId: string): void {
    const leg = this.live.get(channelId);
    if (leg) leg.hangUp();
    else void this.deps.telephony.hangup(channelId).catch(() => undefined);
  }

  /** @internal Leg.hangUp: the ring timer stops; the leg is forgotten once Asterisk has no such channel. */
  hangUp(leg: Leg): void {
    // The ring stops; an answered leg's wait for its ChannelDestroyed (if any) goes on.
    if (!leg.answered) {
      this.ringTimers.get(leg.channelId)?.cancel();
      this.ringTimers.delete(leg.channelId);
    }
    // Only once Asterisk has the channel: a hang-up overtaking its originate would find nothing
    // (404) and leave a channel ringing that nobody tracks.
    if (this.originating.has(leg.channelId)) leg.placed.then(() => this.sendHangup(leg, 1), () => undefined);
    else this.sendHangup(leg, 1);
  }

  /**
   * Asks Asterisk to hang the leg up, again a second later while it refuses (overloaded, link
   * down). After the last try the leg is given up as ended: reconciliation then sees a channel
   * nobody tracks and hangs it up, so no phone stays off-hook on a dead line.
   */
  private sendHangup(leg: Leg, attempt: number): void {
    // Retries only while the leg is still ours; the first request goes whatever the leg's state.
    if (attempt > 1 && this.live.get(leg.channelId) !== leg) return;
    this.deps.telephony.hangup(leg.channelId).catch((error: unknown) => {
      if (error instanceof TelephonyError && error.notFound) {
        this.ended(leg, { reason: LegEndReason.hangup, cause: 0, causeText: 'already gone' });
      } else if (attempt < HANGUP_ATTEMPTS) {
        this.deps.clock.after(1_000 * attempt, () => this.sendHangup(leg, attempt + 1));
      } else {
        this.deps.log.error({ err: String(error), channelId: leg.channelId }, 'leg could not be hung up; reconciliation will');
        this.ended(leg, { reason: LegEndReason.hangup, cause: 0, causeText: 'hang-up refused' });
      }
    });
  }

  /** Routes one Asterisk event about a leg channel (the event router sends only those here). */
  handle(event: TelephonyEvent): void {
    switch (event.type) {
      case 'StasisStart': {
        const leg = this.live.get(event.channel.id);
        if (leg?.markAnswered()) {
          this.ringTimers.get(leg.channelId)?.cancel();
          this.ringTimers.delete(leg.channelId);
          leg.tellAnswered((error) => this.listenerFailed(leg, error));
          return;
        }
        // A leg nobody wants any more (cancelled while it was answered, or dialled before a
        // restart) must not stay in our app: hung up, so no phone is left on a dead line.
        if (!leg?.answered) void this.deps.telephony.hangup(event.channel.id).catch(() => undefined);
        return;
      }
      case 'StasisStartUnreadable':
        this.deps.log.error({ channelId: event.channelId }, 'unreadable StasisStart of a leg; hanging it up');
        this.hangUpChannel(event.channelId);
        return;
      case 'ChannelDestroyed': {
        const leg = this.live.get(event.channelId);
        if (leg) this.ended(leg, { reason: LegEndReason.hangup, cause: event.cause, causeText: event.causeText });
        return;
      }
      case 'StasisEnd': {
        const leg = this.live.get(event.channelId);
        if (leg) this.leftApp(leg);
        return;
      }
      default:
        return;
    }
  }

  /** Channels of every leg not yet destroyed. */
  legs(): string[] {
    return [...this.live.keys()];
  }

  /** Operators a live leg keeps ringing or talking. */
  engaged(): Array<[string, 'ringing' | 'talking']> {
    const engaged: Array<[string, 'ringing' | 'talking']> = [];
    for (const leg of this.live.values()) {
      if (leg.operatorId && leg.active) engaged.push([leg.operatorId, leg.answered ? 'talking' : 'ringing']);
    }
    return engaged;
  }

  /** Reconciliation found the channel gone without its ChannelDestroyed: its listeners are told. */
  channelGone(channelId: string): boolean {
    const leg = this.live.get(channelId);
    if (!leg) return false;
    this.ended(leg, { reason: LegEndReason.vanished, cause: 0, causeText: 'vanished' });
    return true;
  }

  /** Stops every ring timer (shutdown, or a test's simulated crash). */
  stop(): void {
    for (const timer of this.ringTimers.values()) timer.cancel();
    this.ringTimers.clear();
  }

  private track(leg: Leg): Leg {
    this.live.set(leg.channelId, leg);
    return leg;
  }

  private whilePlacing(leg: Leg): void {
    this.originating.add(leg.channelId);
    leg.placed.then(() => this.originating.delete(leg.channelId), (error: unknown) => {
      this.originating.delete(leg.channelId);
      this.refused(leg, error);
      // No answer at all (the link was cut mid-request): Asterisk may have made the channel and
      // be ringing a phone for nobody. The id is ours, so hanging it up is safe either way.
      if (error instanceof TelephonyError && error.status === 0) this.hangUpUnknown(leg.channelId, 1);
    });
  }

  /** Hangs up a channel that may or may not exist, until Asterisk says it is gone (404) or the tries run out. */
  private hangUpUnknown(channelId: string, attempt: number): void {
    this.deps.telephony.hangup(channelId).catch((error: unknown) => {
      if (error instanceof TelephonyError && error.notFound) return;
      if (attempt < HANGUP_ATTEMPTS) this.deps.clock.after(1_000 * attempt, () => this.hangUpUnknown(channelId, attempt + 1));
    });
  }

  private ringTimedOut(leg: Leg): void {
    this.ringTimers.delete(leg.channelId);
    if (leg.answered || !leg.active) return;
    leg.tellEnded({ reason: LegEndReason.timeout, cause: 0, causeText: 'ring timeout' }, (error) => this.listenerFailed(leg, error));
    leg.hangUp();
  }

  /**
   * A leg left our app. Its ChannelDestroyed normally follows and says why (a lost phone's
   * cause matters), but Asterisk does not always deliver it once the channel is out of the app
   * (a snoop whose spied channel went away): the leg ends anyway, after a short wait for it.
   */
  private leftApp(leg: Leg): void {
    const end = { reason: LegEndReason.hangup, cause: 0, causeText: 'left the app' };
    if (leg.kind === 'snoop') {
      this.ended(leg, end);
      return;
    }
    // Kept with the leg's timers: the leg ending (or the dialer stopping) cancels it.
    this.ringTimers.set(leg.channelId, this.deps.clock.after(DESTROY_GRACE_MS, () => this.ended(leg, end)));
  }

  private refused(leg: Leg, error: unknown): void {
    this.deps.log.warn({ err: String(error), channelId: leg.channelId, kind: leg.kind }, 'leg could not be placed');
    this.ended(leg, { reason: LegEndReason.failed, cause: 0, causeText: String(error) });
  }

  private ended(leg: Leg, end: { reason: LegEndReason; cause: number; causeText: string }): void {
    if (this.live.get(leg.channelId) !== leg) return;
    this.live.delete(leg.channelId);
    this.ringTimers.get(leg.channelId)?.cancel();
    this.ringTimers.delete(leg.channelId);
    leg.tellEnded(end, (error) => this.listenerFailed(leg, error));
  }

  private listenerFailed(leg: Leg, error: unknown): void {
    this.deps.log.error({ err: String(error), channelId: leg.channelId, callId: leg.callId, kind: leg.kind }, 'a leg listener failed');
  }
}
