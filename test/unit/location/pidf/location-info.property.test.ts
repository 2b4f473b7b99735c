import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixReadingSchema, type CivicAddress, type FixReading, type PositioningMethod } from '../../../../src/geo/fix.js';
import { readingFromProfile, type GeolocProfile, type ProfileLocation } from '../../../../src/location/pidf/location-info.js';

/** Generated valid profiles, then as many mutated ones: 20,000 inputs for readingFromProfile in all. */
export const PROFILE_VALID_RUNS = 10_000;
export const PROFILE_MUTATED_RUNS = 10_000;

const plain = (value: number): number => (Object.is(value, -0) ? 0 : value);
const latitude = fc.double({ min: -90, max: 90, noNaN: true }).map(plain);
const longitude = fc.double({ min: -180, max: 180, noNaN: true }).map(plain);
const metres = fc.double({ min: 0, max: 1e6, noNaN: true }).map(plain);

/** The test's own haversine (mean Earth radius), so the parser's is checked, not reused. */
function haversine(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[0] - a[0]) * rad) / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

type Pair = readonly [string, string];
interface Generated { format: string; pairs: Pair[]; expected: ProfileLocation | { kind: 'reading'; reading: Partial<FixReading> } }

const reading = (shape: Partial<FixReading>): Generated['expected'] => ({ kind: 'reading', reading: shape });

const point = fc.tuple(latitude, longitude, fc.option(fc.double({ min: -500, max: 9000, noNaN: true }).map(plain))).map(([lat, lon, alt]): Generated => ({
  format: 'GML',
  pairs: [['shape', 'Point'], ['crs', alt === null ? '2d' : '3d'], ['pos', `${lat} ${lon}${alt === null ? '' : ` ${alt}`}`]],
  expected: reading({ shape: 'point', latitude: lat, longitude: lon, altitudeM: alt }),
}));

const circle = fc.tuple(latitude, longitude, metres).map(([lat, lon, radius]): Generated => ({
  format: 'gml', pairs: [['shape', 'Circle'], ['crs', '2d'], ['pos', `${lat} ${lon}`], ['radius', String(radius)]],
  expected: reading({ shape: 'circle', latitude: lat, longitude: lon, accuracyM: radius }),
}));

const sphere = fc.tuple(latitude, longitude, fc.double({ min: -500, max: 9000, noNaN: true }).map(plain), metres).map(([lat, lon, alt, radius]): Generated => ({
  format: 'GML', pairs: [['shape', 'Sphere'], ['crs', '3d'], ['pos', `${lat} ${lon} ${alt}`], ['radius', String(radius)]],
  expected: reading({ shape: 'circle', latitude: lat, longitude: lon, altitudeM: alt, accuracyM: radius, verticalAccuracyM: radius }),
}));

const ellipse = fc.tuple(latitude, longitude, metres, metres, fc.double({ min: 0, max: 360, noNaN: true }).map(plain), fc.constantFrom('', ' degrees', ' radians'))
  .map(([lat, lon, minor, extra, orientation, label]): Generated => {
    const major = minor + extra;
    return {
      format: 'GML',
      pairs: [['shape', 'Ellipse'], ['crs', '2d'], ['pos', `${lat} ${lon}`], ['semiMajorAxis', String(major)], ['semiMinorAxis', String(minor)], ['orientation', `${orientation}${label}`]],
      expected: reading({ shape: 'ellipse', latitude: lat, longitude: lon, accuracyM: major, ellipse: { semiMajorM: major, semiMinorM: minor, orientationDeg: orientation } }),
    };
  });

