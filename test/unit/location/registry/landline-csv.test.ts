import { describe, expect, it } from 'vitest';
import {
  LANDLINE_CSV_COLUMNS, MAX_LANDLINE_ROWS, landlineEntrySchema, parseLandlineCsv,
} from '../../../../src/location/registry/landline-csv.js';

const HEADER = 'number,label,road,house_number,kelurahan,kecamatan,city,province,postal_code,landmark,latitude,longitude';
/** A row with a number and blanks for the eleven other columns of HEADER. */
const bare = (number: string) => `${number},,,,,,,,,,,`;
const csv = (...lines: string[]) => lines.join('\n');

describe('reading a landline registry CSV', () => {
  it('given a full row with a quoted comma, a BOM and CRLF, then it becomes an entry with a civic address', () => {
    const text = `\uFEFF${HEADER}\r\n021-8888-1234,Kantor Walikota,"Jl. Jend. Ahmad Yani, No. 1",1,Marga Jaya,Bekasi Selatan,Kota Bekasi,Jawa Barat,17141,Stadion Patriot,-6.2383,106.9924\r\n`;
    expect(parseLandlineCsv(text)).toEqual({
      errors: [],
      rows: [{
        number: '+622188881234',
        label: 'Kantor Walikota',
        civic: {
          country: 'ID', RD: 'Jl. Jend. Ahmad Yani, No. 1', HNO: '1', A4: 'Marga Jaya', A3: 'Bekasi Selatan',
          A2: 'Kota Bekasi', A1: 'Jawa Barat', PC: '17141', LMK: 'Stadion Patriot',
        },
        latitude: -6.2383,
        longitude: 106.9924,
      }],
    });
  });

  it('given only a number column, in any case, then blanks are absent and the coordinates null', () => {
    const { rows, errors } = parseLandlineCsv(csv(' Number ', '(021) 8801234', '+62 21 8888 1235'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { number: '+62218801234', label: null, civic: { country: 'ID' }, latitude: null, longitude: null },
      { number: '+622188881235', label: null, civic: { country: 'ID' }, latitude: null, longitude: null },
    ]);
    for (const row of rows) expect(landlineEntrySchema.safeParse(row).success).toBe(true);
  });

  it('given empty and blank lines, then they are skipped and line numbers stay the file\'s own', () => {
    const { rows, errors } = parseLandlineCsv(csv(HEADER, '', bare('02188881234'), '   ', ',,,,,,,,,,,', bare('0812-3456-7890'), ''));
    expect(rows.map((r) => r.number)).toEqual(['+622188881234']);
    expect(errors).toEqual([{ line: 6, reason: 'number +6281234567890 is a mobile or non-geographic number (+628...), not a fixed line' }]);
  });

  it('given a quoted field spanning two lines, then later rows keep their physical line numbers', () => {
    const { rows, errors } = parseLandlineCsv(csv('number,road', '02188881234,"Jl. Kartini\nGang 3"', '0812345678,x'));
    expect(rows[0]?.civic.RD).toBe('Jl. Kartini\nGang 3');
    expect(errors.map((e) => e.line)).toEqual([4]);
  });

  it('given a number twice, then the later line is the error and names the first', () => {
    const { rows, errors } = parseLandlineCsv(csv('number', '021-8888-1234', '0211111111', '+62 21 8888 1234'));
    expect(rows).toHaveLength(2);
    expect(errors).toEqual([{ line: 4, reason: 'number +622188881234 is already on line 2' }]);
  });

  const badNumbers: Array<[string, RegExp]> = [
    ['', /^number is empty$/],
    ['8888-1234', /not in 0xx or \+62 form: write it with its area code/],
    ['+62 021 8888 1234', /has a 0 after \+62/],
    ['021-888', /^number "021-888" is too short for a fixed line$/],
    ['021-88812', /has 7 digits after \+62; a fixed line has 9 to 11/],
    ['021-8888-1234-5678', /has 14 digits after \+62/],
    ['021 8888 1234 ext 5', /may only contain digits/],
    ['0800-123-4567', /mobile or non-geographic/],
    ['112', /not in 0xx or \+62 form/],
  ];
  for (const [raw, reason] of badNumbers) {
    it(`given the number "${raw}", then the row is refused: ${reason.source}`, () => {
      const { rows, errors } = parseLandlineCsv(csv('number,label', `${raw},x`));
      expect(rows).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.line).toBe(2);
      expect(errors[0]?.reason).toMatch(reason);
    });
  }

  it('given coordinates with a comma, out of range, swapped or alone, then each is refused with its reason', () => {
    const { rows, errors } = parseLandlineCsv(csv(
      'number,latitude,longitude',
      '0211000001,"-6,2383","106,9924"',
      '0211000002,106.99,-6.23',
      '0211000003,-6.2383,',
      '0211000004,-6.2383,east',
      '0211000005,-6.2383,106.9924',
    ));
    expect(rows.map((r) => [r.number, r.latitude, r.longitude])).toEqual([['+62211000005', -6.2383, 106.9924]]);
    expect(errors).toEqual([
      { line: 2, reason: 'latitude "-6,2383" has a comma: write decimals with a dot; longitude "106,9924" has a comma: write decimals with a dot' },
      { line: 3, reason: 'latitude 106.99 is out of range [-90, 90] (latitude and longitude swapped?)' },
      { line: 4, reason: 'latitude and longitude come together: give both or neither' },
      { line: 5, reason: 'longitude "east" is not a decimal number' },
    ]);
  });

  it('given a bad postal code or an over-long field, then the column is named', () => {
    const { errors } = parseLandlineCsv(csv('number,postal_code,house_number,label', `0211000001,1714,1,x`, `0211000002,17141,${'9'.repeat(51)},x`, `0211000003,17141,1,${'x'.repeat(201)}`));
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0]?.reason).toBe('postal_code "1714" is not 5 digits');
    expect(errors[1]?.reason).toMatch(/^house_number: /);
    expect(errors[2]?.reason).toMatch(/^label: /);
  });

  it('given a row with more fields than the header, then it is refused as a likely unquoted comma', () => {
    expect(parseLandlineCsv(csv('number,road', '0211000001,Jl. Juanda, 5')).errors).toEqual([{ line: 2, reason: '3 fields, but the header has 2 (an unquoted comma?)' }]);
  });
});

