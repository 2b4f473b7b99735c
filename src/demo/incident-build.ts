import type { DispatchEventRow, DispatchRow } from '../db/dispatch-repository.js';
import type { IncidentCallRow, IncidentEventRow, IncidentRow } from '../db/incidents-repository.js';
import { AgencyIds, type AgencyId, type RoutingRequest } from '../dispatch/agency-routing.js';
import type { IncidentLocation, Severity } from '../dispatch/incident-brief.js';
import { type IncidentEvent, incidentEventSchema, LinkHow } from '../incidents/incident-schemas.js';
import { briefOf } from '../incidents/incident-service.js';
import { incidentStateOf } from '../incidents/incident-state.js';
import type { Category } from '../ivr/flow-schema.js';
import { describe, INCIDENT_NOTES } from './descriptions.js';
import { dispatchSteps } from './dispatch-steps.js';
import { logNormalBetween } from './distributions.js';
import type { Place } from './places.js';
import type { Random } from './random.js';

/** An incident of the demo with everything written about it, events oldest first once finished. */
export interface DemoIncident {
  row: IncidentRow;
  category: Category;
  events: Array<Omit<IncidentEventRow, 'id'>>;
  links: IncidentCallRow[];
  dispatches: DispatchRow[];
  steps: Array<Omit<DispatchEventRow, 'id'>>;
}

const SEVERITY: Record<Category, ReadonlyArray<readonly [Severity, number]>> = {
  traffic: [['minor', 30], ['moderate', 45], ['serious', 20], ['critical', 5]],
  fire: [['minor', 25], ['moderate', 45], ['serious', 22], ['critical', 8]],
  medical: [['minor', 5], ['moderate', 40], ['serious', 40], ['critical', 15]],
  disaster: [['minor', 30], ['moderate', 50], ['serious', 17], ['critical', 3]],
  crime: [['minor', 35], ['moderate', 45], ['serious', 17], ['critical', 3]],
  other: [['minor', 60], ['moderate', 35], ['serious', 5]],
};
const PEOPLE_HURT: Record<Category, number> = { traffic: 0.6, fire: 0.12, medical: 0.75, disaster: 0.08, crime: 0.3, other: 0.05 };
/** How common each shipped subcategory is within its category (others an admin adds: 1). */
const SUBCATEGORY_WEIGHT: Record<string, number> = {
  collision: 40, motorcycle: 45, 'pedestrian-hit': 15, 'house-fire': 50, 'market-fire': 8, 'vehicle-fire': 12, 'land-fire': 30,
  unconscious: 45, breathing: 25, injury: 22, childbirth: 8, flood: 55, 'fallen-tree': 38, 'small-landslide': 7,
  theft: 50, assault: 25, brawl: 25, 'wild-animal': 55, 'fallen-cable': 45,
};

function peopleAffected(rng: Random, category: Category, subcategory: string | null): number {
  switch (category) {
    case 'traffic': return rng.intBetween(1, 3);
    case 'fire': return rng.intBetween(2, 15);
    case 'medical': return 1;
    case 'disaster': return subcategory === 'flood' ? Math.round(logNormalBetween(rng, 60, 0.9, 5, 2000)) : rng.intBetween(1, 12);
    case 'crime': return rng.intBetween(1, 2);
    case 'other': return rng.intBetween(0, 1);
  }
}

export interface NewIncident {
  id: string;
  callId: string;
  callerNumber: string;
  operatorId: string;
  category: Category;
  createdAt: number;
  place: Place;
  location: IncidentLocation | null;
  /** The period's end: later dispatch steps have not happened. */
  until: number;
  /** Who records news at a moment (the operator on shift). */
  recorderAt: (at: number) => string;
}

/**
 * An incident as IncidentService.create writes it (its `created` event with the fields and the
 * agencies the routing table proposes, the first call linked), dispatched like
 * IncidentService.dispatch (every proposed agency, each with its brief), and what follows: the
 * agencies' steps, now and then an update or a note.
 */