const polygon = fc.tuple(
  fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -170, max: 170, noNaN: true }),
  fc.uniqueArray(fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 })), { minLength: 3, maxLength: 8, selector: ([a, b]) => `${a} ${b}` }),
  fc.boolean(),
).map(([lat0, lon0, steps, asPosList]): Generated => {
  const vertices = steps.map(([i, j]): [number, number] => [lat0 + i * 1e-3, lon0 + j * 1e-3]);
  const mean = (k: 0 | 1): number => vertices.reduce((sum, v) => sum + v[k], 0) / vertices.length;
  const farthest = Math.max(...vertices.map((v) => haversine([mean(0), mean(1)], v)));
  const coordinates: Pair[] = asPosList ? [['posList', vertices.map(([a, b]) => `${a} ${b}`).join(' ')]] : vertices.map(([a, b]) => ['pos', `${a} ${b}`] as const);
  return {
    format: 'GML', pairs: [['shape', 'Polygon'], ['crs', '2d'], ...coordinates],
    expected: reading({
      shape: 'polygon', latitude: expect.closeTo(mean(0), 9) as unknown as number, longitude: expect.closeTo(mean(1), 9) as unknown as number,
      accuracyM: expect.closeTo(farthest, 3) as unknown as number, polygon: [...vertices, vertices[0]!],
    }),
  };
});

// No quote characters: Asterisk never escapes them, so a value holding one cannot be written.
const civicText = (max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-/&<>=éñ中'.split('')), minLength: 1, maxLength: max }).filter((t) => t.trim() !== '');
const civic = fc.tuple(
  fc.record({ country: fc.constantFrom('ID', 'SG', 'MY', 'TL'), A1: civicText(40), A3: civicText(40), RD: civicText(60), HNO: civicText(10), PC: fc.stringMatching(/^\d{5}$/) }, { requiredKeys: ['country'] }),
  fc.boolean(), fc.constantFrom('civicAddress', 'civicaddress', 'CIVICADDRESS'),
).map(([address, lang, format]): Generated => ({
  format,
  pairs: [...(lang ? [['lang', 'id'] as const] : []), ...Object.entries(address)],
  expected: reading({ shape: 'civic', latitude: null, longitude: null, civic: Object.fromEntries(Object.entries(address).map(([k, v]) => [k, v.trim()])) as CivicAddress }),
}));

const uri = fc.tuple(fc.constantFrom('https', 'http', 'sip'), fc.stringMatching(/^[a-z0-9]{1,12}$/)).map(([scheme, id]): Generated => {
  const location = scheme === 'sip' ? `sip:loc-${id}@lis.example.com` : `${scheme}://127.0.0.1:8443/loc/${id}`;
  return { format: 'URI', pairs: [['URI', location]], expected: { kind: 'reference', uri: location } };
});

const METHODS: readonly (readonly [string, PositioningMethod])[] = [['GPS', 'gnss'], ['A-GPS', 'gnss'], ['Cell', 'cell'], ['802.11', 'wifi'], ['Manual', 'manual'], ['Hybrid_A-GPS', 'fused'], ['', 'unknown']];
const space = fc.constantFrom('', '', ' ', '  ', '\t');

/** Pairs in a random order (repeated `pos` keep their own order: they are a polygon's ring), each quoted or not, with stray whitespace. */
function render(pairs: readonly Pair[]): fc.Arbitrary<string> {
  return fc.tuple(
    fc.shuffledSubarray([...pairs.keys()], { minLength: pairs.length, maxLength: pairs.length }),
    fc.array(fc.tuple(fc.constantFrom('"', "'", ''), space, space, space), { minLength: pairs.length, maxLength: pairs.length }),
  ).map(([order, styles]) => {
    const posValues = pairs.filter(([k]) => k === 'pos').map(([, v]) => v);
    let nextPos = 0;
    return order.map((index, i) => {
      const [key, original] = pairs[index]!;
      const value = key === 'pos' ? posValues[nextPos++]! : original;
      const [quote, s1, s2, s3] = styles[i]!;
      const q = quote === '' && (value.includes(',') || value !== value.trim()) ? '"' : quote;
      return `${s1}${key}${s2}=${s3}${q}${value}${q}${s1}`;
    }).join(',');
  });
}

const profile = fc.tuple(fc.oneof(point, circle, sphere, ellipse, polygon, civic, uri), fc.constantFrom(...METHODS), fc.option(fc.integer({ min: 0, max: 100 })))
  .chain(([generated, method, confidence]) => render(generated.pairs).map((locationInfo) => ({
    input: { format: generated.format, locationInfo, method: method[0], confidence: confidence === null ? null : `pdf="normal",value="${confidence}"` } satisfies GeolocProfile,
    expected: generated.expected.kind === 'reference' ? generated.expected : {
      kind: 'reading' as const,
      reading: {
        source: 'sip-pidf', shape: 'civic', latitude: null, longitude: null, accuracyM: null, altitudeM: null, verticalAccuracyM: null,
        ellipse: null, polygon: null, civic: null, fixedAt: null, ...generated.expected.reading, method: method[1], confidencePct: confidence,
      },
    },
  })));

const mutate = (text: string): fc.Arbitrary<string> => fc.oneof(
  fc.nat({ max: text.length }).map((at) => text.slice(0, at)),
  fc.tuple(fc.nat({ max: text.length }), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 })).map(([at, junk]) => text.slice(0, at) + junk + text.slice(at)),
  fc.tuple(fc.nat({ max: text.length }), fc.constantFrom('"', "'", ',', '=', ' ', ',,', '=""')).map(([at, junk]) => text.slice(0, at) + junk + text.slice(at)),
  fc.tuple(fc.nat(), fc.constantFrom('NaN', '6,2', '1e999', '-', '', 'abc', '0x1F', '∞', '-91', '-1', '400', 'Infinity')).map(([n, junk]) => {
    const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)];
    const target = numbers[n % Math.max(1, numbers.length)];
    return target?.index === undefined ? text : text.slice(0, target.index) + junk + text.slice(target.index + target[0].length);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('shape', 'crs', 'pos', 'posList', 'radius', 'URI', 'country', 'orientation', 'semiMajorAxis', 'HNO')).map(([n, key]) => {
    const keys = [...text.matchAll(/[A-Za-z][\w.-]*(?=\s*=)/g)];
    const target = keys[n % Math.max(1, keys.length)];
    return target?.index === undefined ? text : text.slice(0, target.index) + key + text.slice(target.index + target[0].length);
  }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
);

