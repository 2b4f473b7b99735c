import { z } from 'zod';
import { SERVICE_LEVEL_GROUPINGS, serviceLevelStatements } from '../db/reports/service-level-queries.js';
import { ms, num, ratio, type ReportDefinition, type ReportRows } from './report-definition.js';
import { rangeJson } from './report-range.js';

const fraction = z.number().nullable();
/** One line of the service level: the range, a day, an hour of day, an IVR category or a lane. */
const slLine = z.object({
  key: z.string().describe('all; a day YYYY-MM-DD; an hour 00–23; an IVR category; a lane (normal, silent-caller, prank-lane, ghost)'),
  calls: z.number().int().describe('calls that arrived'),
  reachedQueue: z.number().int().describe('calls that reached the queue (abandoned ones included)'),
  answered: z.number().int().describe('calls an operator answered'),
  within10s: z.number().int(), within15s: z.number().int(), within20s: z.number().int(),
  sl10OfAnswered: fraction.describe('answered within 10 s of arrival, over calls answered (app_queue\'s SL)'),
  sl15OfAnswered: fraction, sl20OfAnswered: fraction,
  sl10OfReachedQueue: fraction.describe('answered within 10 s of arrival, over every call that reached the queue (app_queue\'s SL2)'),
  sl15OfReachedQueue: fraction, sl20OfReachedQueue: fraction,
  answerMedianMs: z.number().int().nullable().describe('arrival to operator answer, nearest rank'),
  answerP90Ms: z.number().int().nullable(),
  abandonedIvrWithin10s: z.number().int().describe('the caller hung up in the IVR at most 10 s after arrival'),
  abandonedIvrAfter10s: z.number().int(),
  abandonedQueueWithin10s: z.number().int().describe('the caller hung up waiting in the queue, at most 10 s after arrival'),
  abandonedQueueAfter10s: z.number().int(),
  abandonRate: fraction.describe('abandoned (IVR and queue) over calls that arrived'),
  byFallback: z.number().int().describe('taken by the dialplan fallback before any siaga112 operator answered: answer time unknown, not counted as answered'),
  endedByGhostPolicy: z.number().int(),
});
type SlLine = z.infer<typeof slLine>;

export const serviceLevelJson = z.object({
  range: rangeJson,
  measuredFrom: z.literal('arrival').describe('calls.arrived_at, the channel\'s creation; never siaga112\'s own answer'),
  total: slLine,
  byDay: z.array(slLine), byHour: z.array(slLine), byCategory: z.array(slLine), byLane: z.array(slLine),
  fallback: z.object({ calls: z.number().int(), note: z.string() }),
  callbacks: z.object({
    made: z.number().int(), reached: z.number().int(),
    medianToReachMs: z.number().int().nullable().describe('from the abandoned call\'s end to the citizen answering the callback'),
    note: z.string(),
  }),
  ran: z.object({ ms: z.number(), threadId: z.number().int() }),
});
type ServiceLevelJson = z.infer<typeof serviceLevelJson>;

function lineOf(row: Record<string, unknown>): SlLine {
  const n = (name: string) => num(row[name]);
  const answered = n('answered');
  const reached = n('reached_queue');
  const abandoned = n('abandoned_ivr_within_10s') + n('abandoned_ivr_after_10s') + n('abandoned_queue_within_10s') + n('abandoned_queue_after_10s');
  return {
    key: String(row.key), calls: n('calls'), reachedQueue: reached, answered,
    within10s: n('within_10s'), within15s: n('within_15s'), within20s: n('within_20s'),
    sl10OfAnswered: ratio(n('within_10s'), answered), sl15OfAnswered: ratio(n('within_15s'), answered), sl20OfAnswered: ratio(n('within_20s'), answered),
    sl10OfReachedQueue: ratio(n('within_10s'), reached), sl15OfReachedQueue: ratio(n('within_15s'), reached), sl20OfReachedQueue: ratio(n('within_20s'), reached),
    answerMedianMs: ms(row.median_ms), answerP90Ms: ms(row.p90_ms),
    abandonedIvrWithin10s: n('abandoned_ivr_within_10s'), abandonedIvrAfter10s: n('abandoned_ivr_after_10s'),
    abandonedQueueWithin10s: n('abandoned_queue_within_10s'), abandonedQueueAfter10s: n('abandoned_queue_after_10s'),
    abandonRate: ratio(abandoned, n('calls')), byFallback: n('by_fallback'), endedByGhostPolicy: n('ended_by_ghost_policy'),
  };
}

const EMPTY_TOTAL = { key: 'all', calls: 0 };
const FIELDS = Object.keys(slLine.shape) as Array<keyof SlLine>;

export const serviceLevelReport: ReportDefinition<typeof serviceLevelJson> = {
  path: '/reports/service-level',
  summary: 'Answer-time service level from arrival (10/15/20 s), answer-time percentiles and abandons, per day, hour, IVR category and lane',
  json: serviceLevelJson,
  statements: (range) => serviceLevelStatements(range, range.segments),
  build: (rows: ReportRows) => {
    const lines = (name: string) => (rows[name] ?? []).map(lineOf);
    const total = lines('total')[0] ?? lineOf(EMPTY_TOTAL);
    const callbacks = rows.callbacks?.[0] ?? {};
    return {
      measuredFrom: 'arrival' as const, total, byDay: lines('day'), byHour: lines('hour'), byCategory: lines('category'), byLane: lines('lane'),
      fallback: {
        calls: total.byFallback,
        note: 'calls Asterisk\'s dialplan fallback took before a siaga112 operator answered; when its queue answered them is not in siaga112\'s records (Asterisk\'s queue_log would say, to the whole second), so they are counted here and not as answered',
      },
      callbacks: {
        made: num(callbacks.callbacks), reached: num(callbacks.reached), medianToReachMs: ms(callbacks.median_to_reach_ms),
        note: 'a callback\'s answer time is its own; the abandoned call it returns stays abandoned and is never counted as answered',
      },
    };
  },
  csvColumns: [
    { name: 'grouping', meaning: SERVICE_LEVEL_GROUPINGS.join(', ') },
    ...FIELDS.map((field) => ({ name: field, meaning: slLine.shape[field].description ?? field })),
  ],
  csvRows: (report: ServiceLevelJson) => {
    const groups: Array<[string, SlLine[]]> = [['total', [report.total]], ['day', report.byDay], ['hour', report.byHour], ['category', report.byCategory], ['lane', report.byLane]];
    return groups.flatMap(([grouping, lines]) => lines.map((line) => ({ grouping, ...line })));
  },
};
