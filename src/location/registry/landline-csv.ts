import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse/sync';
import { z } from 'zod';
import { normaliseNumber } from '../../numbers/phone-number.js';
import { civicAddressSchema, latitudeSchema, longitudeSchema, type CivicAddress } from '../../geo/fix.js';

/**
 * A landline registry file, as an admin exports it from a spreadsheet: comma-separated, UTF-8
 * (a BOM is fine), a header row naming the columns (any order, any case), one subscriber line per
 * row. Only `number` is required. A landline has no GPS, so this registry is how a fixed-line
 * caller's address reaches the operator.
 */
export const LANDLINE_CSV_COLUMNS = {
  number: 'the fixed line, 021-8888-1234 or +62 21 8888 1234',
  label: 'subscriber or building name',
  road: 'street (civic RD)',
  house_number: 'house number (HNO)',
  kelurahan: 'kelurahan / desa (A4)',
  kecamatan: 'kecamatan (A3)',
  city: 'kota / kabupaten (A2)',
  province: 'provinsi (A1)',
  postal_code: 'kode pos, 5 digits (PC)',
  landmark: 'nearby landmark (LMK)',
  latitude: 'decimal degrees with a dot, e.g. -6.2383; with longitude or not at all',
  longitude: 'decimal degrees with a dot, e.g. 106.9924; with latitude or not at all',
} as const;
export type LandlineCsvColumn = keyof typeof LANDLINE_CSV_COLUMNS;

/** Rows per file: a registry import is a batch job, not a way to hold the server's event loop. */
export const MAX_LANDLINE_ROWS = 50_000;

const CIVIC_COLUMNS = {
  road: 'RD', house_number: 'HNO', kelurahan: 'A4', kecamatan: 'A3', city: 'A2', province: 'A1', postal_code: 'PC', landmark: 'LMK',
} as const satisfies Partial<Record<LandlineCsvColumn, keyof CivicAddress>>;

/**
 * +62, then an area code (2-3 digits, never starting with 8: 8xx is mobile) and a 5-8 digit
 * subscriber number: 9 to 11 digits in all (Bekasi: +62 21 and 7 or 8 digits).
 */
const FIXED_LINE = /^\+62[1-79]\d{8,10}$/;

export const landlineEntrySchema = z.object({
  number: z.string().regex(FIXED_LINE, 'not an Indonesian fixed-line number in +62 form'),
  civic: civicAddressSchema,
  latitude: latitudeSchema.nullable(),
  longitude: longitudeSchema.nullable(),
  label: z.string().max(200).nullable(),
}).strict().refine((e) => (e.latitude === null) === (e.longitude === null), 'latitude and longitude come together');
export type LandlineEntry = z.infer<typeof landlineEntrySchema>;

/** A line of the file (1-based, the header is line 1) and what is wrong with it. */
export interface LandlineCsvError { line: number; reason: string }
export interface LandlineCsvResult { rows: LandlineEntry[]; errors: LandlineCsvError[] }

const isColumn = (name: string): name is LandlineCsvColumn => Object.hasOwn(LANDLINE_CSV_COLUMNS, name);

/** The number in +62 form, or why it is not a fixed line. */
function checkNumber(raw: string): { number: string } | { reason: string } {
  if (!/^\+?[0-9 ().-]+$/.test(raw)) return { reason: `number "${raw.slice(0, 40)}" may only contain digits, spaces, ( ) . - and a leading +` };
  const number = normaliseNumber(raw);
  if (!number.startsWith('+62')) {
    const short = /^\D*0/.test(raw);
    return { reason: short ? `number "${raw}" is too short for a fixed line` : `number "${raw}" is not in 0xx or +62 form: write it with its area code, e.g. 021...` };
  }
  const national = number.slice(3);
  if (national.startsWith('8')) return { reason: `number ${number} is a mobile or non-geographic number (+628...), not a fixed line` };
  if (national.startsWith('0')) return { reason: `number ${number} has a 0 after +62: drop the trunk 0` };
  if (!FIXED_LINE.test(number)) return { reason: `number ${number} has ${national.length} digits after +62; a fixed line has 9 to 11` };
  return { number };
}

