import { CALL_END, percentilesSql, type ReportStatement } from './report-sql.js';

/**
 * Per operator: calls answered in the range (by arrival) with their handle time (operator
 * answer to the call's end), no-answer auto-pauses, and time in each state from
 * operator_events, each state's span clipped to the range (a span still open ends at `now`).
 */
export function operatorStatements(range: { from: number; to: number }, now: number): ReportStatement[] {
  const params = { from: range.from, to: range.to };
  return [
    {
      name: 'calls', params,
      sql: `WITH handled AS (SELECT c.operator_id AS key, max(0, ${CALL_END} - c.connected_at) AS handle_ms
              FROM calls c WHERE c.arrived_at >= @from AND c.arrived_at < @to AND c.connected_at IS NOT NULL AND c.operator_id IS NOT NULL
                -- The overflow centre answers as operator_id 'overflow': another centre, not one of ours.
                AND c.operator_id <> 'overflow'),
            pct AS (${percentilesSql('handled', 'handle_ms')})
        SELECT h.key AS operator_id, count(*) AS answered, avg(h.handle_ms) AS handle_avg_ms, pct.p90_ms AS handle_p90_ms
        FROM handled h LEFT JOIN pct ON pct.key = h.key GROUP BY h.key ORDER BY h.key`,
    },
    {
      name: 'states', params: { ...params, now: Math.min(now, range.to) },
      sql: `WITH spans AS (SELECT operator_id, to_state, at, lead(at) OVER (PARTITION BY operator_id ORDER BY id) AS next_at FROM operator_events WHERE at < @to)
        SELECT operator_id, to_state AS state, sum(min(coalesce(next_at, @now), @to) - max(at, @from)) AS ms
        FROM spans WHERE coalesce(next_at, @now) > @from AND at < @now GROUP BY operator_id, to_state ORDER BY operator_id, to_state`,
    },
    {
      name: 'noAnswer', params,
      sql: `SELECT operator_id, count(*) AS pauses FROM operator_events WHERE "trigger" = 'no-answer' AND at >= @from AND at < @to GROUP BY operator_id ORDER BY operator_id`,
    },
  ];
}