describe('the header row', () => {
  it('given an unknown column, then line 1 is the error and lists the columns', () => {
    const { rows, errors } = parseLandlineCsv(csv('number,alamat', '0211000001,x'));
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ line: 1, reason: `unknown column "alamat"; columns are ${Object.keys(LANDLINE_CSV_COLUMNS).join(', ')}` }]);
  });

  it('given a semicolon-separated export, then the reason says so', () => {
    expect(parseLandlineCsv('number;road\n0211000001;x').errors[0]?.reason).toMatch(/^unknown column "number;road" \(the file must be comma-separated/);
  });

  it('given no number column, or a column twice, then line 1 is the error', () => {
    expect(parseLandlineCsv('road,label\nx,y').errors).toEqual([{ line: 1, reason: 'the header has no number column' }]);
    expect(parseLandlineCsv('number,road,Road\n1,2,3').errors).toEqual([{ line: 1, reason: 'column road appears more than once' }]);
  });

  it('given an empty file or only a BOM, then the missing header is the error', () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      expect(parseLandlineCsv(text)).toEqual({ rows: [], errors: [{ line: 1, reason: 'empty file: a header row naming the columns is required' }] });
    }
  });
});

describe('malformed CSV and limits', () => {
  it('given an unclosed quote, then it is an error at its line and the rows before it are kept', () => {
    const { rows, errors } = parseLandlineCsv(csv('number,road', '0211000001,ok', '0211000002,"unclosed', '0211000003,lost'));
    expect(rows.map((r) => r.number)).toEqual(['+62211000001']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(3);
    expect(errors[0]?.reason).toMatch(/^not valid CSV: Quote Not Closed/);
  });

  it('given a stray quote inside a field, then that line is the error', () => {
    const { errors } = parseLandlineCsv(csv('number,road', '0211000001,Jl. "Baru', '0211000002,ok'));
    expect(errors[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/^not valid CSV: Invalid Opening Quote/) });
  });

  it(`given more than ${MAX_LANDLINE_ROWS} rows, then the first ${MAX_LANDLINE_ROWS} are read and the next line is the error`, () => {
    const lines = Array.from({ length: MAX_LANDLINE_ROWS + 5 }, (_, i) => `021${String(1_000_000 + i).padStart(8, '0')}`);
    const { rows, errors } = parseLandlineCsv(['number', ...lines].join('\n'));
    expect(rows).toHaveLength(MAX_LANDLINE_ROWS);
    expect(errors).toEqual([{ line: MAX_LANDLINE_ROWS + 2, reason: `more than ${MAX_LANDLINE_ROWS} rows: split the file; this row and the rest were not read` }]);
  });
});
