import { randomUUID } from 'node:crypto';
import { ensureOwnCallIfOperator } from '../auth/call-ownership.js';
import { auditName, type Principal } from '../auth/principal.js';
import type { Disposition } from '../calls/disposition-service.js';
import type { Clock } from '../clock.js';
import type { CallRow, CallsRepository } from '../db/calls-repository.js';
import type { IncidentsRepository } from '../db/incidents-repository.js';
import type { AgencyDirectory } from '../dispatch/agency-directory.js';
import { isFinalDispatchState } from '../dispatch/dispatch-lifecycle.js';
import type { DispatchRecord, DispatchService } from '../dispatch/dispatch-service.js';
import type { IncidentBrief, IncidentLocation } from '../dispatch/incident-brief.js';
import { DomainError } from '../errors.js';
import type { CallLocation } from '../geo/best-location.js';
import {
  type CreateIncident, type IncidentEvent, incidentEventSchema, type LinkHow, LinkHow as How, type LocationInput, type StoredIncidentFields, type UpdateIncident,
} from './incident-schemas.js';
import { type IncidentState, incidentStateOf } from './incident-state.js';
import type { Subcategories } from './subcategories.js';

export interface IncidentDeps {
  repo: IncidentsRepository;
  calls: CallsRepository;
  locationOf: (callId: string) => CallLocation;
  /** The kecamatan of a point, or "outside Kota Bekasi". */
  kecamatanAt: (latitude: number, longitude: number) => string;
  dispose: (callId: string, disposition: Disposition, note: string, by: string) => void;
  directory: AgencyDirectory;
  dispatches: DispatchService;
  subcategories: Subcategories;
  clock: Clock;
}

/** An incident as the service reads it: its row, its folded state, its calls and its dispatches. */
export interface IncidentRecord {
  id: string;
  createdAt: number;
  createdBy: string;
  state: IncidentState;
  calls: Array<{ callId: string; how: LinkHow; linkedAt: number; by: string }>;
  dispatches: DispatchRecord[];
  events: Array<{ event: IncidentEvent; at: number; by: string }>;
}

/**
 * Incidents: what the calls are about. Created by the operator from the call they handle, other
 * calls linked to it (each then disposed `duplicate`), agencies proposed by the routing table and
 * adjusted by the operator, dispatched through the dispatch capability. Every change is an event.
 */
export class IncidentService {
  constructor(private readonly deps: IncidentDeps) {}

  /** `id`: chosen by the caller when it must name the incident before it exists (a surge's announcement). */
  create(input: CreateIncident, by: Principal, id: string = randomUUID()): IncidentRecord {
    const { repo, directory, subcategories, clock } = this.deps;
    const call = this.callFor(input.callId, by);
    subcategories.check(input.category, input.subcategory);
    const location = input.location ? this.resolveLocation(input.location, call, by) : this.bestOf(call.id);
    const fields: StoredIncidentFields = {
      category: input.category, subcategory: input.subcategory ?? null, description: input.description, severity: input.severity,
      peopleAffected: input.peopleAffected, peopleHurt: input.peopleHurt, callbackNumber: input.callbackNumber ?? call.callerNumber, location,
    };
    const agencies = input.agencies ?? directory.propose({ category: input.category, ...(input.subcategory ? { subcategory: input.subcategory } : {}), peopleHurt: input.peopleHurt });
    for (const agencyId of agencies) directory.get(agencyId);
    const at = clock.now();
    repo.transaction(() => {
      this.ensureUnlinked(call.id);
      repo.insertIncident({ id, createdAt: at, createdBy: auditName(by) });
      this.append(id, { type: 'created', fields, agencies: [...new Set(agencies)] }, at, by);
      this.linkRow(id, call.id, How.first, at, by);
    });
    return this.get(id);
  }

