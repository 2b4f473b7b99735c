import { CALL_END, hasTag, localDay, localHour, type OffsetSegment, percentilesSql, type ReportStatement } from './report-sql.js';

/** How a report groups calls: one line for the range, per local day, per hour of day, per IVR category, per lane. */
export const SERVICE_LEVEL_GROUPINGS = ['total', 'day', 'hour', 'category', 'lane'] as const;
export type ServiceLevelGrouping = (typeof SERVICE_LEVEL_GROUPINGS)[number];

/**
 * Each call of the range once, with what the service level needs. Answer time runs from the
 * channel's arrival (arrived_at) to an operator answering (connected_at), never from siaga112's
 * own answer. Abandoned: the caller hung up before any operator answered, seen (caller-hangup)
 * or found after a restart (ended-while-down); a callback later does not change that. A call the dialplan fallback took before an operator answered has no
 * answer time siaga112 knows: it is counted apart, never as zero.
 */
function baseSql(key: string): string {
  return `base AS (
    SELECT ${key} AS key, c.enqueued_at IS NOT NULL AS reached_queue,
      CASE WHEN c.connected_at IS NOT NULL THEN c.connected_at - c.arrived_at END AS answer_ms,
      CASE WHEN c.connected_at IS NULL AND c.end_reason IN ('caller-hangup', 'ended-while-down') THEN ${CALL_END} - c.arrived_at END AS abandon_ms,
      c.connected_at IS NULL AND c.fallback_reason IS NOT NULL AS by_fallback,
      c.end_reason = 'ghost-policy' AS ghost_policy
    FROM calls c WHERE c.arrived_at >= @from AND c.arrived_at < @to)`;
}

const LANE = `CASE WHEN ${hasTag('ghost')} OR c.end_reason = 'ghost-policy' THEN 'ghost' WHEN ${hasTag('prank-lane')} THEN 'prank-lane' WHEN ${hasTag('silent-caller')} THEN 'silent-caller' ELSE 'normal' END`;

function keyOf(grouping: ServiceLevelGrouping, segments: readonly OffsetSegment[]): string {
  switch (grouping) {
    case 'total': return `'all'`;
    case 'day': return localDay('c.arrived_at', segments);
    case 'hour': return localHour('c.arrived_at', segments);
    case 'category': return `coalesce(c.category, 'unclassified')`;
    case 'lane': return LANE;
  }
}

/** One statement per grouping: counts, the 10/15/20 s thresholds, abandon splits and answer-time percentiles. */
export function serviceLevelStatements(range: { from: number; to: number }, segments: readonly OffsetSegment[]): ReportStatement[] {
  const params = { from: range.from, to: range.to };
  const sum = (condition: string) => `coalesce(sum(${condition}), 0)`;
  const groups = SERVICE_LEVEL_GROUPINGS.map((grouping) => ({
    name: grouping, params,
    sql: `WITH ${baseSql(keyOf(grouping, segments))},
      counts AS (
        SELECT key, count(*) AS calls, ${sum('reached_queue')} AS reached_queue, ${sum('answer_ms IS NOT NULL')} AS answered,
          ${sum('answer_ms <= 10000')} AS within_10s, ${sum('answer_ms <= 15000')} AS within_15s, ${sum('answer_ms <= 20000')} AS within_20s,
          ${sum('abandon_ms IS NOT NULL AND NOT reached_queue AND abandon_ms <= 10000')} AS abandoned_ivr_within_10s,
          ${sum('abandon_ms IS NOT NULL AND NOT reached_queue AND abandon_ms > 10000')} AS abandoned_ivr_after_10s,
          ${sum('abandon_ms IS NOT NULL AND reached_queue AND abandon_ms <= 10000')} AS abandoned_queue_within_10s,
          ${sum('abandon_ms IS NOT NULL AND reached_queue AND abandon_ms > 10000')} AS abandoned_queue_after_10s,
          ${sum('by_fallback')} AS by_fallback, ${sum('ghost_policy')} AS ended_by_ghost_policy
        FROM base GROUP BY key),
      pct AS (${percentilesSql('base', 'answer_ms')})
      SELECT counts.*, pct.median_ms, pct.p90_ms FROM counts LEFT JOIN pct ON pct.key = counts.key ORDER BY counts.key`,
  }));
  return [
    ...groups,
    {
      name: 'callbacks', params,
      // A callback's answer time is its own (callbacks.answered_at), from the abandoned call's end.
      sql: `WITH cb AS (SELECT 'all' AS key, b.answered_at - ${CALL_END} AS wait_ms, b.answered_at IS NOT NULL AS reached
              FROM callbacks b JOIN calls c ON c.id = b.call_id WHERE c.arrived_at >= @from AND c.arrived_at < @to)
        SELECT count(*) AS callbacks, coalesce(sum(reached), 0) AS reached,
          (SELECT median_ms FROM (${percentilesSql('cb', 'wait_ms')})) AS median_to_reach_ms FROM cb`,
    },
  ];
}
