import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixReadingSchema, type CivicAddress, type FixReading, type PositioningMethod } from '../../../../src/geo/fix.js';
import { parsePidfLo } from '../../../../src/location/pidf/pidf-lo.js';

/** Generated valid documents, then as many mutated ones: 10,000 inputs for parsePidfLo in all. */
export const PIDF_LO_VALID_RUNS = 5_000;
export const PIDF_LO_MUTATED_RUNS = 5_000;

const NS = {
  gp: 'urn:ietf:params:xml:ns:pidf:geopriv10', gml: 'http://www.opengis.net/gml', gs: 'http://www.opengis.net/pidflo/1.0',
  ca: 'urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr', con: 'urn:ietf:params:xml:ns:geopriv:conf', dm: 'urn:ietf:params:xml:ns:pidf:data-model',
} as const;
type Prefixes = Record<keyof typeof NS, string>;

const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** A double as the generator means it: -0 is written "0" and read back as 0. */
const plain = (value: number): number => (Object.is(value, -0) ? 0 : value);

const prefix = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((p) => !p.startsWith('xml'));
const prefixes: fc.Arbitrary<Prefixes> = fc.uniqueArray(prefix, { minLength: 6, maxLength: 6 })
  .map(([gp = 'gp', gml = 'gml', gs = 'gs', ca = 'ca', con = 'con', dm = 'dm']) => ({ gp, gml, gs, ca, con, dm }));
const latitude = fc.double({ min: -90, max: 90, noNaN: true }).map(plain);
const longitude = fc.double({ min: -180, max: 180, noNaN: true }).map(plain);
const metres = fc.double({ min: 0, max: 1e6, noNaN: true }).map(plain);
const pad = fc.constantFrom('', ' ', '\n  ', '\t');

/** The test's own haversine (mean Earth radius), so the parser's is checked, not reused. */
function haversine(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b[0] - a[0]) * rad) / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

interface Shape { xml: (p: Prefixes) => string; expected: Partial<FixReading> }

const point: fc.Arbitrary<Shape> = fc.tuple(latitude, longitude, fc.option(fc.double({ min: -500, max: 9000, noNaN: true }).map(plain)), pad).map(([lat, lon, alt, space]) => ({
  xml: (p) => `<${p.gml}:Point srsName="urn:ogc:def:crs:EPSG::${alt === null ? 4326 : 4979}"><${p.gml}:pos>${space}${lat} ${lon}${alt === null ? '' : ` ${alt}`}${space}</${p.gml}:pos></${p.gml}:Point>`,
  expected: { shape: 'point', latitude: lat, longitude: lon, altitudeM: alt },
}));

const length = (p: Prefixes, name: string, value: number): string => `<${p.gs}:${name} uom="urn:ogc:def:uom:EPSG::9001">${value}</${p.gs}:${name}>`;

const circle: fc.Arbitrary<Shape> = fc.tuple(latitude, longitude, metres).map(([lat, lon, radius]) => ({
  xml: (p) => `<${p.gs}:Circle srsName="urn:ogc:def:crs:EPSG::4326"><${p.gml}:pos>${lat} ${lon}</${p.gml}:pos>${length(p, 'radius', radius)}</${p.gs}:Circle>`,
  expected: { shape: 'circle', latitude: lat, longitude: lon, accuracyM: radius },
}));

const ellipse: fc.Arbitrary<Shape> = fc.tuple(latitude, longitude, metres, metres, fc.double({ min: 0, max: 360, noNaN: true }).map(plain)).map(([lat, lon, minor, extra, orientation]) => {
  const major = minor + extra;
  return {
    xml: (p) => `<${p.gs}:Ellipse srsName="urn:ogc:def:crs:EPSG::4326"><${p.gml}:pos>${lat} ${lon}</${p.gml}:pos>${length(p, 'semiMajorAxis', major)}${length(p, 'semiMinorAxis', minor)}`
      + `<${p.gs}:orientation uom="urn:ogc:def:uom:EPSG::9102">${orientation}</${p.gs}:orientation></${p.gs}:Ellipse>`,
    expected: { shape: 'ellipse', latitude: lat, longitude: lon, accuracyM: major, ellipse: { semiMajorM: major, semiMinorM: minor, orientationDeg: orientation } },
  };
});

