import { type CallRow, tagsOf } from '../db/calls-repository.js';
import type { FixRow } from '../db/location-repository.js';
import { storedFixOf } from '../location/fix-rows.js';
import type { StoredFix } from '../geo/stored-fix.js';
import type { Logger } from '../log.js';
import type { QueueStateView } from '../queue/queue-state.js';
import type { QueueState } from '../queue/schemas.js';
import { type LiveCall, liveCallSchema } from './live-events.js';

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

/**
 * A call's fix rows as clients see them, with the location capability's own converter. A row
 * that does not parse is logged and left out: one bad row must not keep a console from opening.
 */
export function storedFixesOf(rows: readonly FixRow[], log: Logger): StoredFix[] {
  return rows.flatMap((row) => {
    try {
      return [storedFixOf(row)];
    } catch (error) {
      log.error({ fixId: row.id, callId: row.callId, err: String(error) }, 'a stored fix does not parse; left out of the live snapshot');
      return [];
    }
  });
}

/** The queue view as the HTTP API sends it (`at` as an ISO time), the same as `GET /api/queue`. */
export function queueStateOf(view: QueueStateView): QueueState {
  return { ...view, at: new Date(view.at).toISOString() };
}
