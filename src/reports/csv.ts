import { stringify } from 'csv-stringify/sync';
import type { CsvTable } from './report-definition.js';

/**
 * RFC 4180 CSV with a header row: fields with commas, quotes or line breaks are quoted and
 * quotes doubled (csv-stringify). A field a spreadsheet would run as a formula (=, +, -, @ first)
 * is prefixed with a quote mark: a caller's number never becomes a formula on a supervisor's PC.
 */
export function toCsv(table: CsvTable): string {
  const names = table.columns.map((column) => column.name);
  const safe = (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return String(value);
    return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  };
  return stringify([names, ...table.rows.map((row) => names.map((name) => safe(row[name])))], { record_delimiter: '\r\n' });
}
