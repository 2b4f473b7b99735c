import { prankStatus } from '../calls/prank-policy.js';
import { CallTrigger, EndReason } from '../calls/states.js';
import type { NewFixRow } from '../db/location-repository.js';
import { presetFor } from '../ivr/aliases.js';
import type { KecamatanMap } from '../location/kecamatan/kecamatan-map.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import type { DemoCallbacks } from './callbacks-sim.js';
import { CallTrail } from './call-trail.js';
import { PRANK_WINDOW_MS } from './conversation.js';
import type { FlowsOverTime } from './demo-flows.js';
import { logNormalBetween } from './distributions.js';
import type { EventQueue } from './event-queue.js';
import { channelNameOf, fallbackTrail } from './fallbacks.js';
import { runDemoIvr } from './ivr-run.js';
import { callFixes } from './locations.js';
import type { CallKind } from './mix.js';
import type { Places } from './places.js';
import type { PlannedCall } from './plan.js';
import type { Random } from './random.js';
import type { DemoSwitchboard, SimCall } from './switchboard-sim.js';

export interface ArrivalDeps {
  queue: EventQueue;
  rng: Random;
  ids: Random;
  flows: FlowsOverTime;
  places: Places;
  map: KecamatanMap;
  switchboard: DemoSwitchboard;
  callbacks: DemoCallbacks;
  prankMarks: Map<string, number[]>;
  /** Where each call's record and fixes go. */
  calls: Array<{ trail: CallTrail; kind: CallKind }>;
  fixes: NewFixRow[];
  fixesOf: Map<string, NewFixRow[]>;
  /** The first Asterisk channel counter of the run (uniqueids must not repeat an earlier run's). */
  firstChannel: number;
}

/**
 * A citizen's call from StasisStart to the queue, as CallService and CallSession take it: the row
 * and its 'arrived' event first, siaga112's answer (~0.3 s), the SIP location after the answer
 * and the handset's AML some seconds in, the IVR (the prank lane checked against the number's
 * prank verdicts of the last 24 h), then the queue, the ghost policy's hang-up, or the caller's.
 */
export class Arrivals {
  private channel: number;

  constructor(private readonly deps: ArrivalDeps) {
    this.channel = deps.firstChannel;
  }

  schedule(plan: PlannedCall): void {
    this.deps.queue.at(plan.arrivedAt, () => this.arrive(plan));
  }

  private async arrive(plan: PlannedCall): Promise<void> {
    const { rng, ids, queue, flows } = this.deps;
    const callerNumberKey = normaliseNumber(plan.callerNumber);
    const identity = {
      id: ids.uuid(), channelId: `${Math.floor(plan.arrivedAt / 1000)}.${this.channel++}`, callerNumber: plan.callerNumber, callerNumberKey,
      dialledNumber: plan.dialled, arrivedAt: plan.arrivedAt,
    };
    this.deps.callbacks.arrived(callerNumberKey, identity.id, plan.arrivedAt);
    if (plan.kind === 'fallback') {
      this.deps.calls.push({ trail: fallbackTrail(rng, identity, plan.fallbackReason!, flows.at(plan.arrivedAt)), kind: plan.kind });
      return;
    }
    const trail = new CallTrail(identity);
    this.deps.calls.push({ trail, kind: plan.kind });
    const stasisAt = plan.arrivedAt + rng.between(15, 60);
    trail.note('arrived', stasisAt, { via: 'stasis', channelName: channelNameOf(rng) });
    const answeredAt = Math.round(stasisAt + logNormalBetween(rng, 260, 0.3, 80, 1500));
    trail.apply(CallTrigger.answered, answeredAt, { answeredAt });
    const fixes = callFixes(ids, { callId: identity.id, callerNumber: plan.callerNumber, dialled: plan.dialled, mobile: plan.mobile, place: plan.place, arrivedAt: plan.arrivedAt, answeredAt }, this.deps.places, this.deps.map);
    this.deps.fixes.push(...fixes);
    this.deps.fixesOf.set(identity.id, fixes);

    const { flow, version } = flows.at(answeredAt);
    const preset = presetFor(plan.dialled);
    const marks = this.deps.prankMarks.get(callerNumberKey) ?? [];
    const prank = callerNumberKey !== 'unknown' && prankStatus(callerNumberKey, marks, null, answeredAt, { threshold: 3, windowMs: PRANK_WINDOW_MS }).prankLane;
    const hangupAt = plan.abandon?.stage === 'ivr' ? answeredAt + plan.abandon.afterMs : null;
    const run = await runDemoIvr({
      flow, version, behaviour: plan.behaviour, callerNumber: plan.callerNumber, answeredAt, hangupAt,
      context: { dialled: plan.dialled, ...(preset.category ? { category: preset.category } : {}), ...(preset.priority !== undefined ? { priority: preset.priority } : {}), prank },
    }, trail, rng);
    const endAt = Math.round(run.endAt);
    if (!run.outcome) {
      trail.apply(CallTrigger.callerHangup, endAt, { endedAt: endAt, endReason: EndReason.callerHangup }, { cause: 16 });
      return;
    }
    const { outcome } = run;
    const detail = { queue: outcome.queue, path: outcome.path, capped: outcome.capped, version };
    const choice = { category: outcome.category, priority: outcome.priority, language: outcome.language, tags: JSON.stringify(outcome.tags), ivrVersion: version };
    if (outcome.kind === 'hangup') {
      trail.apply(CallTrigger.ivrHangup, endAt, { ...choice, endedAt: endAt, endReason: EndReason.ghostPolicy }, detail);
      return;
    }
    this.deps.switchboard.expect();
    queue.at(endAt, () => {
      const call: SimCall = { plan, trail, callerNumberKey, queue: { priority: outcome.priority, category: outcome.category, language: outcome.language, enqueuedAt: queue.now }, rings: new Set(), waiting: false, abandonAt: null };
      trail.apply(CallTrigger.enqueued, queue.now, { ...choice, enqueuedAt: queue.now }, detail);
      // A caller hanging up in the IVR whose IVR was quicker hangs up in the queue, at that moment.
      const giveUpAt = plan.abandon ? (plan.abandon.stage === 'queue' ? queue.now + plan.abandon.afterMs : hangupAt) : null;
      this.deps.switchboard.enqueue(call, giveUpAt);
    });
  }
}