/** A coordinate cell: a dot-decimal number, since a spreadsheet's "-6,2383" is ambiguous in a CSV. */
function checkDegrees(column: 'latitude' | 'longitude', raw: string, limit: number): { value: number } | { reason: string } {
  if (raw.includes(',')) return { reason: `${column} "${raw}" has a comma: write decimals with a dot` };
  if (!/^[+-]?(\d{1,3}(\.\d{1,15})?|\.\d{1,15})$/.test(raw)) return { reason: `${column} "${raw.slice(0, 40)}" is not a decimal number` };
  const value = Number(raw);
  if (Math.abs(value) > limit) return { reason: `${column} ${value} is out of range [-${limit}, ${limit}] (latitude and longitude swapped?)` };
  return { value };
}

/** One data row, as cells by column, into an entry or its reasons. */
function entryOf(cells: Map<LandlineCsvColumn, string>): { entry: LandlineEntry } | { reasons: string[]; number?: string } {
  const reasons: string[] = [];
  const rawNumber = cells.get('number');
  const checked = rawNumber === undefined ? { reason: 'number is empty' } : checkNumber(rawNumber);
  if ('reason' in checked) reasons.push(checked.reason);
  const civic: CivicAddress = { country: 'ID' };
  for (const [column, element] of Object.entries(CIVIC_COLUMNS) as Array<[keyof typeof CIVIC_COLUMNS, keyof CivicAddress]>) {
    const value = cells.get(column);
    if (value !== undefined) civic[element] = value;
  }
  const postalCode = cells.get('postal_code');
  if (postalCode !== undefined && !/^\d{5}$/.test(postalCode)) reasons.push(`postal_code "${postalCode.slice(0, 40)}" is not 5 digits`);
  const degrees = (['latitude', 'longitude'] as const).map((column) => {
    const raw = cells.get(column);
    if (raw === undefined) return null;
    const result = checkDegrees(column, raw, column === 'latitude' ? 90 : 180);
    if ('reason' in result) { reasons.push(result.reason); return null; }
    return result.value;
  });
  if (cells.has('latitude') !== cells.has('longitude')) reasons.push('latitude and longitude come together: give both or neither');
  const candidate = { number: 'number' in checked ? checked.number : '', civic, latitude: degrees[0] ?? null, longitude: degrees[1] ?? null, label: cells.get('label') ?? null };
  if (reasons.length === 0) {
    const parsed = landlineEntrySchema.safeParse(candidate);
    if (parsed.success) return { entry: parsed.data };
    // Left for the schema: field lengths, named by the column the admin typed them in.
    const columnOf = new Map<string, string>(Object.entries(CIVIC_COLUMNS).map(([column, element]) => [element, column]));
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[issue.path.length - 1] ?? '');
      reasons.push(`${columnOf.get(key) ?? key}: ${issue.message}`);
    }
  }
  return 'number' in checked ? { reasons, number: checked.number } : { reasons };
}

/** The line a record starts on: csv-parse counts to where it ends, and a quoted field may span lines. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

interface CsvRecord { record: string[]; line: number }

/** Records with their start lines, plus csv-parse's own complaints; never throws. */
function readRecords(text: string): { records: CsvRecord[]; errors: LandlineCsvError[] } {
  const records: CsvRecord[] = [];
  const errors: LandlineCsvError[] = [];
  // With raw: true csv-parse hands on_record { record, raw }, which its types do not say.
  const onRecord = ({ record, raw }: { record: string[]; raw: string }, context: InfoRecord) => {
    records.push({ record, line: startLine(context.lines, raw) });
    return null;
  };
  try {
    parse(text.replace(/\r\n?/g, '\n'), {
      bom: true, delimiter: ',', record_delimiter: '\n', relax_column_count: true,
      skip_empty_lines: true, skip_records_with_empty_values: true, skip_records_with_error: true,
      // raw: the record's text, to find the line it starts on.
      raw: true, to: MAX_LANDLINE_ROWS + 2,
      on_record: onRecord as unknown as Options['on_record'],
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        const line = typeof error?.lines === 'number' ? error.lines : 1;
        errors.push({ line: startLine(line, raw ?? ''), reason: `not valid CSV: ${error?.message ?? 'unreadable record'}` });
        return undefined;
      },
    });
  } catch (error) {
    // Only what skip_records_with_error cannot skip (bad options, a parser bug) ends up here.
    const { lines, message } = error as Partial<CsvError>;
    errors.push({ line: typeof lines === 'number' ? lines : 1, reason: `not valid CSV: ${message ?? String(error)}` });
  }
  return { records, errors };
}

