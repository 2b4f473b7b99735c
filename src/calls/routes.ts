import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../auth/auth-hook.js';
import { ensureOwnCallIfOperator } from '../auth/call-ownership.js';
import { PrincipalKind } from '../auth/principal.js';
import type { CallLocation } from '../geo/best-location.js';
import { type CallEventRow, type CallRow, type CallsRepository, detailOf, tagsOf } from '../db/calls-repository.js';
import { DomainError } from '../http/errors.js';
import type { DispositionRow } from '../db/dispositions-repository.js';
import { callOutcome } from './call-outcome.js';
import { callDetail, callIdParams, callList, callListQuery, type CallSummary } from './schemas.js';
import { errorBody } from '../http/errors.js';

/**
 * Call records: the list (paged, filtered by arrival time and dialled number) for API clients, and
 * one call with its events and location (from the location capability, through `locationOf`),
 * which supervisors and the operator who handled it may also read.
 */
export interface CallReaders {
  locationOf: (callId: string) => CallLocation;
  /** The incident the call reports (the incidents capability's side of the link). */
  incidentOf: (callId: string) => { incidentId: string; how: 'first' | 'linked' | 'surge' } | null;
  dispositionsOf: (callId: string) => DispositionRow[];
}

export const callRoutes = (calls: CallsRepository, readers: CallReaders): FastifyPluginAsyncZod => async (app) => {
  app.get('/calls', {
    config: { allow: [PrincipalKind.api] },
    schema: {
      summary: 'List calls, newest first',
      security: [{ bearer: [] }],
      querystring: callListQuery,
      response: { 200: callList, 400: errorBody, 401: errorBody, 403: errorBody },
    },
  }, async (request) => {
    const { from, to, dialled, limit, offset } = request.query;
    const page = calls.list({
      from: from ? Date.parse(from) : undefined,
      to: to ? Date.parse(to) : undefined,
      dialledNumber: dialled,
      limit,
      offset,
    });
    return { total: page.total, limit, offset, items: page.items.map(toSummary) };
  });

  app.get('/calls/:id', {
    config: { allow: [PrincipalKind.api, PrincipalKind.operator, PrincipalKind.supervisor] },
    schema: {
      summary: 'One call with its event trail and where the caller is',
      security: [{ bearer: [] }],
      params: callIdParams,
      response: { 200: callDetail, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (request) => {
    const call = calls.findById(request.params.id);
    if (!call) throw new DomainError(404, 'call-not-found', `no call ${request.params.id}`);
    ensureOwnCallIfOperator(principalOf(request), call);
    const events = calls.events(call.id);
    const outcome = callOutcome({ state: call.state, tags: call.tags, events, dispositions: readers.dispositionsOf(call.id) });
    return { ...toSummary(call), events: events.map(toEvent), location: readers.locationOf(call.id), outcome, incident: readers.incidentOf(call.id) };
  });
};

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function toSummary(row: CallRow): CallSummary {
  return {
    id: row.id,
    channelId: row.channelId,
    callerNumber: row.callerNumber,
    callerName: row.callerName,
    dialledNumber: row.dialledNumber,
    state: row.state,
    endReason: row.endReason,
    fallbackReason: row.fallbackReason,
    arrivedAt: new Date(row.arrivedAt).toISOString(),
    answeredAt: iso(row.answeredAt),
    enqueuedAt: iso(row.enqueuedAt),
    endedAt: iso(row.endedAt),
    category: row.category,
    priority: row.priority,
    language: row.language,
    tags: tagsOf(row),
    ivrVersion: row.ivrVersion,
    connectedAt: iso(row.connectedAt),
    operatorId: row.operatorId,
    queueWaitMs: row.queueWaitMs,
    recording: row.recordingDeletedAt === null ? row.recordingName : null,
  };
}

function toEvent(row: CallEventRow) {
  return { at: new Date(row.at).toISOString(), type: row.type, detail: detailOf(row) };
}