  /** Links another call to the incident; the call's disposition becomes `duplicate`. */
  link(incidentId: string, callId: string, by: Principal, how: LinkHow = How.linked): IncidentRecord {
    this.get(incidentId);
    const call = this.callFor(callId, by);
    const at = this.deps.clock.now();
    // One transaction: a linked call is never left without its duplicate disposition.
    this.deps.repo.transaction(() => {
      this.ensureUnlinked(call.id);
      this.linkRow(incidentId, call.id, how, at, by);
      this.deps.dispose(call.id, 'duplicate', `reports incident ${incidentId}`, auditName(by));
    });
    return this.get(incidentId);
  }

  update(incidentId: string, change: UpdateIncident, by: Principal): IncidentRecord {
    const current = this.get(incidentId);
    const category = change.category ?? current.state.fields.category;
    const subcategory = change.subcategory !== undefined ? change.subcategory : change.category ? null : current.state.fields.subcategory;
    // Only what the change names is checked: an admin removing a subcategory must not freeze the incidents that have it.
    if (change.category !== undefined || change.subcategory !== undefined) this.deps.subcategories.check(category, subcategory);
    const { location, ...rest } = change;
    const firstCall = current.calls[0]?.callId;
    const resolved = location === undefined ? {} : { location: location === null ? null : this.resolveLocation(location, firstCall ? this.deps.calls.findById(firstCall) : undefined, by) };
    const changes = { ...rest, ...(change.category && change.subcategory === undefined ? { subcategory } : {}), ...resolved };
    this.append(incidentId, { type: 'updated', changes }, this.deps.clock.now(), by);
    return this.get(incidentId);
  }

  addAgency(incidentId: string, agencyId: string, by: Principal): IncidentRecord {
    const current = this.get(incidentId);
    this.deps.directory.get(agencyId);
    if (current.state.agencies.includes(agencyId)) throw new DomainError(409, 'agency-on-incident', `${agencyId} is already on incident ${incidentId}`);
    this.append(incidentId, { type: 'agency-added', agencyId }, this.deps.clock.now(), by);
    return this.get(incidentId);
  }

  removeAgency(incidentId: string, agencyId: string, by: Principal): IncidentRecord {
    const current = this.get(incidentId);
    if (!current.state.agencies.includes(agencyId)) throw new DomainError(404, 'agency-not-on-incident', `${agencyId} is not on incident ${incidentId}`);
    this.append(incidentId, { type: 'agency-removed', agencyId }, this.deps.clock.now(), by);
    return this.get(incidentId);
  }

  note(incidentId: string, text: string, by: Principal): IncidentRecord {
    this.get(incidentId);
    this.append(incidentId, { type: 'note', text }, this.deps.clock.now(), by);
    return this.get(incidentId);
  }

  /** Dispatches the agencies named, or else every agency of the incident not already on its way. */
  dispatch(incidentId: string, agencies: readonly string[] | undefined, by: Principal): { incident: IncidentRecord; created: DispatchRecord[] } {
    const current = this.get(incidentId);
    const busy = new Set(current.dispatches.filter((d) => !isFinalDispatchState(d.timeline.state)).map((d) => d.row.agencyId));
    const chosen = agencies ?? current.state.agencies.filter((id) => !busy.has(id));
    if (chosen.length === 0) throw new DomainError(409, 'nothing-to-dispatch', `every agency of incident ${incidentId} is already on its way; name agencies to send more`);
    // One transaction: the dispatches, their webhooks, and the incident listing who was sent.
    const created = this.deps.repo.transaction(() => {
      const records = this.deps.dispatches.request(briefOf(current), chosen, by);
      for (const agencyId of new Set(chosen)) if (!current.state.agencies.includes(agencyId)) this.append(incidentId, { type: 'agency-added', agencyId }, this.deps.clock.now(), by);
      return records;
    });
    return { incident: this.get(incidentId), created };
  }

  /** Marks a mass-call event on the incident (started by a surge decision, ended with its announcement). */
  massCall(incidentId: string, event: Extract<IncidentEvent, { type: 'mass-call-started' | 'mass-call-ended' }>, by: Principal): void {
    this.append(incidentId, event, this.deps.clock.now(), by);
  }

