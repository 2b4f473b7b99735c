import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixReadingSchema, type ParseResult } from '../../../../src/geo/fix.js';
import { amlMessageSchema, type AmlMessage } from '../../../../src/location/aml/aml-message.js';
import { parseAmlForm, verifyAmlHmac } from '../../../../src/location/aml/aml-https.js';
import { parseAmlSms } from '../../../../src/location/aml/aml-sms.js';

/** Per property: 10,000 generated messages, then 10,000 mutated ones, for each parser. */
const RUNS = 10_000;
const TIMEOUT = 60_000;
const EARLIEST = Date.UTC(2000, 0, 2);
const LATEST = Date.UTC(2099, 11, 30);

/** A decimal as a handset writes it: the text, and the number it must come back as. */
interface Decimal { text: string; value: number }
const decimal = (min: number, max: number, maxDecimals = 6, plus = false): fc.Arbitrary<Decimal> =>
  fc.tuple(fc.integer({ min: 0, max: maxDecimals }), fc.double({ min, max, noNaN: true }), fc.boolean()).map(([places, raw, signed]) => {
    const text = raw.toFixed(places);
    const value = Number(text);
    return { text: plus && signed && !text.startsWith('-') ? `+${text}` : text, value: value === 0 ? 0 : value };
  }).filter(({ value }) => value >= min && value <= max);
const point = fc.tuple(decimal(-90, 90, 6, true), decimal(-180, 180, 6, true)).filter(([lat, lon]) => lat.value !== 0 || lon.value !== 0);
const epoch = fc.tuple(fc.integer({ min: EARLIEST, max: LATEST }), fc.boolean()).map(([ms, inSeconds]) => (
  inSeconds ? { text: String(Math.floor(ms / 1000)), value: Math.floor(ms / 1000) * 1000 } : { text: String(ms), value: ms }));
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Printable text with no whitespace or separators, unicode included (it counts towards ml). */
const token = fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => text.replace(/[\s;=,&]/gu, ''));
const phone = fc.tuple(fc.constantFrom('+628', '08', '628'), digits(8, 10)).map(([prefix, rest]) => ({ text: `${prefix}${rest}`, value: `+628${rest}` }));

