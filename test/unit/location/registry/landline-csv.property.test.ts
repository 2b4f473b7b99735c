import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseNumber } from '../../../../src/numbers/phone-number.js';
import {
  LANDLINE_CSV_COLUMNS, landlineEntrySchema, parseLandlineCsv, type LandlineCsvColumn, type LandlineCsvResult,
} from '../../../../src/location/registry/landline-csv.js';

const COLUMNS = Object.keys(LANDLINE_CSV_COLUMNS) as LandlineCsvColumn[];
const physicalLines = (text: string) => text.split(/\r\n|\r|\n/).length;

/**
 * Whatever the text, the result is well formed: valid entries, unique numbers, errors in line
 * order on real lines. Plain checks rather than expect(): this runs 25,000 times.
 */
function expectWellFormed(text: string, result: LandlineCsvResult): void {
  const fail = (what: string) => { throw new Error(`${what}: ${JSON.stringify(result).slice(0, 500)}`); };
  for (const row of result.rows) if (!landlineEntrySchema.safeParse(row).success) fail('a row breaks the schema');
  if (new Set(result.rows.map((r) => r.number)).size !== result.rows.length) fail('a number is in two rows');
  const last = physicalLines(text);
  let previous = 1;
  for (const { line, reason } of result.errors) {
    if (!Number.isInteger(line) || line < previous || line > last) fail(`line ${line} is not a line of the file, in order`);
    if (typeof reason !== 'string' || reason.length === 0) fail('an error without a reason');
    previous = line;
  }
}

const subscriber = fc.integer({ min: 1_000_000, max: 99_999_999 }).map(String);
const fixedLine = fc.tuple(fc.constantFrom('21', '22', '251', '264', '31'), subscriber, fc.nat(3))
  .filter(([area, sub]) => area.length + sub.length <= 11 && area.length + sub.length >= 9)
  .map(([area, sub, style]) => [`0${area}${sub}`, `0${area}-${sub}`, `(0${area}) ${sub}`, `+62 ${area} ${sub}`][style]!);
const mobile = fc.integer({ min: 10_000_000, max: 999_999_999 }).map((n) => `08${n}`);
const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', ';', 'é', '1', '-', '.', '\uFEFF', '\t'), maxLength: 12 });
const degrees = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.double({ min: -200, max: 200, noNaN: true }).map((n) => String(Number(n.toFixed(5)))) },
  { weight: 1, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }).map((n) => n.toFixed(4).replace('.', ',')) },
  { weight: 1, arbitrary: fc.constantFrom(' ', 'x', '1e5', '.5', '-', 'NaN', 'Infinity') },
);
/** Mostly plausible cells, so that many files have rows to accept as well as lines to refuse. */
const cellFor = (column: LandlineCsvColumn): fc.Arbitrary<string> => {
  if (column === 'number') return fc.oneof({ weight: 6, arbitrary: fixedLine }, { weight: 1, arbitrary: mobile }, { weight: 1, arbitrary: tricky }, { weight: 1, arbitrary: fc.constant('') });
  if (column === 'latitude' || column === 'longitude') return degrees;
  if (column === 'postal_code') return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 10_000, max: 99_999 }).map(String) }, { weight: 1, arbitrary: tricky });
  return fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: tricky }, { weight: 2, arbitrary: fc.constant('') });
};