export function buildIncident(rng: Random, input: NewIncident, propose: (request: RoutingRequest) => AgencyId[], subcategoriesOf: (category: Category) => string[]): DemoIncident {
  const by = `operator:${input.operatorId}`;
  const known = subcategoriesOf(input.category);
  const subcategory = known.length > 0 && !rng.chance(0.08) ? rng.weighted(known.map((s) => [s, SUBCATEGORY_WEIGHT[s] ?? 1] as const)) : null;
  const peopleHurt = rng.chance(PEOPLE_HURT[input.category]);
  const fields = {
    category: input.category, subcategory, description: describe(rng, input.category, subcategory, input.place),
    severity: rng.weighted(SEVERITY[input.category]), peopleAffected: peopleAffected(rng, input.category, subcategory), peopleHurt,
    callbackNumber: input.callerNumber.replace(/[^0-9+]/g, ''), location: input.location,
  };
  const agencies = propose({ category: input.category, ...(subcategory ? { subcategory } : {}), peopleHurt });
  const incident: DemoIncident = { row: { id: input.id, createdAt: input.createdAt, createdBy: by }, category: input.category, events: [], links: [], dispatches: [], steps: [] };
  const append = (event: IncidentEvent, at: number, who: string) => {
    incident.events.push({ incidentId: input.id, type: event.type, at: Math.round(at), by: who, detail: JSON.stringify(incidentEventSchema.parse(event)) });
  };
  append({ type: 'created', fields, agencies: [...new Set(agencies)] }, input.createdAt, by);
  linkCall(incident, input.callId, LinkHow.first, input.createdAt, by);
  const dispatchAt = input.createdAt + logNormalBetween(rng, 25_000, 0.6, 5000, 300_000);
  dispatch(rng, incident, agencies, dispatchAt, by, input);

  // Later news from the scene: a worse situation than the caller knew, or a note from the radio.
  if (rng.chance(0.1)) {
    const at = input.createdAt + logNormalBetween(rng, 20 * 60_000, 0.7, 3 * 60_000, 4 * 3_600_000);
    if (at <= input.until) {
      const who = input.recorderAt(at);
      const hurtNow = !peopleHurt && rng.chance(0.5);
      append({ type: 'updated', changes: hurtNow ? { peopleHurt: true } : { severity: rng.pick(['serious', 'critical'] as const) } }, at, who);
      if (hurtNow && !agencies.includes(AgencyIds.dinkes)) {
        append({ type: 'agency-added', agencyId: AgencyIds.dinkes }, at + 15_000, who);
        dispatch(rng, incident, [AgencyIds.dinkes], at + rng.between(30_000, 120_000), who, input);
      }
    }
  }
  if (rng.chance(0.12)) {
    const at = input.createdAt + logNormalBetween(rng, 35 * 60_000, 0.6, 5 * 60_000, 6 * 3_600_000);
    if (at <= input.until) append({ type: 'note', text: rng.pick(INCIDENT_NOTES[input.category]) }, at, input.recorderAt(at));
  }
  return incident;
}

/** Another call reports the incident (IncidentService.link: the link and its event; the disposition is the caller's). */
export function linkCall(incident: DemoIncident, callId: string, how: LinkHow, at: number, by: string): void {
  const linkedAt = Math.round(at);
  incident.links.push({ callId, incidentId: incident.row.id, how, linkedAt, by });
  incident.events.push({
    incidentId: incident.row.id, type: 'call-linked', at: linkedAt, by, detail: JSON.stringify(incidentEventSchema.parse({ type: 'call-linked', callId, how })),
  });
}

/** Sends agencies with the brief the incident's events make now (DispatchService.request without webhooks). */
function dispatch(rng: Random, incident: DemoIncident, agencyIds: readonly string[], at: number, by: string, input: NewIncident): void {
  if (at > input.until) return;
  const timed = incident.events.filter((e) => e.at <= at).map((e) => ({ event: incidentEventSchema.parse(JSON.parse(e.detail)), at: e.at, by: e.by }));
  const state = incidentStateOf(timed);
  if (!state) return;
  const brief = briefOf({ id: incident.row.id, createdAt: incident.row.createdAt, createdBy: incident.row.createdBy, state, calls: [], dispatches: [], events: [] });
  for (const agencyId of agencyIds) {
    const id = rng.uuid();
    const requestedAt = Math.round(at);
    incident.dispatches.push({ id, incidentId: incident.row.id, agencyId, requestedAt, requestedBy: by, brief: JSON.stringify(brief) });
    incident.steps.push(...dispatchSteps(rng, { dispatchId: id, agencyId, category: incident.category, requestedAt, until: input.until, by: input.recorderAt }));
  }
}

/** The incident's events in the order they happened (links of other calls come in later). */
export function orderedEvents(incident: DemoIncident): Array<Omit<IncidentEventRow, 'id'>> {
  return incident.events.map((event, order) => ({ event, order })).sort((a, b) => a.event.at - b.event.at || a.order - b.order).map(({ event }) => event);
}