/** A text mutation: truncation, inserted characters, a number swapped for junk, or noise. */
const junkNumber = fc.oneof(
  fc.double().map(String), fc.integer().map(String), fc.bigInt().map(String),
  fc.constantFrom('1e5', '0x1F', '-', '.', '..', '1,5', '٣', '１２', '-9999', '+-1', '1.2.3', 'Infinity', '', '00000000000000000001'),
);
const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 6 })).map(([at, extra]) => (text: string) => {
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${extra}${text.slice(i)}`;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(';', '=', ',', '&', '%', '"', '\r\n', ' ', '\u201D', '+')).map(([at, extra]) => (text: string) => {
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${extra}${text.slice(i)}`;
  }),
  fc.tuple(fc.nat(), junkNumber).map(([which, junk]) => (text: string) => {
    const numbers = [...text.matchAll(/[-+]?\d+(?:\.\d+)?/g)];
    const target = numbers[which % Math.max(numbers.length, 1)];
    return target?.index === undefined ? text : `${text.slice(0, target.index)}${junk}${text.slice(target.index + target[0].length)}`;
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([at, length]) => (text: string) => {
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${text.slice(i + length)}`;
  }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((noise) => () => noise),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((noise) => (text: string) => `${text.slice(0, 6)}${noise}`),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });
const mutate = (text: string, steps: ((text: string) => string)[]): string => steps.reduce((current, step) => step(current), text);

/** How many mutated inputs were accepted and refused: a run where all went one way proves little. */
const outcomes = { ok: 0, refused: 0 };

/** What every answer must be: a schema-valid message, or a refusal with a reason. */
function wellFormed(result: ParseResult<AmlMessage>): boolean {
  if (!result.ok) {
    outcomes.refused += 1;
    // The parsers' last-resort schema check must never be what refuses: that would be a parser bug.
    return typeof result.reason === 'string' && result.reason.length > 0 && !result.reason.startsWith('the message fails its own schema');
  }
  outcomes.ok += 1;
  return fixReadingSchema.safeParse(result.value.reading).success && amlMessageSchema.safeParse(result.value).success;
}

/** Runs a mutation property and checks that its inputs were both accepted and refused. */
function assertMutations<Ts extends unknown[]>(property: fc.IProperty<Ts>): void {
  outcomes.ok = 0;
  outcomes.refused = 0;
  fc.assert(property, { numRuns: RUNS });
  expect(outcomes.ok).toBeGreaterThan(RUNS / 100);
  expect(outcomes.refused).toBeGreaterThan(RUNS / 100);
}

/** Puts the fields in the order the generator chose. */
const shuffled = <T>(items: T[], order: number[]): T[] =>
  items.map((item, i) => ({ item, key: order[i] ?? i })).sort((a, b) => a.key - b.key).map(({ item }) => item);

const httpsCase = fc.record({
  point, device: phone,
  accuracy: fc.option(decimal(0, 5000, 1)), altitude: fc.option(decimal(-400, 9000, 1)), vertical: fc.option(decimal(0, 500, 1)),
  confidence: fc.option(fc.integer({ min: 0, max: 100 })), fixedAt: fc.option(epoch), sentAt: fc.option(epoch),
  source: fc.option(fc.constantFrom(['gps', 'gnss'], ['wifi', 'wifi'], ['cell', 'cell'], ['fused', 'fused'], ['network', 'fused']).chain(([word, method]) => fc.mixedCase(fc.constant(word)).map((w) => [w, method] as const))),
  imei: fc.option(digits(15, 15)), extras: fc.dictionary(fc.stringMatching(/^x_[a-z0-9_]{1,12}$/), token, { maxKeys: 4 }),
  order: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
});
type HttpsCase = typeof httpsCase extends fc.Arbitrary<infer T> ? T : never;

function httpsBody(c: HttpsCase): string {
  const entries: [string, string][] = [
    ['v', '3'], ['location_latitude', c.point[0].text], ['location_longitude', c.point[1].text], ['device_number', c.device.text],
    ...Object.entries(c.extras),
  ];
  if (c.accuracy) entries.push(['location_accuracy', c.accuracy.text]);
  if (c.altitude) entries.push(['location_altitude', c.altitude.text]);
  if (c.vertical) entries.push(['location_vertical_accuracy', c.vertical.text]);
  if (c.confidence !== null) entries.push(['location_confidence', String(c.confidence)]);
  if (c.fixedAt) entries.push(['location_time', c.fixedAt.text]);
  if (c.sentAt) entries.push(['time', c.sentAt.text]);
  if (c.source) entries.push(['location_source', c.source[0]]);
  if (c.imei !== null) entries.push(['device_imei', c.imei]);
  return new URLSearchParams(shuffled(entries, c.order)).toString();
}

function httpsRoundTrips(c: HttpsCase): boolean {
  const result = parseAmlForm(httpsBody(c));
  if (!result.ok) return false;
  const { reading, ...message } = result.value;
  return reading.latitude === c.point[0].value && reading.longitude === c.point[1].value
    && reading.accuracyM === (c.accuracy?.value ?? null) && reading.shape === (c.accuracy ? 'circle' : 'point')
    && reading.altitudeM === (c.altitude?.value ?? null) && reading.verticalAccuracyM === (c.vertical?.value ?? null)
    && reading.confidencePct === c.confidence && reading.fixedAt === (c.fixedAt?.value ?? null)
    && reading.method === (c.source?.[1] ?? 'unknown') && message.sentAt === (c.sentAt?.value ?? null)
    && message.deviceNumber === c.device.value && message.imei === c.imei && message.version === '3'
    && JSON.stringify(Object.entries(message.extras).sort()) === JSON.stringify(Object.entries(c.extras).sort());
}

/** Appends nothing: places `ml=N` among the fields, N the whole message's length. */
function withDeclaredLength(head: string, fields: string[], at: number): string {
  const bare = [head, ...fields].join(';');
  const stem = [...bare].length + ';ml='.length;
  let n = stem + 1;
  while (stem + String(n).length !== n) n += 1;
  const placed = [...fields];
  placed.splice(at % (fields.length + 1), 0, `ml=${n}`);
  return [head, ...placed].join(';');
}

const v1Case = fc.record({
  point, accuracy: fc.option(fc.oneof(decimal(0, 5000, 1), fc.constant({ text: 'N', value: null }))),
  top: fc.option(fc.integer({ min: EARLIEST, max: LATEST }).map((ms) => Math.floor(ms / 1000) * 1000)),
  confidence: fc.option(fc.integer({ min: 0, max: 100 })),
  pm: fc.option(fc.constantFrom(['G', 'gnss'], ['g', 'gnss'], ['W', 'wifi'], ['C', 'cell'], ['U', 'unknown'])),
  imsi: fc.option(digits(15, 15)), imei: fc.option(digits(15, 15)), mcc: digits(3, 3), mnc: digits(2, 3),
  extras: fc.dictionary(fc.stringMatching(/^x[a-z]{1,6}$/), token, { maxKeys: 3 }),
  quote: fc.constantFrom('"', '\u201D', '\u201C'), order: fc.array(fc.nat(), { minLength: 14, maxLength: 14 }), mlAt: fc.option(fc.nat()),
  sender: fc.option(phone),
});
type V1Case = typeof v1Case extends fc.Arbitrary<infer T> ? T : never;

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

function v1Text(c: V1Case): string {
  const fields = [`lt=${c.point[0].text}`, `lg=${c.point[1].text}`, `mcc=${c.mcc}`, `mnc=${c.mnc}`, ...Object.entries(c.extras).map(([k, v]) => `${k}=${v}`)];
  if (c.accuracy) fields.push(`rd=${c.accuracy.text}`);
  if (c.top !== null) fields.push(`top=${stamp(c.top)}`);
  if (c.confidence !== null) fields.push(`lc=${c.confidence}`);
  if (c.pm) fields.push(`pm=${c.pm[0]}`);
  if (c.imsi !== null) fields.push(`si=${c.imsi}`);
  if (c.imei !== null) fields.push(`ei=${c.imei}`);
  const head = `A${c.quote}ML=1`;
  return c.mlAt === null ? [head, ...shuffled(fields, c.order)].join(';') : withDeclaredLength(head, shuffled(fields, c.order), c.mlAt);
}

function v1RoundTrips(c: V1Case): boolean {
  const result = parseAmlSms(v1Text(c), c.sender?.text ?? null);
  if (!result.ok) return false;
  const { reading, ...message } = result.value;
  const accuracy = c.accuracy?.value ?? null;
  return reading.latitude === c.point[0].value && reading.longitude === c.point[1].value && reading.accuracyM === accuracy
    && reading.shape === (accuracy === null ? 'point' : 'circle') && reading.fixedAt === c.top && reading.confidencePct === c.confidence
    && reading.method === (c.pm?.[1] ?? 'unknown') && message.imsi === c.imsi && message.imei === c.imei && message.version === '1'
    && message.deviceNumber === (c.sender?.value ?? null) && message.extras.mcc === c.mcc && message.extras.mnc === c.mnc
    && Object.entries(c.extras).every(([k, v]) => message.extras[k] === v);
}

const v2Case = fc.record({
  point, accuracy: fc.option(decimal(0, 5000, 1)), et: fc.option(fc.integer({ min: EARLIEST / 1000, max: LATEST / 1000 })),
  lt: fc.option(fc.oneof(fc.constant(-9999), fc.integer({ min: -86_400, max: 86_400 }))),
  confidence: fc.option(fc.integer({ min: 0, max: 100 })), altitude: fc.option(decimal(-400, 9000, 1)), vertical: fc.option(decimal(0, 500, 1)),
  ls: fc.option(fc.constantFrom(['G', 'gnss'], ['w', 'wifi'], ['C', 'cell'], ['F', 'fused'], ['f', 'fused'], ['U', 'unknown'])),
  en: fc.constantFrom('112', '110', '113', '115', '911'), imei: fc.option(digits(15, 15)), nc: digits(5, 6), lg: fc.constantFrom('id-ID', 'en-GB,fr-FR', 'jv'),
  order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), mlAt: fc.option(fc.nat()), sender: fc.option(phone),
});
type V2Case = typeof v2Case extends fc.Arbitrary<infer T> ? T : never;

function v2Text(c: V2Case): string {
  const lo = [c.point[0].text, c.point[1].text, ...(c.accuracy ? [c.accuracy.text] : [])].join(',');
  const fields = [`en=${c.en}`, `lo=${lo}`, `nc=${c.nc}`, `hc=${c.nc}`, `lg=${c.lg}`];
  if (c.et !== null) fields.push(`et=${c.et}`);
  if (c.lt !== null) fields.push(`lt=${c.lt}`);
  if (c.confidence !== null) fields.push(`lc=${c.confidence}`);
  if (c.altitude) fields.push(`lz=${[c.altitude.text, ...(c.vertical ? [c.vertical.text] : [])].join(',')}`);
  if (c.ls) fields.push(`ls=${c.ls[0]}`);
  if (c.imei !== null) fields.push(`ei=${c.imei}`);
  return c.mlAt === null ? ['A"ML=2', ...shuffled(fields, c.order)].join(';') : withDeclaredLength('A"ML=2', shuffled(fields, c.order), c.mlAt);
}

function v2RoundTrips(c: V2Case): boolean {
  const result = parseAmlSms(v2Text(c), c.sender?.text ?? null);
  if (!result.ok) return false;
  const { reading, ...message } = result.value;
  // An accuracy or vertical accuracy of 0 means unknown in v2.
  const accuracy = c.accuracy === null || c.accuracy.value === 0 ? null : c.accuracy.value;
  const vertical = c.altitude === null || c.vertical === null || c.vertical.value === 0 ? null : c.vertical.value;
  const fixedAt = c.et === null || c.lt === null || c.lt === -9999 ? null : (c.et + c.lt) * 1000;
  return reading.latitude === c.point[0].value && reading.longitude === c.point[1].value && reading.accuracyM === accuracy
    && reading.shape === (accuracy === null ? 'point' : 'circle') && reading.fixedAt === fixedAt && reading.confidencePct === c.confidence
    && reading.altitudeM === (c.altitude?.value ?? null) && reading.verticalAccuracyM === vertical
    && reading.method === (c.ls?.[1] ?? 'unknown') && message.callStartedAt === (c.et === null ? null : c.et * 1000)
    && message.emergencyNumber === c.en && message.imei === c.imei && message.version === '2'
    && message.deviceNumber === (c.sender?.value ?? null) && message.extras.nc === c.nc && message.extras.lg === c.lg
    && (c.et !== null || c.lt === null || message.extras.lt === String(c.lt));
}

describe('parseAmlForm properties', () => {
  it('given generated handset bodies in any field order, then every value round-trips', () => {
    fc.assert(fc.property(httpsCase, httpsRoundTrips), { numRuns: RUNS });
  }, TIMEOUT);

  it('given mutated bodies, then it never throws and answers a valid message or a reason', () => {
    assertMutations(fc.property(httpsCase, mutations, (c, steps) => wellFormed(parseAmlForm(mutate(httpsBody(c), steps)))));
  }, TIMEOUT);
});

describe('parseAmlSms v1 properties', () => {
  it('given generated v1 SMS in any field order, with or without ml, then every value round-trips', () => {
    fc.assert(fc.property(v1Case, v1RoundTrips), { numRuns: RUNS });
  }, TIMEOUT);

  it('given mutated v1 SMS, then it never throws and answers a valid message or a reason', () => {
    assertMutations(fc.property(v1Case, mutations, (c, steps) => wellFormed(parseAmlSms(mutate(v1Text(c), steps), c.sender?.text ?? null))));
  }, TIMEOUT);
});

describe('parseAmlSms v2 properties', () => {
  it('given generated v2 SMS in any field order, with or without ml, then every value round-trips', () => {
    fc.assert(fc.property(v2Case, v2RoundTrips), { numRuns: RUNS });
  }, TIMEOUT);

  it('given mutated v2 SMS, then it never throws and answers a valid message or a reason', () => {
    assertMutations(fc.property(v2Case, mutations, (c, steps) => wellFormed(parseAmlSms(mutate(v2Text(c), steps), c.sender?.text ?? null))));
  }, TIMEOUT);

  it('given a declared length and any one character outside it removed, then it is refused', () => {
    fc.assert(fc.property(v2Case, fc.nat(), (c, at) => {
      const text = v2Text({ ...c, mlAt: c.mlAt ?? 0 });
      // Removing part of "ml=N" itself (or the ; before it) removes the declaration, not the check.
      const ml = /;ml=\d+/.exec(text)!;
      const kept = [...text.slice(0, ml.index), ...text.slice(ml.index + ml[0].length)];
      const i = at % kept.length;
      const cut = i < ml.index ? i : i + ml[0].length;
      return !parseAmlSms(`${text.slice(0, cut)}${text.slice(cut + 1)}`, null).ok;
    }), { numRuns: 2_000 });
  }, TIMEOUT);
});

describe('verifyAmlHmac properties', () => {
  const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 32 });
  const sign = (body: string, secret: string): string => createHmac('sha1', secret).update(body, 'utf8').digest('hex');

  it('given generated bodies signed with a key, then they are valid in either hex case and invalid under another key', () => {
    fc.assert(fc.property(httpsCase, key, key, fc.boolean(), (c, secret, other, upper) => {
      const body = httpsBody(c);
      const hex = sign(body, secret);
      const signed = `${body}&hmac=${upper ? hex.toUpperCase() : hex}`;
      return verifyAmlHmac(signed, secret) === 'valid' && (other === secret || verifyAmlHmac(signed, other) === 'invalid');
    }), { numRuns: RUNS });
  }, TIMEOUT);

  it('given a signed body whose signed part is mutated, then it is never valid', () => {
    fc.assert(fc.property(httpsCase, key, mutations, (c, secret, steps) => {
      const body = httpsBody(c);
      const changed = mutate(body, steps);
      const verdict = verifyAmlHmac(`${changed}&hmac=${sign(body, secret)}`, secret);
      return changed === body ? verdict === 'valid' : verdict === 'invalid';
    }), { numRuns: RUNS });
  }, TIMEOUT);

  it('given a mutated signature or a mutated whole message, then it never throws and is valid only for the true hex', () => {
    fc.assert(fc.property(httpsCase, key, mutations, fc.boolean(), (c, secret, steps, whole) => {
      const body = httpsBody(c);
      const hex = sign(body, secret);
      if (whole) return ['valid', 'missing', 'invalid'].includes(verifyAmlHmac(mutate(`${body}&hmac=${hex}`, steps), secret));
      const given = mutate(hex, steps);
      fc.pre(!given.includes('&hmac='));
      const verdict = verifyAmlHmac(`${body}&hmac=${given}`, secret);
      const expected = given.trim() === '' ? 'missing' : given.trim().toLowerCase() === hex ? 'valid' : 'invalid';
      return verdict === expected;
    }), { numRuns: RUNS });
  }, TIMEOUT);
});

describe('property generators', () => {
  it('given the generators, then they produce the cases the properties rely on (a property that cannot fail is a defect)', () => {
    const samples = fc.sample(v1Case, 200);
    expect(samples.some((c) => c.mlAt !== null) && samples.some((c) => c.mlAt === null)).toBe(true);
    expect(fc.sample(httpsCase, 200).some((c) => c.fixedAt !== null && c.fixedAt.text.length === 10)).toBe(true);
  });
});
