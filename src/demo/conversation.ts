import type { Disposition } from '../calls/disposition-service.js';
import type { NewDispositionRow } from '../db/dispositions-repository.js';
import type { NewFixRow } from '../db/location-repository.js';
import type { AgencyId, RoutingRequest } from '../dispatch/agency-routing.js';
import { bestLocation } from '../geo/best-location.js';
import { LinkHow } from '../incidents/incident-schemas.js';
import { locationOfFix } from '../incidents/incident-service.js';
import type { Category } from '../ivr/flow-schema.js';
import { storedFixOf } from '../location/fix-rows.js';
import type { KecamatanMap } from '../location/kecamatan/kecamatan-map.js';
import { DISPOSITION_NOTES } from './descriptions.js';
import { logNormalBetween } from './distributions.js';
import { buildIncident, type DemoIncident, linkCall } from './incident-build.js';
import { confirmedFix, enteredFix } from './locations.js';
import type { CallKind } from './mix.js';
import type { PlannedCall } from './plan.js';
import type { Random } from './random.js';
import { operatorsOnShiftAt } from './shifts.js';
import type { SimCall } from './switchboard-sim.js';

/** Talk time from the operator's answer to the hang-up (median and shape, seconds), and how often the caller hangs up first. */
const TALK: Record<Exclude<CallKind, 'valid' | 'abandoned' | 'fallback'> | Category, { median: number; sigma: number; min: number; max: number; callerEnds: number }> = {
  traffic: { median: 150, sigma: 0.45, min: 45, max: 900, callerEnds: 0.45 },
  fire: { median: 140, sigma: 0.45, min: 45, max: 900, callerEnds: 0.45 },
  medical: { median: 210, sigma: 0.45, min: 60, max: 1200, callerEnds: 0.4 },
  disaster: { median: 170, sigma: 0.45, min: 45, max: 900, callerEnds: 0.45 },
  crime: { median: 180, sigma: 0.45, min: 45, max: 900, callerEnds: 0.45 },
  other: { median: 130, sigma: 0.45, min: 40, max: 900, callerEnds: 0.5 },
  duplicate: { median: 70, sigma: 0.5, min: 20, max: 300, callerEnds: 0.5 },
  info: { median: 75, sigma: 0.55, min: 15, max: 600, callerEnds: 0.6 },
  prank: { median: 28, sigma: 0.7, min: 5, max: 300, callerEnds: 0.4 },
  ghost: { median: 12, sigma: 0.35, min: 4, max: 45, callerEnds: 0.1 },
  test: { median: 15, sigma: 0.4, min: 5, max: 60, callerEnds: 0.7 },
};

/** The prank lane's window (SIAGA112_PRANK_WINDOW_HOURS, 24 h): marks older than this no longer count. */
export const PRANK_WINDOW_MS = 86_400_000;

export interface ConversationDeps {
  rng: Random;
  ids: Random;
  map: KecamatanMap;
  /** The routing table's proposal (AgencyDirectory.propose). */
  propose: (request: RoutingRequest) => AgencyId[];
  subcategoriesOf: (category: Category) => string[];
  /** The period's end: agencies' later steps have not happened yet. */
  until: number;
  fixes: NewFixRow[];
  dispositions: NewDispositionRow[];
  incidents: DemoIncident[];
  /** Each number's prank verdicts (the prank lane counts them). */
  prankMarks: Map<string, number[]>;
  /** The fixes each call has had, by call id. */
  fixesOf: Map<string, NewFixRow[]>;
}

/**
 * What an operator does on an answered call: listens, locates, creates the incident of a real
 * emergency and dispatches, links another caller to it, disposes of the call. Each writes what
 * the service's own path writes (a disposition row and its call event, an entered fix and its
 * event, an incident with its events and dispatches).
 */
export class Conversations {
  private readonly incidentOf = new Map<PlannedCall, DemoIncident>();
  private readonly waitingForIncident = new Map<PlannedCall, Array<(incident: DemoIncident) => void>>();

  constructor(private readonly deps: ConversationDeps) {}

  /** The conversation of a call an operator answered at `at`: when and how it ends. */
  connected(call: SimCall, operatorId: string, at: number): { endAt: number; endedBy: 'caller' | 'operator' } {
    const { rng } = this.deps;
    const { kind, category } = call.plan;
    const talkKey = kind === 'valid' ? category! : kind === 'abandoned' || kind === 'fallback' ? 'info' : kind;
    const talk = TALK[talkKey];
    let endAt = at + logNormalBetween(rng, talk.median, talk.sigma, talk.min, talk.max) * 1000;
    const by = `operator:${operatorId}`;
    if (kind === 'valid') endAt = Math.max(endAt, this.reportIncident(call, operatorId, at) + 20_000);
    if (kind === 'duplicate') endAt = Math.max(endAt, this.linkToIncident(call, by, at) + 8000);
    const verdict = kind === 'valid' || kind === 'duplicate' ? (kind === 'valid' ? 'valid' : null) : kind === 'abandoned' || kind === 'fallback' ? 'info' : kind;
    // Now and then an operator closes a junk call without a verdict, or forgets the valid one beside its incident.
    if (verdict && !rng.chance(verdict === 'valid' ? 0.03 : 0.04)) {
      const disposedAt = rng.chance(0.6) ? endAt - rng.between(1000, 8000) : endAt + rng.between(1000, 9000);
      const note = verdict === 'info' || verdict === 'prank' || verdict === 'test' ? (rng.chance(0.3) ? rng.pick(DISPOSITION_NOTES[verdict]) : '') : '';
      this.dispose(call, verdict, note, by, Math.max(at + 1000, disposedAt));
      // A second thought: a verdict corrected shortly after (the latest one counts).
      if ((verdict === 'prank' && rng.chance(0.015)) || (verdict === 'ghost' && rng.chance(0.01))) {
        this.dispose(call, verdict === 'prank' ? 'info' : 'prank', '', by, endAt + rng.between(30_000, 300_000));
      }
    }
    return { endAt, endedBy: rng.chance(talk.callerEnds) ? 'caller' : 'operator' };
  }