function readHeader(header: CsvRecord): { columns: LandlineCsvColumn[] } | { reason: string } {
  const names = header.record.map((cell) => cell.trim().toLowerCase());
  const unknown = names.filter((name) => !isColumn(name));
  if (unknown.length > 0) {
    const hint = unknown.some((name) => name.includes(';')) ? ' (the file must be comma-separated, not semicolon-separated)' : '';
    return { reason: `unknown column ${unknown.map((n) => `"${n.slice(0, 40)}"`).join(', ')}${hint}; columns are ${Object.keys(LANDLINE_CSV_COLUMNS).join(', ')}` };
  }
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) return { reason: `column ${twice.join(', ')} appears more than once` };
  if (!names.includes('number')) return { reason: 'the header has no number column' };
  return { columns: names as LandlineCsvColumn[] };
}

/**
 * Reads a landline registry CSV (columns: LANDLINE_CSV_COLUMNS) into entries and per-line
 * errors. A row with any error is left out of `rows`; a number already seen is an error on the
 * later line. Lines are the file's physical lines, 1-based, the header being line 1 (a record
 * with a quoted line break counts from the line it starts on). After a CSV syntax error (a stray
 * or unclosed quote) csv-parse resumes where it can, so rows after one are best effort: a
 * partial import should say so. Callers cap the body size; the row limit is MAX_LANDLINE_ROWS.
 * Never throws.
 */
export function parseLandlineCsv(text: string): LandlineCsvResult {
  const { records, errors } = readRecords(text);
  const [header, ...data] = records;
  if (!header) return { rows: [], errors: errors.length > 0 ? errors : [{ line: 1, reason: 'empty file: a header row naming the columns is required' }] };
  const head = readHeader(header);
  if ('reason' in head) return { rows: [], errors: [{ line: header.line, reason: head.reason }, ...errors].sort((a, b) => a.line - b.line) };
  const rows: LandlineEntry[] = [];
  const firstLineOf = new Map<string, number>();
  for (const [i, { record, line }] of data.entries()) {
    if (i >= MAX_LANDLINE_ROWS) {
      errors.push({ line, reason: `more than ${MAX_LANDLINE_ROWS} rows: split the file; this row and the rest were not read` });
      break;
    }
    if (record.length !== head.columns.length) {
      errors.push({ line, reason: `${record.length} fields, but the header has ${head.columns.length} (an unquoted comma?)` });
      continue;
    }
    const cells = new Map<LandlineCsvColumn, string>();
    head.columns.forEach((column, k) => {
      const value = record[k]?.trim() ?? '';
      if (value !== '') cells.set(column, value);
    });
    const result = entryOf(cells);
    const number = 'entry' in result ? result.entry.number : result.number;
    const reasons = 'reasons' in result ? [...result.reasons] : [];
    const first = number === undefined ? undefined : firstLineOf.get(number);
    if (first !== undefined) reasons.push(`number ${number} is already on line ${first}`);
    else if (number !== undefined) firstLineOf.set(number, line);
    if (reasons.length > 0) errors.push({ line, reason: reasons.join('; ') });
    else if ('entry' in result) rows.push(result.entry);
  }
  return { rows, errors: errors.sort((a, b) => a.line - b.line) };
}
