import type { CallEventSubscriber } from '../calls/call-events.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import type { Clock } from '../clock.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { LocationRepository } from '../db/location-repository.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import type { AmlMessage } from './aml/aml-message.js';
import { bestLocation, type CallLocation } from '../geo/best-location.js';
import { callForMessage, type CorrelationWindow } from './correlation.js';
import type { FixReading } from '../geo/fix.js';
import { fixRowOf, type FixContext, storedFixesOf, storedFixOf } from './fix-rows.js';
import type { KecamatanMaps } from './kecamatan-maps.js';
import type { LocationEventPublisher } from './location-events.js';
import type { ReferenceSettings } from './pidf-reference.js';
import { readSipLocation } from './sip-location.js';
import type { StoredFix } from '../geo/stored-fix.js';
import { amlMessageSchema } from './aml/aml-message.js';
import { landlineReading } from './registry/landline-reading.js';

export interface LocationSettings {
  window: CorrelationWindow;
  /** A fix older than this no longer competes on accuracy for the best location. */
  maxAgeMs: number;
  /** The longest a call can last (its cap): how far back a message's call may have started. */
  maxCallMs: number;
  /** Whether Asterisk hands callers' PIDF-LO over (citizens-geolocation.conf): else no call is read. */
  sipLocation: boolean;
  reference: ReferenceSettings;
}

export interface LocationDeps {
  repo: LocationRepository;
  /** Which calls came from a number when (the calls capability's records). */
  calls: Pick<CallsRepository, 'callsFromNumber'>;
  telephony: Telephony;
  maps: KecamatanMaps;
  clock: Clock;
  log: Logger;
  events: LocationEventPublisher & CallEventSubscriber;
  settings: LocationSettings;
}

/** Held AML messages a new call takes at most (the newest): the rest stay held, for audit. */
const HELD_PER_CALL = 5;

/** Where an AML message went: onto a call, or held until its call comes. */
export type AmlOutcome = { status: 'attached'; callId: string; fixId: string } | { status: 'held' };

/**
 * Takes in every location that reaches siaga112 and attaches it to its call: the landline
 * registry and held AML messages when the call arrives, the caller's PIDF-LO once the call is
 * answered (or, for a call refused by admission, once it is handed over: overload adds no ARI
 * request before the hand-off), AML messages as they come. Each fix is written once and
 * published to the live stream at once.
 */
export class LocationService {
  /** Calls whose SIP location is still to be read: their channel and number. */
  private readonly unread = new Map<string, { channelId: string; number: string }>();
  private readonly reads = new Set<Promise<void>>();

  constructor(private readonly deps: LocationDeps) {}

  start(): Array<() => void> {
    const { events } = this.deps;
    return [
      events.subscribe('call.arrived', (event) => this.arrived(event.callId, event.channelId, event.callerNumber, event.at)),
      events.subscribe('call.answered', ({ callId }) => this.readSip(callId)),
      // Ended before its answer: handed to the fallback (its channel lives on in the dialplan, read
      // it now), or gone (nothing left to read).
      events.subscribe('call.ended', ({ callId, state }) => (state === 'fallback' ? this.readSip(callId) : this.unread.delete(callId))),
      () => this.unread.clear(),
    ];
  }

  /** Resolves when every SIP read under way is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.reads.size > 0) await Promise.all([...this.reads]);
  }

  /** The fixes of a call, in the order received, and its best location now. */
  locationOf(callId: string): CallLocation {
    const fixes = storedFixesOf(this.deps.repo.fixesOf(callId), this.deps.log);
    return { fixes, best: bestLocation(fixes, this.deps.clock.now(), this.deps.settings.maxAgeMs) };
  }

