import type { z } from 'zod';
import type { ReportStatement } from '../db/reports/report-sql.js';
import type { ReportRange } from './report-range.js';

export type ReportRows = Record<string, Array<Record<string, unknown>>>;

/** One flat table for CSV: its columns (documented in OpenAPI) and rows in that order. */
export interface CsvTable {
  columns: ReadonlyArray<{ name: string; meaning: string }>;
  rows: Array<Record<string, string | number | null>>;
}

/**
 * A report: the statements it runs (in the report thread), how their rows become its JSON, and
 * the CSV table it flattens to. Everything it says is computed from the records by SQL.
 */
export interface ReportDefinition<J extends z.ZodType> {
  path: string;
  summary: string;
  json: J;
  statements(range: ReportRange, now: number): ReportStatement[];
  build(rows: ReportRows, range: ReportRange): Omit<z.infer<J>, 'range' | 'ran'>;
  /** The CSV table's columns, in order (the route documents them in OpenAPI). */
  csvColumns: CsvTable['columns'];
  csvRows(report: z.infer<J>): CsvTable['rows'];
}

/** A fraction to four places, or null when there is nothing to divide by (never a made-up 0). */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** SQLite's numbers as JSON numbers: counts and sums are integers, averages rounded to the ms. */
export const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
export const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Math.round(num(value)));
