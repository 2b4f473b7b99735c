import { z } from 'zod';
import { agencyIdSchema } from '../dispatch/agency-routing.js';
import { dispatchView } from '../dispatch/dispatch-schemas.js';
import { viewOfDispatch, withoutBrief } from '../dispatch/dispatch-service.js';
import { incidentLocationSchema } from '../dispatch/incident-brief.js';
import { storedFixSchema, type StoredFix } from '../geo/stored-fix.js';
import type { CallRow } from '../db/calls-repository.js';
import { incidentView, linkHowSchema } from './incident-schemas.js';
import type { IncidentRecord } from './incident-service.js';

const iso = z.string().describe('ISO 8601');
const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * An incident as one self-contained document, shaped after NENA's Emergency Incident Data Object
 * (EIDO, NENA-STA-021): the incident, the calls that reported it with their numbers and times,
 * every location with where it came from, the dispatches with their timelines, the notes, the
 * people who handled it, and the full change history. What another centre or an agency's system
 * needs to take the incident over without asking siaga112 anything else.
 */
export const incidentExportSchema = z.object({
  $schema: z.literal('siaga112/eido-style/1'),
  model: z.literal('NENA EIDO (NENA-STA-021), simplified'),
  generatedAt: iso,
  incident: incidentView.pick({
    id: true, createdAt: true, createdBy: true, category: true, subcategory: true, description: true, severity: true,
    peopleAffected: true, peopleHurt: true, callbackNumber: true, agencies: true, massCall: true, updatedAt: true,
  }).extend({ location: incidentLocationSchema.nullable(), kecamatan: z.string().nullable() }),
  calls: z.array(z.object({
    id: z.string(), callerNumber: z.string(), callerName: z.string(), dialledNumber: z.string(),
    arrivedAt: iso, answeredAt: iso.nullable(), connectedAt: iso.nullable(), endedAt: iso.nullable(),
    state: z.string(), endReason: z.string().nullable(), language: z.string().nullable(), ivrCategory: z.string().nullable(),
    operatorId: z.string().nullable(), disposition: z.string().nullable(),
    link: z.object({ how: linkHowSchema, linkedAt: iso, by: z.string() }),
    locations: z.array(storedFixSchema.describe('every fix of the call, with source, method, accuracy and times')),
  })),
  dispatches: z.array(dispatchView.omit({ incident: true }).extend({ agency: z.object({ id: agencyIdSchema, name: z.string() }) })),
  notes: z.array(z.object({ text: z.string(), at: iso, by: z.string() })),
  people: z.array(z.object({ principal: z.string(), roles: z.array(z.string()) })),
  history: z.array(z.object({ at: iso, by: z.string(), type: z.string(), detail: z.record(z.string(), z.unknown()) })),
});
export type IncidentExport = z.infer<typeof incidentExportSchema>;

export interface ExportInput {
  incident: IncidentRecord;
  calls: ReadonlyMap<string, CallRow>;
  fixesOf: (callId: string) => StoredFix[];
  dispositionOf: (callId: string) => string | null;
  agencyName: (agencyId: string) => string;
  now: number;
}

/** Builds the export of one incident; pure over what it is given. */
export function buildIncidentExport(input: ExportInput): IncidentExport {
  const { incident, calls } = input;
  const { fields } = incident.state;
  const people = new Map<string, Set<string>>();
  const role = (principal: string, name: string) => people.set(principal, (people.get(principal) ?? new Set()).add(name));
  role(incident.createdBy, 'created the incident');
  const exportedCalls = incident.calls.flatMap((link) => {
    const call = calls.get(link.callId);
    if (!call) return [];
    if (call.operatorId) role(`operator:${call.operatorId}`, 'answered a call');
    if (link.how !== 'first') role(link.by, 'linked a call');
    return [{
      id: call.id, callerNumber: call.callerNumber, callerName: call.callerName, dialledNumber: call.dialledNumber,
      arrivedAt: new Date(call.arrivedAt).toISOString(), answeredAt: isoOf(call.answeredAt), connectedAt: isoOf(call.connectedAt), endedAt: isoOf(call.endedAt),
      state: call.state, endReason: call.endReason, language: call.language, ivrCategory: call.category, operatorId: call.operatorId,
      disposition: input.dispositionOf(call.id), link: { how: link.how, linkedAt: new Date(link.linkedAt).toISOString(), by: link.by },
      locations: input.fixesOf(call.id),
    }];
  });
  const dispatches = incident.dispatches.map((record) => {
    const dispatch = withoutBrief(viewOfDispatch(record));
    role(dispatch.requestedBy, 'dispatched an agency');
    for (const step of dispatch.steps.slice(1)) role(step.by, `reported ${step.type}`);
    return { ...dispatch, agency: { id: dispatch.agencyId, name: input.agencyName(dispatch.agencyId) } };
  });
  for (const note of incident.state.notes) role(note.by, 'wrote a note');
  return incidentExportSchema.parse({
    $schema: 'siaga112/eido-style/1', model: 'NENA EIDO (NENA-STA-021), simplified', generatedAt: new Date(input.now).toISOString(),
    incident: {
      id: incident.id, createdAt: new Date(incident.createdAt).toISOString(), createdBy: incident.createdBy, ...fields, kecamatan: fields.location?.kecamatan ?? null,
      agencies: incident.state.agencies, massCall: incident.state.massCall, updatedAt: new Date(incident.state.updatedAt).toISOString(),
    },
    calls: exportedCalls,
    dispatches,
    notes: incident.state.notes.map((note) => ({ ...note, at: new Date(note.at).toISOString() })),
    people: [...people].map(([principal, roles]) => ({ principal, roles: [...roles] })),
    history: incident.events.map(({ event, at, by }) => {
      const { type, ...detail } = event;
      return { at: new Date(at).toISOString(), by, type, detail };
    }),
  });
}