  get(incidentId: string): IncidentRecord {
    const { repo, dispatches } = this.deps;
    const row = repo.find(incidentId);
    const events = row ? repo.eventsOf(row.id).map((e) => ({ event: incidentEventSchema.parse(JSON.parse(e.detail)), at: e.at, by: e.by })) : [];
    const state = incidentStateOf(events);
    if (!row || !state) throw new DomainError(404, 'incident-not-found', `no incident ${incidentId}`);
    const calls = repo.callsOf(row.id).map((link) => ({ callId: link.callId, how: link.how as LinkHow, linkedAt: link.linkedAt, by: link.by }));
    return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, state, calls, dispatches: dispatches.forIncident(row.id), events };
  }

  recent(limit: number): IncidentRecord[] {
    return this.deps.repo.recent(limit).map((row) => this.get(row.id));
  }

  /** The incident a call reports, if any (the call's side of the link). */
  incidentOfCall(callId: string): { incidentId: string; how: LinkHow } | null {
    const link = this.deps.repo.linkOf(callId);
    return link ? { incidentId: link.incidentId, how: link.how as LinkHow } : null;
  }

  private callFor(callId: string, by: Principal): CallRow {
    const call = this.deps.calls.findById(callId);
    if (!call) throw new DomainError(404, 'call-not-found', `no call ${callId}`);
    ensureOwnCallIfOperator(by, call);
    return call;
  }

  private ensureUnlinked(callId: string): void {
    const link = this.deps.repo.linkOf(callId);
    if (link) throw new DomainError(409, 'call-already-linked', `call ${callId} already reports incident ${link.incidentId}`, { incidentId: link.incidentId });
  }

  private linkRow(incidentId: string, callId: string, how: LinkHow, at: number, by: Principal): void {
    this.deps.repo.link({ callId, incidentId, how, linkedAt: at, by: auditName(by) });
    this.append(incidentId, { type: 'call-linked', callId, how }, at, by);
  }

  private append(incidentId: string, event: IncidentEvent, at: number, by: Principal): void {
    this.deps.repo.appendEvent({ incidentId, type: event.type, at, by: auditName(by), detail: JSON.stringify(incidentEventSchema.parse(event)) });
  }

  /** The call's best location now, as the incident's starting point (null without one). */
  private bestOf(callId: string): IncidentLocation | null {
    const best = this.deps.locationOf(callId).best;
    return best ? locationOfFix(best.fix, null) : null;
  }

  private resolveLocation(input: LocationInput, call: CallRow | undefined, by: Principal): IncidentLocation {
    const description = input.description ?? null;
    if ('fixId' in input) {
      const fix = call ? this.deps.locationOf(call.id).fixes.find((f) => f.id === input.fixId) : undefined;
      if (!fix) throw new DomainError(400, 'unknown-fix', `fix ${input.fixId} is not one of the call's locations`);
      return locationOfFix(fix, description);
    }
    const point = 'latitude' in input ? input : null;
    return {
      latitude: point?.latitude ?? null, longitude: point?.longitude ?? null, accuracyM: point?.accuracyM ?? null, civic: input.civic ?? null, description,
      kecamatan: point ? this.deps.kecamatanAt(point.latitude, point.longitude) : null, provenance: { kind: 'entered', by: auditName(by) },
    };
  }
}

/** An incident's location taken from one of its call's fixes (what create() does with the call's best fix). */
export function locationOfFix(fix: CallLocation['fixes'][number], description: string | null): IncidentLocation {
  return {
    latitude: fix.latitude, longitude: fix.longitude, accuracyM: fix.accuracyM, civic: fix.civic, description, kecamatan: fix.kecamatan,
    provenance: { kind: 'call-fix', callId: fix.callId, fixId: fix.id, source: fix.source, method: fix.method },
  };
}

/** What the agencies are told. */
export function briefOf(incident: IncidentRecord): IncidentBrief {
  const { fields } = incident.state;
  return {
    incidentId: incident.id, category: fields.category, subcategory: fields.subcategory, description: fields.description, severity: fields.severity,
    peopleAffected: fields.peopleAffected, peopleHurt: fields.peopleHurt, location: fields.location, callbackNumber: fields.callbackNumber,
  };
}
