import { viewOfDispatch, withoutBrief } from '../dispatch/dispatch-service.js';
import type { IncidentView } from './incident-schemas.js';
import type { IncidentRecord } from './incident-service.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An incident as the API shows it. */
export function viewOfIncident(incident: IncidentRecord): IncidentView {
  const { state } = incident;
  return {
    id: incident.id, createdAt: iso(incident.createdAt), createdBy: incident.createdBy, ...state.fields, agencies: state.agencies,
    calls: incident.calls.map((call) => ({ ...call, linkedAt: iso(call.linkedAt) })),
    dispatches: incident.dispatches.map((record) => withoutBrief(viewOfDispatch(record))),
    notes: state.notes.map((note) => ({ ...note, at: iso(note.at) })),
    massCall: state.massCall, updatedAt: iso(state.updatedAt),
  };
}
