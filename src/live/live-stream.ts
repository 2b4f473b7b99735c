import { randomUUID } from 'node:crypto';
import type { callEventSchemas } from '../calls/call-events.js';
import { CallState } from '../calls/states.js';
import type { Clock, Timer } from '../clock.js';
import type { CallRow, CallsRepository } from '../db/calls-repository.js';
import type { LocationRepository } from '../db/location-repository.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { Subscriber } from '../events/event-bus.js';
import type { locationEventSchemas } from '../location/location-events.js';
import type { StoredFix } from '../geo/stored-fix.js';
import type { Logger } from '../log.js';
import type { operatorEventSchemas } from '../operators/operator-events.js';
import { OperatorState } from '../operators/operator-states.js';
import type { QueueStateView } from '../queue/queue-state.js';
import { OVERFLOW } from '../queue/ringing-offers.js';
import { type Audience, mayReceive, type Viewer } from './audience.js';
import { EventRing, type Numbered } from './event-ring.js';
import type { LiveEvent, LiveFrame } from './live-events.js';
import { liveCallOf, queueStateOf, storedFixesOf } from './views.js';

/** The domain events the stream is made of. */
export type LiveEventSource = Subscriber<typeof callEventSchemas & typeof operatorEventSchemas & typeof locationEventSchemas>;

/** Where the queue's state comes from (the queue capability's feed). */
export interface QueueSource {
  state(): QueueStateView;
  onChange(listener: () => void): () => void;
}

export interface LiveStreamDeps {
  calls: Pick<CallsRepository, 'findById' | 'openCalls'>;
  offers: Pick<OffersRepository, 'forCall'>;
  fixes: Pick<LocationRepository, 'fixesOf'>;
  events: LiveEventSource;
  queue: QueueSource;
  clock: Clock;
  log: Logger;
  /** Events kept for reconnects. */
  capacity?: number;
  /** Queue changes closer together than this are sent as one snapshot (a burst of calls is one event). */
  queueCoalesceMs?: number;
}

interface Entry {
  event: LiveEvent;
  audience: Audience;
}

/** A stream open now: who listens, and how a frame reaches their socket. */
interface Listener {
  viewer: Viewer;
  send: (frame: LiveFrame) => void;
}

/**
 * The live stream of calls, fixes and the queue: every domain event that changes what a console
 * shows becomes one numbered event, kept in a ring for reconnects and written at once, in the
 * publisher's turn, to every listener allowed to see it. An event's audience is fixed when it
 * happens, so a replay after a reconnect is exactly what the listener would have received.
 */
export class LiveStream {
  /** Ids are `<instance>-<seq>`: a Last-Event-ID from before a restart finds no instance and gets a snapshot. */
  readonly instance = randomUUID().slice(0, 8);
  private readonly ring: EventRing<Entry>;
  private readonly listeners = new Set<Listener>();
  /** Operator → the call their phone rings for now (the board rings before call_offers has the row). */
  private readonly ringingFor = new Map<string, string>();
  /** Operator → the call they are on or wrapping up (a callback's operator is on the row of no call). */
  private readonly onCall = new Map<string, string>();
  private queueTimer: Timer | null = null;

  constructor(private readonly deps: LiveStreamDeps) {
    this.ring = new EventRing(deps.capacity ?? 2000);
  }

  start(): Array<() => void> {
    const { events, queue } = this.deps;
    const call = (type: 'call.arrived' | 'call.answered' | 'call.enqueued' | 'call.offered' | 'call.connected' | 'call.ended') =>
      events.subscribe(type, ({ callId }) => this.callChanged(callId));
    return [
      call('call.arrived'), call('call.answered'), call('call.enqueued'), call('call.offered'), call('call.connected'), call('call.ended'),
      events.subscribe('operator.state-changed', ({ operatorId, to, callId }) => this.operatorMoved(operatorId, to, callId)),
      events.subscribe('location.fix', ({ callId, fix }) => this.fixAttached(callId, fix)),
      queue.onChange(() => this.queueChanged()),
      () => {
        this.queueTimer?.cancel();
        this.queueTimer = null;
      },
    ];
  }

