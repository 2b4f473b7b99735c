import { randomUUID } from 'node:crypto';
import { auditName, type Principal, PrincipalKind } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { DispatchEventRow, DispatchRepository, DispatchRow } from '../db/dispatch-repository.js';
import { DomainError } from '../errors.js';
import type { AgencyDirectory } from './agency-directory.js';
import { applyDispatchEvent, type DispatchEvent, dispatchEventSchema, type DispatchTimeline, isFinalDispatchState, timelineOf } from './dispatch-lifecycle.js';
import { type DispatchView, timelineJson, type WebhookBody } from './dispatch-schemas.js';
import { type IncidentBrief, incidentBriefSchema } from './incident-brief.js';
import { idempotencyKey } from './webhook-signature.js';

/** A dispatch as the service holds it: its row, its steps in order, and its timeline derived from them. */
export interface DispatchRecord {
  row: DispatchRow;
  steps: DispatchEventRow[];
  timeline: DispatchTimeline;
}

const WEBHOOK_TYPE: Record<string, string> = {
  requested: 'dispatch.requested', acknowledged: 'dispatch.acknowledged', 'en-route': 'dispatch.en-route',
  'on-scene': 'dispatch.on-scene', resolved: 'dispatch.resolved', cancelled: 'dispatch.cancelled',
};

/**
 * Dispatches: an agency sent to an incident and every step after, each change committed together
 * with the webhook that tells the agency of it (the outbox), so no change goes unannounced and no
 * webhook tells of a change that did not happen. The outbox worker is kicked after each commit.
 */