/** Distinct vertices on a small grid around a centre away from the poles and the antimeridian. */
const polygon: fc.Arbitrary<Shape> = fc.tuple(
  fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -170, max: 170, noNaN: true }),
  fc.uniqueArray(fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 })), { minLength: 3, maxLength: 8, selector: ([a, b]) => `${a} ${b}` }),
  fc.boolean(), fc.boolean(),
).map(([lat0, lon0, steps, closed, asPosList]) => {
  const vertices = steps.map(([i, j]): [number, number] => [lat0 + i * 1e-3, lon0 + j * 1e-3]);
  const ring = closed ? [...vertices, vertices[0]!] : vertices;
  const mean = (k: 0 | 1): number => vertices.reduce((sum, v) => sum + v[k], 0) / vertices.length;
  const farthest = Math.max(...vertices.map((v) => haversine([mean(0), mean(1)], v)));
  return {
    xml: (p) => `<${p.gml}:Polygon srsName="urn:ogc:def:crs:EPSG::4326"><${p.gml}:exterior><${p.gml}:LinearRing>${asPosList
      ? `<${p.gml}:posList>${ring.map(([a, b]) => `${a} ${b}`).join(' ')}</${p.gml}:posList>`
      : ring.map(([a, b]) => `<${p.gml}:pos>${a} ${b}</${p.gml}:pos>`).join('')}</${p.gml}:LinearRing></${p.gml}:exterior></${p.gml}:Polygon>`,
    expected: {
      shape: 'polygon', latitude: expect.closeTo(mean(0), 9) as unknown as number, longitude: expect.closeTo(mean(1), 9) as unknown as number,
      accuracyM: expect.closeTo(farthest, 3) as unknown as number, polygon: [...vertices, vertices[0]!],
    },
  };
});

const civicText = (max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-/&<>"\'éñ中'.split('')), maxLength: max });
const civic: fc.Arbitrary<CivicAddress> = fc.record({
  country: fc.constantFrom('ID', 'SG', 'MY', 'TL'), A1: civicText(40), A3: civicText(40), RD: civicText(60), HNO: civicText(10), NAM: civicText(40), PC: fc.stringMatching(/^\d{5}$/),
}, { requiredKeys: ['country'] });
const expectedCivic = (address: CivicAddress): CivicAddress =>
  Object.fromEntries(Object.entries(address).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== '')) as CivicAddress;
const civicXml = (p: Prefixes, address: CivicAddress): string =>
  `<${p.ca}:civicAddress xml:lang="id">${Object.entries(address).map(([k, v]) => `<${p.ca}:${k}>${xmlEscape(v)}</${p.ca}:${k}>`).join('')}</${p.ca}:civicAddress>`;

const METHODS: readonly (readonly [string, PositioningMethod])[] = [['GPS', 'gnss'], ['A-GPS', 'gnss'], ['Cell', 'cell'], ['802.11', 'wifi'], ['Wiremap', 'manual'], ['DHCP', 'manual'], ['Manual', 'manual'], ['Hybrid_A-GPS', 'fused'], ['Derived', 'unknown']];

interface Info { shape: Shape | null; civic: CivicAddress | null; confidence: number | null }
const info: fc.Arbitrary<Info> = fc.record({
  shape: fc.option(fc.oneof(point, circle, ellipse, polygon)),
  civic: fc.option(civic),
  confidence: fc.option(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }).map(plain))),
}).filter((i) => i.shape !== null || i.civic !== null);