/** RFC 4180 quoting when `quoteWell`; otherwise cells go in raw, commas, quotes and all. */
const encode = (cell: string, quoteWell: boolean) => (quoteWell && /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

const generatedCsv = fc.record({
  header: fc.tuple(fc.shuffledSubarray(COLUMNS.filter((c) => c !== 'number')), fc.nat(10), fc.nat(9))
    .map(([others, at, omit]) => (omit === 0 ? others : [...others.slice(0, at), 'number', ...others.slice(at)])),
  extraHeader: fc.option(fc.constantFrom('alamat', 'number', 'Road', ''), { freq: 8 }),
  rows: fc.array(fc.record(Object.fromEntries(COLUMNS.map((c) => [c, cellFor(c)])) as Record<LandlineCsvColumn, fc.Arbitrary<string>>), { maxLength: 8 }),
  quoteWell: fc.nat(3).map((n) => n > 0),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  blankEvery: fc.nat(6),
}).map((spec) => {
  const header: string[] = spec.extraHeader === null ? spec.header : [...spec.header, spec.extraHeader];
  const lines = [
    header.join(','),
    ...spec.rows.map((row) => header.map((column) => encode(isColumn(column) ? row[column] : 'x', spec.quoteWell)).join(',')),
  ];
  const withBlanks = lines.flatMap((line, i) => (spec.blankEvery > 0 && i % spec.blankEvery === 1 ? ['', line] : [line]));
  return `${spec.bom ? '\uFEFF' : ''}${withBlanks.join(spec.eol)}`;
});
function isColumn(name: string): name is LandlineCsvColumn {
  return (COLUMNS as string[]).includes(name);
}

describe('parseLandlineCsv on generated and mutated files', () => {
  it('given 10,000 generated registry files, then the result is always well formed and nothing throws', () => {
    fc.assert(fc.property(generatedCsv, (text) => { expectWellFormed(text, parseLandlineCsv(text)); }), { numRuns: 10_000 });
  }, 60_000);

  it('given 10,000 generated files with characters inserted or deleted, then the result is always well formed', () => {
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('"', ',', '\n', '\r', '""', '\uFEFF', 'x', ' ')), { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(generatedCsv, edits, (text, changes) => {
      let mutated = text;
      for (const [at, deleteCount, insert] of changes) {
        const i = at % (mutated.length + 1);
        mutated = mutated.slice(0, i) + insert + mutated.slice(i + deleteCount);
      }
      expectWellFormed(mutated, parseLandlineCsv(mutated));
    }), { numRuns: 10_000 });
  }, 60_000);

  it('given arbitrary text, then the result is well formed', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => { expectWellFormed(text, parseLandlineCsv(text)); }), { numRuns: 5_000 });
  }, 60_000);

  it('given well-quoted valid rows around one mobile number, then every valid row is read and the mobile is the only error, on its physical line', () => {
    const validRow = fc.record({ number: fixedLine, road: tricky, label: fc.string({ maxLength: 30 }) });
    const spec = fc.record({
      rows: fc.uniqueArray(validRow, { minLength: 1, maxLength: 20, selector: (r) => normaliseNumber(r.number) }),
      badAt: fc.nat(),
      eol: fc.constantFrom('\n', '\r\n'),
    });
    fc.assert(fc.property(spec, mobile, ({ rows, badAt, eol }, mobileNumber) => {
      const lines = rows.map((r) => [r.number, r.road, r.label].map((c) => encode(c, true)).join(','));
      const k = badAt % (lines.length + 1);
      lines.splice(k, 0, `${mobileNumber},,`);
      const before = ['number,road,label', ...lines.slice(0, k)].join(eol);
      const text = `${before}${eol}${lines.slice(k).join(eol)}`;
      const result = parseLandlineCsv(text);
      // Blank cells are absent, a road of only spaces is blank, and line breaks inside quotes read as \n.
      const present = (value: string) => {
        const cell = value.replace(/\r\n?/g, '\n').trim();
        return cell === '' ? undefined : cell;
      };
      expect(result.rows).toEqual(rows.map((r) => ({
        number: normaliseNumber(r.number), label: present(r.label) ?? null, latitude: null, longitude: null,
        civic: present(r.road) === undefined ? { country: 'ID' } : { country: 'ID', RD: present(r.road) },
      })));
      expect(result.errors).toEqual([{ line: physicalLines(before) + 1, reason: expect.stringContaining('is a mobile or non-geographic number') }]);
    }), { numRuns: 2_000 });
  }, 60_000);
});
