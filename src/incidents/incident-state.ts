import type { IncidentEvent, StoredIncidentFields } from './incident-schemas.js';

export interface TimedIncidentEvent {
  event: IncidentEvent;
  at: number;
  by: string;
}

/** An incident as its events make it now. */
export interface IncidentState {
  fields: StoredIncidentFields;
  agencies: string[];
  notes: Array<{ text: string; at: number; by: string }>;
  massCall: { eventTag: string; active: boolean } | null;
  updatedAt: number;
}

/**
 * The current view of an incident, folded from its append-only events (oldest first). Pure, so
 * the view and the export agree, and any past moment can be rebuilt by folding a prefix. Null
 * without a `created` event first (a log that does not start with one is not an incident).
 */
export function incidentStateOf(events: readonly TimedIncidentEvent[]): IncidentState | null {
  const [first, ...rest] = events;
  if (first?.event.type !== 'created') return null;
  const state: IncidentState = { fields: { ...first.event.fields }, agencies: [...first.event.agencies], notes: [], massCall: null, updatedAt: first.at };
  for (const { event, at, by } of rest) {
    state.updatedAt = at;
    switch (event.type) {
      case 'updated':
        state.fields = { ...state.fields, ...event.changes };
        break;
      case 'agency-added':
        if (!state.agencies.includes(event.agencyId)) state.agencies.push(event.agencyId);
        break;
      case 'agency-removed':
        state.agencies = state.agencies.filter((id) => id !== event.agencyId);
        break;
      case 'note':
        state.notes.push({ text: event.text, at, by });
        break;
      case 'mass-call-started':
        state.massCall = { eventTag: event.eventTag, active: true };
        break;
      case 'mass-call-ended':
        if (state.massCall?.eventTag === event.eventTag) state.massCall = { ...state.massCall, active: false };
        break;
      case 'call-linked':
      case 'created':
        // Links are read from their own table (one row per call); a second `created` cannot be written.
        break;
    }
  }
  return state;
}