/** A timestamp written with a random UTC offset: the same instant whatever the offset. */
const timestamp = fc.tuple(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: -48, max: 56 })).map(([ms, quarters]) => {
  const offset = quarters * 15;
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${String(Math.trunc(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return { text: `${local}${zone}`, ms };
});

interface Holder { kind: 'tuple' | 'device' | 'person'; infos: Info[]; method: readonly [string, PositioningMethod] | null; stamp: { text: string; ms: number } | null }
const holder: fc.Arbitrary<Holder> = fc.record({
  kind: fc.constantFrom('tuple', 'device', 'person'), infos: fc.array(info, { minLength: 1, maxLength: 2 }),
  method: fc.option(fc.constantFrom(...METHODS)), stamp: fc.option(timestamp),
});

function holderXml(p: Prefixes, h: Holder, index: number): string {
  const infos = h.infos.map((i) => `<${p.gp}:location-info>${i.shape?.xml(p) ?? ''}${i.civic ? civicXml(p, i.civic) : ''}${i.confidence === null ? '' : `<${p.con}:confidence pdf="normal">${i.confidence}</${p.con}:confidence>`}</${p.gp}:location-info>`).join('');
  const geopriv = `<${p.gp}:geopriv>${infos}<${p.gp}:usage-rules/>${h.method ? `<${p.gp}:method>${h.method[0]}</${p.gp}:method>` : ''}</${p.gp}:geopriv>`;
  if (h.kind === 'tuple') return `<tuple id="t${index}"><status>${geopriv}</status>${h.stamp ? `<timestamp>${h.stamp.text}</timestamp>` : ''}</tuple>`;
  return `<${p.dm}:${h.kind} id="d${index}">${geopriv}${h.stamp ? `<${p.dm}:timestamp>${h.stamp.text}</${p.dm}:timestamp>` : ''}</${p.dm}:${h.kind}>`;
}

const document = fc.tuple(prefixes, fc.array(holder, { minLength: 1, maxLength: 2 })).map(([p, holders]) => {
  const declarations = (Object.keys(NS) as (keyof typeof NS)[]).map((k) => ` xmlns:${p[k]}="${NS[k]}"`).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf"${declarations} entity="pres:caller@example.com">${holders.map((h, i) => holderXml(p, h, i)).join('')}</presence>`;
  const expected = holders.flatMap((h) => h.infos.map((i): FixReading => ({
    source: 'sip-pidf', shape: 'civic', latitude: null, longitude: null, accuracyM: null, altitudeM: null, verticalAccuracyM: null, ellipse: null, polygon: null,
    ...i.shape?.expected,
    civic: i.civic && Object.keys(expectedCivic(i.civic)).length > 0 ? expectedCivic(i.civic) : null,
    confidencePct: i.confidence, method: h.method?.[1] ?? 'unknown', fixedAt: h.stamp?.ms ?? null,
  })));
  return { xml, expected };
});

/** Ways a sender (or an attacker) breaks a document. */
const mutation = (xml: string): fc.Arbitrary<string> => fc.oneof(
  fc.nat({ max: xml.length }).map((at) => xml.slice(0, at)),
  fc.tuple(fc.nat({ max: xml.length }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 })).map(([at, junk]) => xml.slice(0, at) + junk + xml.slice(at)),
  fc.tuple(fc.nat(), fc.constantFrom('NaN', '6,2', '1e999', '-', '', 'abc', '0x1F', '∞', '１２', '--1', '1.2.3', '200', '-91', '-1', ' ', 'Infinity')).map(([n, junk]) => {
    const numbers = [...xml.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)];
    const target = numbers[n % Math.max(1, numbers.length)];
    return target?.index === undefined ? xml : xml.slice(0, target.index) + junk + xml.slice(target.index + target[0].length);
  }),
  fc.tuple(fc.nat(), fc.constantFrom('Point', 'Circle', 'Polygon', 'Ellipse', 'civicAddress', 'location-info', 'geopriv', 'tuple', 'pos', 'posList', 'radius', 'Sphere', 'ArcBand', 'confidence', 'timestamp', 'presence')).map(([n, name]) => {
    const tags = [...xml.matchAll(/<\/?(?:[\w.-]+:)?([\w.-]+)/g)];
    const target = tags[n % Math.max(1, tags.length)];
    if (target?.index === undefined) return xml;
    const start = target.index + target[0].length - (target[1]?.length ?? 0);
    return xml.slice(0, start) + name + xml.slice(target.index + target[0].length);
  }),
  fc.tuple(fc.nat({ max: xml.length }), fc.nat({ max: xml.length })).map(([a, b]) => xml.slice(0, Math.min(a, b)) + xml.slice(Math.min(a, b), Math.max(a, b)).repeat(2) + xml.slice(Math.max(a, b))),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((junk) => `<presence>${junk}</presence>`),
);

/** Verdicts seen, so the mutation property shows it exercised both outcomes. */
const verdicts = { accepted: 0, refused: 0 };

function expectVerdict(xml: string): void {
  const result = parsePidfLo(xml, 'sip-pidf');
  verdicts[result.ok ? 'accepted' : 'refused'] += 1;
  if (result.ok) {
    expect(result.value.length).toBeGreaterThan(0);
    for (const reading of result.value) expect(fixReadingSchema.safeParse(reading).success).toBe(true);
  } else {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
    expect(result.reason.length).toBeLessThan(300);
  }
}

describe('parsePidfLo properties', () => {
  it('given generated PIDF-LO documents of every shape, prefix and holder, then the readings are exactly the generated values', () => {
    fc.assert(fc.property(document, ({ xml, expected }) => {
      const result = parsePidfLo(xml, 'sip-pidf');
      if (!result.ok) throw new Error(`${result.reason}\n${xml}`);
      expect(result.value).toEqual(expected);
    }), { numRuns: PIDF_LO_VALID_RUNS });
  }, 60_000);

  it('given mutated documents (truncated, junk inserted, numbers replaced, tags swapped, chunks repeated, random unicode), then it never throws and always gives a verdict', () => {
    fc.assert(fc.property(document.chain(({ xml }) => mutation(xml)), (xml) => {
      expectVerdict(xml);
    }), { numRuns: PIDF_LO_MUTATED_RUNS });
    expect(verdicts.accepted).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  }, 60_000);
});
