import { z } from 'zod';
import type { OffsetSegment } from '../db/reports/report-sql.js';
import { DomainError } from '../errors.js';
import { DEFAULT_TIME_ZONE, localDate, localMidnight, offsetSegments, timeZoneSchema } from '../time-zone.js';

const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** What every report takes: a range and a time zone (and how to answer). */
export const reportQuery = z.object({
  from: dateOrInstant.optional().describe('first day (YYYY-MM-DD, local midnight) or instant (ISO 8601 with offset); default: the 1st of this month'),
  to: dateOrInstant.optional().describe('last day, included (YYYY-MM-DD), or instant, excluded; default: now'),
  tz: timeZoneSchema.default(DEFAULT_TIME_ZONE).describe('IANA time zone the days, months and hours are counted in'),
  format: z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv'),
}).strict();
export type ReportQuery = z.infer<typeof reportQuery>;

/** A resolved range: [from, to) in ms, the zone, and its offsets over the range. */
export interface ReportRange {
  from: number;
  to: number;
  timeZone: string;
  segments: OffsetSegment[];
}

/** The longest range a report covers: three years is every question a centre asks of itself. */
const MAX_RANGE_MS = 3 * 366 * 86_400_000;
const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);

function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

export function resolveRange(query: Pick<ReportQuery, 'from' | 'to' | 'tz'>, now: number): ReportRange {
  const timeZone = query.tz;
  const from = query.from === undefined ? localMidnight(`${localDate(now, timeZone).slice(0, 8)}01`, timeZone)
    : isDate(query.from) ? localMidnight(query.from, timeZone) : Date.parse(query.from);
  const to = query.to === undefined ? now : isDate(query.to) ? localMidnight(nextDay(query.to), timeZone) : Date.parse(query.to);
  if (!(to > from)) throw new DomainError(400, 'empty-range', `the range is empty: to (${new Date(to).toISOString()}) is not after from (${new Date(from).toISOString()})`);
  if (to - from > MAX_RANGE_MS) throw new DomainError(400, 'range-too-long', 'a report covers at most three years; ask for a shorter range');
  return { from, to, timeZone, segments: offsetSegments(timeZone, from, to) };
}

/** The range as the report says it was asked. */
export const rangeJson = z.object({ from: z.string(), to: z.string(), timeZone: z.string() });
export const rangeOf = (range: ReportRange) => ({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), timeZone: range.timeZone });