  /** An AML message from a gateway: onto the live or most recent call from its number, else held. */
  receiveAml(message: AmlMessage, raw: string): AmlOutcome {
    const { repo, clock, settings } = this.deps;
    const number = message.deviceNumber!;
    const receivedAt = clock.now();
    const candidates = this.deps.calls.callsFromNumber(number, receivedAt - settings.maxCallMs - settings.window.afterMs, receivedAt + settings.window.beforeMs);
    const call = callForMessage(candidates, receivedAt, settings.window);
    if (!call) {
      repo.addPending({ number, receivedAt, message: JSON.stringify(message), raw });
      return { status: 'held' };
    }
    const fix = this.take(message.reading, { callId: call.id, number, receivedAt, raw });
    return { status: 'attached', callId: call.id, fixId: fix.id };
  }

  /** Writes a fix of a call and publishes it; returns it as clients see it. */
  take(reading: FixReading, context: FixContext): StoredFix {
    const row = fixRowOf(reading, context, this.deps.maps.current());
    // The view is checked before anything is written: a fix is never stored without its event.
    const fix = storedFixOf(row);
    this.deps.repo.addFix(row);
    this.deps.events.publish('location.fix', { callId: context.callId, at: context.receivedAt, fix });
    return fix;
  }

  /**
   * At StasisStart, before the answer: only local lookups (the registry, held AML), each on its
   * own so that one failing never keeps the other from the call, and bounded, so a flood of
   * messages for one number cannot hold the call path (the newest few are the ones that matter).
   */
  private arrived(callId: string, channelId: string, callerNumber: string, arrivedAt: number): void {
    const number = normaliseNumber(callerNumber);
    if (this.deps.settings.sipLocation) this.unread.set(callId, { channelId, number });
    this.guarded(callId, 'registry lookup', () => {
      const landline = this.deps.repo.landline(number);
      if (landline) this.take(landlineReading(landline), { callId, number, receivedAt: arrivedAt, raw: '' });
    });
    this.guarded(callId, 'held AML', () => this.attachHeld(callId, number, arrivedAt));
  }

  private attachHeld(callId: string, number: string, arrivedAt: number): void {
    const { repo, settings } = this.deps;
    for (const held of repo.pendingFor(number, arrivedAt - settings.window.beforeMs, arrivedAt, HELD_PER_CALL)) {
      this.guarded(callId, `held AML ${held.id}`, () => {
        const message = amlMessageSchema.parse(JSON.parse(held.message));
        const row = fixRowOf(message.reading, { callId, number, receivedAt: held.receivedAt, raw: held.raw }, this.deps.maps.current());
        const fix = storedFixOf(row);
        // Published once it is this call's: not when another call took it, nor while its write
        // waits for a locked database (it may yet find the message taken).
        if (repo.attachPending(held.id, callId, arrivedAt, row) === 'attached') this.deps.events.publish('location.fix', { callId, at: arrivedAt, fix });
      });
    }
  }

  private guarded(callId: string, what: string, step: () => void): void {
    try {
      step();
    } catch (error) {
      this.deps.log.error({ callId, err: error instanceof Error ? error.message : String(error) }, `location: ${what} failed`);
    }
  }

  /** Reads the caller's SIP location once per call, in the background. */
  private readSip(callId: string): void {
    const call = this.unread.get(callId);
    if (!call) return;
    this.unread.delete(callId);
    const read = this.readSipNow(callId, call.channelId, call.number)
      .catch((error: unknown) => this.deps.log.warn({ callId, err: String(error) }, 'could not take the SIP location'))
      .finally(() => this.reads.delete(read));
    this.reads.add(read);
  }

  private async readSipNow(callId: string, channelId: string, number: string): Promise<void> {
    const { telephony, settings, repo, clock, log } = this.deps;
    const sip = await readSipLocation(telephony, channelId, settings.reference, clock);
    if (sip.kind === 'none') return;
    if (sip.kind === 'refused') {
      log.info({ callId, reason: sip.reason }, 'caller location refused');
      repo.reject({ at: clock.now(), intake: sip.source, sender: number, reason: sip.reason, callId, raw: sip.raw });
      return;
    }
    for (const reading of sip.readings) this.take(reading, { callId, number, receivedAt: clock.now(), raw: sip.raw });
  }
}