const mutatedProfile = profile.chain(({ input }) => fc.record({
  format: fc.oneof({ weight: 4, arbitrary: fc.constant(input.format) }, { weight: 1, arbitrary: fc.constantFrom('GML', 'civicAddress', 'URI', '', 'none', 'KML') }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
  locationInfo: mutate(input.locationInfo),
  method: fc.oneof(fc.constant(input.method), fc.string({ unit: 'grapheme', maxLength: 20 })),
  confidence: fc.oneof(fc.constant(input.confidence), fc.constant(null), fc.string({ maxLength: 30 }).map((v) => `value=${v}`)),
}));

const verdicts = { accepted: 0, refused: 0 };

describe('readingFromProfile properties', () => {
  it('given generated GEOLOC_PROFILE values (every shape, civic, URI, keys in any order, quoted or not), then the location is exactly the generated one', () => {
    fc.assert(fc.property(profile, ({ input, expected }) => {
      const result = readingFromProfile(input);
      if (!result.ok) throw new Error(`${result.reason}\n${input.locationInfo}`);
      expect(result.value).toEqual(expected);
    }), { numRuns: PROFILE_VALID_RUNS });
  }, 60_000);

  it('given mutated profile values, then it never throws and gives a schema-valid reading, a reference or a short reason', () => {
    fc.assert(fc.property(mutatedProfile, (input) => {
      const result = readingFromProfile(input);
      verdicts[result.ok ? 'accepted' : 'refused'] += 1;
      if (!result.ok) {
        expect(result.reason.length).toBeGreaterThan(0);
        expect(result.reason.length).toBeLessThan(300);
      } else if (result.value.kind === 'reading') {
        expect(fixReadingSchema.safeParse(result.value.reading).success).toBe(true);
      } else {
        expect(result.value.uri.length).toBeGreaterThan(0);
      }
    }), { numRuns: PROFILE_MUTATED_RUNS });
    expect(verdicts.accepted).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  }, 60_000);
});
