/**
 * What the report queries share. Reports are plain SQL over the records (never counters kept on
 * the side), run on a read-only connection in a worker thread (src/reports/report-worker.ts):
 * each query is a statement with named parameters, and its rows come back as plain objects.
 */
export interface ReportStatement {
  name: string;
  sql: string;
  params: Record<string, number | string>;
}

export type { OffsetSegment } from '../../time-zone.js';
import type { OffsetSegment } from '../../time-zone.js';

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return String(value);
}

/**
 * A column's local time in ms: the column plus the offset of the segment it falls in. The
 * offsets are computed numbers, inlined as integers (nothing from a request reaches this text).
 */
export function localMs(column: string, segments: readonly OffsetSegment[]): string {
  const [first, ...rest] = segments;
  if (!first) throw new RangeError('no offset segments');
  if (rest.length === 0) return `(${column} + ${integer(first.offsetMs)})`;
  const cases = rest.map((segment, i) => `WHEN ${column} < ${integer(segment.from)} THEN ${integer(segments[i]!.offsetMs)}`).join(' ');
  return `(${column} + CASE ${cases} ELSE ${integer(rest.at(-1)!.offsetMs)} END)`;
}

export const localMonth = (column: string, segments: readonly OffsetSegment[]) => `strftime('%Y-%m', ${localMs(column, segments)} / 1000, 'unixepoch')`;
export const localDay = (column: string, segments: readonly OffsetSegment[]) => `strftime('%Y-%m-%d', ${localMs(column, segments)} / 1000, 'unixepoch')`;
export const localHour = (column: string, segments: readonly OffsetSegment[]) => `strftime('%H', ${localMs(column, segments)} / 1000, 'unixepoch')`;

/** A call's current disposition: its latest (call_dispositions_call makes this one index step). */
export const CURRENT_DISPOSITION = '(SELECT d.disposition FROM call_dispositions d WHERE d.call_id = c.id ORDER BY d.id DESC LIMIT 1)';

/** A call's end as the records know it: siaga112's, or the channel's from its CDR. */
export const CALL_END = 'coalesce(c.ended_at, c.channel_ended_at)';

/** True when the call's tags (a JSON array) hold `tag`. */
export const hasTag = (tag: 'ghost' | 'prank-lane' | 'silent-caller') => `EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = '${tag}')`;

/**
 * Nearest-rank percentiles of `valueColumn` per `key` over `source` (a CTE name): the value at
 * rank ceil(p · n / 100), computed by SQLite's window functions.
 */
export function percentilesSql(source: string, valueColumn: string): string {
  return `SELECT key, max(CASE WHEN rn = (n * 50 + 99) / 100 THEN v END) AS median_ms, max(CASE WHEN rn = (n * 90 + 99) / 100 THEN v END) AS p90_ms
    FROM (SELECT key, ${valueColumn} AS v, row_number() OVER (PARTITION BY key ORDER BY ${valueColumn}) AS rn, count(*) OVER (PARTITION BY key) AS n
          FROM ${source} WHERE ${valueColumn} IS NOT NULL)
    GROUP BY key`;
}