  /** A verdict on a call (DispositionService.dispose: the row and the call's event at one moment). */
  private dispose(call: SimCall, disposition: Disposition, note: string, by: string, at: number): void {
    const when = Math.round(at);
    this.deps.dispositions.push({ callId: call.trail.id, number: call.callerNumberKey, disposition, note, by, at: when });
    call.trail.note('disposition', when, { disposition, by });
    if (disposition === 'prank') {
      const marks = this.deps.prankMarks.get(call.callerNumberKey) ?? [];
      marks.push(when);
      this.deps.prankMarks.set(call.callerNumberKey, marks);
    }
  }

  /** Locates the caller if nothing did, creates the incident and dispatches; returns when it was created. */
  private reportIncident(call: SimCall, operatorId: string, at: number): number {
    const { rng, ids, map } = this.deps;
    const by = `operator:${operatorId}`;
    const fixes = this.deps.fixesOf.get(call.trail.id) ?? [];
    const add = (fix: NewFixRow, type: string, detail: object) => {
      fixes.push(fix);
      this.deps.fixes.push(fix);
      call.trail.note(type, fix.receivedAt, detail);
    };
    const usable = fixes.filter((f) => f.receivedAt <= at + 40_000);
    if (usable.length === 0) {
      const fix = enteredFix(ids, { callId: call.trail.id, callerNumber: call.plan.callerNumber, place: call.plan.place }, by, Math.round(at + rng.between(25_000, 60_000)), map);
      add(fix, 'location-entered', { fixId: fix.id, by });
    } else if (rng.chance(0.15)) {
      const confirmAt = Math.round(at + rng.between(20_000, 50_000));
      const best = bestLocation(usable.map((f) => storedFixOf(f)), confirmAt, 300_000);
      const original = best ? usable.find((f) => f.id === best.fix.id) : undefined;
      if (original) {
        const fix = confirmedFix(ids, original, by, confirmAt, map);
        add(fix, 'location-confirmed', { fixId: fix.id, confirms: original.id, by });
      }
    }
    const createdAt = Math.round(at + logNormalBetween(rng, 70_000, 0.35, 30_000, 240_000));
    const best = bestLocation(fixes.filter((f) => f.receivedAt <= createdAt).map((f) => storedFixOf(f)), createdAt, 300_000);
    const incident = buildIncident(rng, {
      id: ids.uuid(), callId: call.trail.id, callerNumber: call.plan.callerNumber, operatorId, category: call.plan.category!, createdAt,
      place: call.plan.place, location: best ? locationOfFix(best.fix, null) : null, until: this.deps.until,
      recorderAt: (when) => `operator:${this.recorder(operatorId, when)}`,
    }, this.deps.propose, this.deps.subcategoriesOf);
    this.deps.incidents.push(incident);
    this.incidentOf.set(call.plan, incident);
    for (const link of this.waitingForIncident.get(call.plan) ?? []) link(incident);
    this.waitingForIncident.delete(call.plan);
    return createdAt;
  }

  /**
   * Links another caller to the incident they report (IncidentService.link: the link, its event
   * and the duplicate verdict, at one moment); returns when. An incident still being created by
   * a colleague is linked as soon as it exists.
   */
  private linkToIncident(call: SimCall, by: string, at: number): number {
    const { rng } = this.deps;
    const linkAt = Math.round(at + logNormalBetween(rng, 35_000, 0.4, 12_000, 120_000));
    const link = (incident: DemoIncident, when: number) => {
      linkCall(incident, call.trail.id, LinkHow.linked, when, by);
      this.dispose(call, 'duplicate', `reports incident ${incident.row.id}`, by, when);
    };
    const parent = call.plan.parent!;
    const incident = this.incidentOf.get(parent);
    if (incident) {
      link(incident, Math.max(linkAt, incident.row.createdAt + Math.round(rng.between(5000, 30_000))));
    } else {
      const waiting = this.waitingForIncident.get(parent) ?? [];
      waiting.push((created) => link(created, Math.max(linkAt, created.row.createdAt + Math.round(rng.between(10_000, 40_000)))));
      this.waitingForIncident.set(parent, waiting);
    }
    return linkAt;
  }

  /** Who records news about an incident at a moment: its operator while on shift, else one on shift then. */
  private recorder(operatorId: string, at: number): string {
    const team = operatorsOnShiftAt(at);
    return team.includes(operatorId) ? operatorId : team[Math.floor(at / 60_000) % team.length]!;
  }
}
