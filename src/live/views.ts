import { type CallRow, tagsOf } from '../db/calls-repository.js';
import type { QueueStateView } from '../queue/queue-state.js';
import type { QueueState } from '../queue/schemas.js';
import { type LiveCall, liveCallSchema } from './live-events.js';

export { storedFixesOf } from '../location/fix-rows.js';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A call row as the stream shows it, parsed with its schema (a state the row should never hold fails here, not in a browser). */
export function liveCallOf(row: CallRow): LiveCall {
  return liveCallSchema.parse({
    id: row.id, state: row.state, callerNumber: row.callerNumber, dialledNumber: row.dialledNumber,
    category: row.category, priority: row.priority, language: row.language, tags: tagsOf(row), operatorId: row.operatorId,
    arrivedAt: new Date(row.arrivedAt).toISOString(), answeredAt: iso(row.answeredAt), connectedAt: iso(row.connectedAt),
    endedAt: iso(row.endedAt), endReason: row.endReason,
  });
}


/** The queue view as the HTTP API sends it (`at` as an ISO time), the same as `GET /api/queue`. */
export function queueStateOf(view: QueueStateView): QueueState {
  return { ...view, at: new Date(view.at).toISOString() };
}
