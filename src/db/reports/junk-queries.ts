import { CALL_END, CURRENT_DISPOSITION, hasTag, type ReportStatement } from './report-sql.js';

/** The range's calls with their current disposition, ghost mark and operator time. */
const BASE = `base AS (
  SELECT c.caller_number_key AS number, ${CURRENT_DISPOSITION} AS disposition,
    -- The IVR's ghost tag, or its ghost policy hanging up (a flow whose silence step ends the call never tags it).
    (${hasTag('ghost')} OR c.end_reason = 'ghost-policy') AS ghost_tag,
    CASE WHEN c.connected_at IS NOT NULL THEN max(0, ${CALL_END} - c.connected_at) END AS operator_ms
  FROM calls c WHERE c.arrived_at >= @from AND c.arrived_at < @to)`;

/**
 * Junk: calls per current disposition (none for calls nobody disposed), ghost calls counted
 * once (the IVR's tag or the disposition), the operator time prank and ghost calls took, and
 * the numbers that called most with what their calls were (a withheld or missing number,
 * normalised to "unknown", is no repeat caller: thousands of different people call without one).
 */
export function junkStatements(range: { from: number; to: number }, topNumbers: number): ReportStatement[] {
  const params = { from: range.from, to: range.to };
  const per = (disposition: string) => `coalesce(sum(disposition = '${disposition}'), 0) AS ${disposition}`;
  return [
    {
      name: 'dispositions', params,
      sql: `WITH ${BASE} SELECT coalesce(disposition, 'none') AS disposition, count(*) AS calls, coalesce(sum(operator_ms), 0) AS operator_ms
        FROM base GROUP BY 1 ORDER BY 1`,
    },
    {
      name: 'ghost', params,
      sql: `WITH ${BASE} SELECT count(*) AS calls, coalesce(sum(operator_ms), 0) AS operator_ms FROM base WHERE ghost_tag OR disposition = 'ghost'`,
    },
    {
      name: 'repeatNumbers', params: { ...params, limit: topNumbers },
      sql: `WITH ${BASE} SELECT number, count(*) AS calls, ${per('valid')}, ${per('info')}, ${per('prank')}, ${per('ghost')}, ${per('test')},
          ${per('duplicate')}, coalesce(sum(disposition IS NULL), 0) AS none
        FROM base WHERE number GLOB '*[0-9]*' GROUP BY number HAVING count(*) > 1 ORDER BY calls DESC, number LIMIT @limit`,
    },
  ];
}