  /**
   * Opens a stream for `viewer`: what it missed since `lastEventId` when all of that is still
   * kept, else a fresh snapshot (and the queue); then every new event it may see, as it happens.
   * Returns the function that closes it.
   */
  open(viewer: Viewer, lastEventId: string | undefined, send: (frame: LiveFrame) => void): () => void {
    const missed = lastEventId === undefined ? undefined : this.missedSince(lastEventId);
    if (missed) {
      for (const entry of missed) if (mayReceive(viewer, entry.item.audience)) send(this.frameOf(entry));
    } else {
      const id = this.idOf(this.ring.lastSeq);
      send({ id, type: 'snapshot', data: this.snapshotFor(viewer) });
      send({ id, type: 'queue.snapshot', data: queueStateOf(this.deps.queue.state()) });
    }
    const listener = { viewer, send };
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The live (not ended) calls a viewer may see, and all their fixes. */
  snapshotFor(viewer: Viewer): Extract<LiveEvent, { type: 'snapshot' }>['data'] {
    const rows = this.deps.calls.openCalls().filter((row) => mayReceive(viewer, this.audienceOf(row.id, row)));
    return {
      calls: rows.map(liveCallOf),
      fixes: rows.flatMap((row) => storedFixesOf(this.deps.fixes.fixesOf(row.id), this.deps.log)),
    };
  }

  private callChanged(callId: string): void {
    const row = this.deps.calls.findById(callId);
    if (!row) {
      // Its row is still waiting for the database's lock: the next event of the call shows it.
      this.deps.log.debug({ callId }, 'no row for a call event yet; not streamed');
      return;
    }
    this.publish({ type: 'call.updated', data: { call: liveCallOf(row) } }, this.audienceOf(callId, row));
  }

  /**
   * An operator's state changed: ringing for a call, or on it, the call is theirs to see from
   * now on (they get it at once, with its fixes so far); a ring that ended unanswered, or the end
   * of their call, ends that.
   */
  private operatorMoved(operatorId: string, to: OperatorState, callId: string | null): void {
    const before = callId === null ? undefined : this.deps.calls.findById(callId);
    const already = callId !== null && this.operatorsOf(callId, before).has(operatorId);
    this.ringingFor.delete(operatorId);
    if (to !== OperatorState.busy && to !== OperatorState.wrapup) this.onCall.delete(operatorId);
    if (callId === null) return;
    if (to === OperatorState.offered) this.ringingFor.set(operatorId, callId);
    else if (to === OperatorState.busy) this.onCall.set(operatorId, callId);
    else return;
    if (already || !before) return;
    // Only to them: everyone else who sees the call has had all of this already.
    const only = { operators: new Set([operatorId]), everything: false };
    this.publish({ type: 'call.updated', data: { call: liveCallOf(before) } }, only);
    for (const fix of storedFixesOf(this.deps.fixes.fixesOf(callId), this.deps.log)) this.publish({ type: 'location.fix', data: { callId, fix } }, only);
  }

  private fixAttached(callId: string, fix: StoredFix): void {
    this.publish({ type: 'location.fix', data: { callId, fix } }, this.audienceOf(callId, this.deps.calls.findById(callId)));
  }

  private queueChanged(): void {
    this.queueTimer ??= this.deps.clock.after(this.deps.queueCoalesceMs ?? 200, () => {
      this.queueTimer = null;
      this.publish({ type: 'queue.snapshot', data: queueStateOf(this.deps.queue.state()) }, 'all');
    });
  }

  /** Who sees a call's events: the supervisors and the API, and the operators it has reached. */
  private audienceOf(callId: string, row: CallRow | undefined): Audience {
    return { operators: this.operatorsOf(callId, row), everything: true };
  }

  /**
   * The operators who may see a call now: whoever handles it (its row), unless the call is back
   * in line (their leg was lost); whoever is on it (a callback); and those whose phone rings for
   * it now. An operator whose ring ended unanswered, or who was rung while another took the call,
   * no longer sees it: a call an operator merely rang for is not theirs (auth/call-ownership.ts).
   */
  private operatorsOf(callId: string, row: CallRow | undefined): ReadonlySet<string> {
    const operators = new Set<string>();
    const waiting = row?.state === CallState.queued || row?.state === CallState.offered;
    if (row?.operatorId && row.operatorId !== OVERFLOW && !waiting) operators.add(row.operatorId);
    for (const [operatorId, on] of this.onCall) if (on === callId) operators.add(operatorId);
    for (const [operatorId, ringing] of this.ringingFor) if (ringing === callId) operators.add(operatorId);
    for (const offer of this.deps.offers.forCall(callId)) if (offer.endedAt === null && offer.target !== OVERFLOW) operators.add(offer.target);
    return operators;
  }

  private publish(event: LiveEvent, audience: Audience): void {
    const frame = this.frameOf(this.ring.push({ event, audience }));
    for (const listener of [...this.listeners]) {
      if (!mayReceive(listener.viewer, audience)) continue;
      try {
        listener.send(frame);
      } catch (error) {
        this.deps.log.warn({ err: String(error), type: event.type }, 'could not write to a live stream');
      }
    }
  }

  private missedSince(lastEventId: string): Array<Numbered<Entry>> | undefined {
    const match = /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId.trim());
    if (!match || match[1] !== this.instance) return undefined;
    return this.ring.after(Number(match[2]));
  }

  private idOf(seq: number): string {
    return `${this.instance}-${seq}`;
  }

  private frameOf(entry: Numbered<Entry>): LiveFrame {
    return { id: this.idOf(entry.seq), ...entry.item.event };
  }
}