export class DispatchService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly directory: AgencyDirectory,
    private readonly clock: Clock,
    private readonly committed: () => void,
  ) {}

  /**
   * Sends each agency to the incident. Refused whole (nothing written) when an agency is unknown
   * or is already on its way to this incident: sending Damkar twice to one fire is a mistake the
   * operator should see, not a second crew.
   */
  request(brief: IncidentBrief, agencyIds: readonly string[], by: Principal): DispatchRecord[] {
    // Named twice in one request is one crew, not two.
    const agencies = [...new Set(agencyIds)].map((id) => {
      try {
        return this.directory.get(id);
      } catch (error) {
        if (!(error instanceof DomainError) || error.status !== 404) throw error;
        throw new DomainError(400, 'unknown-agency', `unknown agency ${id}; known: ${this.directory.list().map((a) => a.id).join(', ')}`);
      }
    });
    const at = this.clock.now();
    const created = this.repo.transaction(() => {
      const open = new Set(this.forIncident(brief.incidentId).filter((d) => !isFinalDispatchState(d.timeline.state)).map((d) => d.row.agencyId));
      const again = agencies.filter((agency) => open.has(agency.id)).map((agency) => agency.id);
      if (again.length > 0) throw new DomainError(409, 'already-dispatched', `already dispatched and not finished: ${again.join(', ')}`);
      return agencies.map((agency) => {
        const row: DispatchRow = {
          id: randomUUID(), incidentId: brief.incidentId, agencyId: agency.id, requestedAt: at, requestedBy: auditName(by), brief: JSON.stringify(brief),
        };
        this.repo.insertDispatch(row);
        const record: DispatchRecord = { row, steps: [], timeline: timelineOf([], at) };
        this.enqueueWebhook(record, 0, at);
        return record;
      });
    });
    this.committed();
    return created;
  }

  /**
   * One step reported by the operator or the agency. An agency may change only its own
   * dispatches (any other is "not found": it learns nothing of others); a step the lifecycle
   * refuses is a 409 carrying the current state, so the sender can catch up.
   */
  change(dispatchId: string, event: DispatchEvent, by: Principal): DispatchRecord {
    const changed = this.repo.transaction(() => {
      const record = this.get(dispatchId, by);
      const at = this.clock.now();
      const applied = applyDispatchEvent(record.timeline, event, at);
      if (!applied.ok) {
        throw new DomainError(409, applied.reason, `dispatch ${dispatchId} is ${applied.current}; ${event.type} does not move it forward`, { current: applied.current });
      }
      const step: Omit<DispatchEventRow, 'id'> = { dispatchId, seq: record.steps.length + 1, event: JSON.stringify(event), at, by: auditName(by) };
      this.repo.appendEvent(step);
      const next: DispatchRecord = { row: record.row, steps: [...record.steps, { id: 0, ...step }], timeline: applied.timeline };
      this.enqueueWebhook(next, step.seq, at);
      return next;
    });
    this.committed();
    return changed;
  }

  /** A dispatch, for a principal allowed to see it (an agency sees only its own). */
  get(dispatchId: string, by: Principal): DispatchRecord {
    const row = this.repo.find(dispatchId);
    if (!row || (by.kind === PrincipalKind.agency && row.agencyId !== by.id)) throw new DomainError(404, 'dispatch-not-found', `no dispatch ${dispatchId}`);
    return this.recordOf(row, this.repo.eventsOf(row.id));
  }

  /** The newest dispatches a principal may see (an agency: its own). */
  recent(by: Principal, limit: number): DispatchRecord[] {
    const rows = this.repo.recent(limit, by.kind === PrincipalKind.agency ? by.id : undefined);
    const steps = this.repo.eventsOfMany(rows.map((row) => row.id));
    return rows.map((row) => this.recordOf(row, steps.filter((step) => step.dispatchId === row.id)));
  }

  forIncident(incidentId: string): DispatchRecord[] {
    const rows = this.repo.forIncident(incidentId);
    const steps = this.repo.eventsOfMany(rows.map((row) => row.id));
    return rows.map((row) => this.recordOf(row, steps.filter((step) => step.dispatchId === row.id)));
  }

  private recordOf(row: DispatchRow, steps: DispatchEventRow[]): DispatchRecord {
    const timed = steps.map((step) => ({ event: dispatchEventSchema.parse(JSON.parse(step.event)), at: step.at }));
    return { row, steps, timeline: timelineOf(timed, row.requestedAt) };
  }

  /** The webhook for the step `seq` of a dispatch, when its agency has a webhook (inside the change's transaction). */
  private enqueueWebhook(record: DispatchRecord, seq: number, at: number): void {
    const agency = this.directory.get(record.row.agencyId);
    if (!agency.webhookUrl) return;
    const key = idempotencyKey(record.row.id, seq);
    const dispatch = withoutBrief(viewOfDispatch(record));
    const incident = incidentBriefSchema.parse(JSON.parse(record.row.brief));
    const body: WebhookBody = { id: key, type: WEBHOOK_TYPE[record.timeline.state] ?? `dispatch.${record.timeline.state}`, occurredAt: new Date(at).toISOString(), dispatch, incident };
    this.repo.enqueue({ agencyId: agency.id, idempotencyKey: key, body: JSON.stringify(body), createdAt: at, nextAttemptAt: at });
  }
}

/** A dispatch as the API and the webhooks show it. */
export function viewOfDispatch(record: DispatchRecord): DispatchView {
  const { row } = record;
  return {
    id: row.id, incidentId: row.incidentId, agencyId: row.agencyId, requestedBy: row.requestedBy, timeline: timelineJson(record.timeline),
    steps: [
      { seq: 0, type: 'request', at: new Date(row.requestedAt).toISOString(), by: row.requestedBy },
      ...record.steps.map((step) => {
        const event = dispatchEventSchema.parse(JSON.parse(step.event));
        return { seq: step.seq, type: event.type, ...(event.type === 'cancel' ? { reason: event.reason } : {}), at: new Date(step.at).toISOString(), by: step.by };
      }),
    ],
    incident: incidentBriefSchema.parse(JSON.parse(row.brief)),
  };
}

/** A dispatch without the incident it was told of (inside an incident's own view, it is the incident). */
export function withoutBrief(view: DispatchView): Omit<DispatchView, 'incident'> {
  const { incident, ...dispatch } = view;
  void incident;
  return dispatch;
}
