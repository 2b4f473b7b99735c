import { CURRENT_DISPOSITION, localMonth, type OffsetSegment, type ReportStatement } from './report-sql.js';

/** An incident's category now: the latest `created` or `updated` event that set one. */
const INCIDENT_CATEGORY = `(SELECT coalesce(json_extract(e.detail, '$.changes.category'), json_extract(e.detail, '$.fields.category'))
  FROM incident_events e
  WHERE e.incident_id = i.id AND e.type IN ('created', 'updated')
    AND coalesce(json_extract(e.detail, '$.changes.category'), json_extract(e.detail, '$.fields.category')) IS NOT NULL
  ORDER BY e.id DESC LIMIT 1)`;

/**
 * The seed's table: incidents per category and local month (by when the incident was created),
 * and valid calls (current disposition `valid`) per IVR category and local month of arrival.
 */
export function categoryStatements(range: { from: number; to: number }, segments: readonly OffsetSegment[]): ReportStatement[] {
  const params = { from: range.from, to: range.to };
  return [
    {
      name: 'incidents', params,
      sql: `SELECT ${localMonth('i.created_at', segments)} AS month, ${INCIDENT_CATEGORY} AS category, count(*) AS count
        FROM incidents i WHERE i.created_at >= @from AND i.created_at < @to
        GROUP BY month, category ORDER BY month, category`,
    },
    {
      name: 'validCalls', params,
      sql: `SELECT ${localMonth('c.arrived_at', segments)} AS month, coalesce(c.category, 'unclassified') AS category, count(*) AS count
        FROM calls c WHERE c.arrived_at >= @from AND c.arrived_at < @to AND ${CURRENT_DISPOSITION} = 'valid'
        GROUP BY month, category ORDER BY month, category`,
    },
  ];
}
