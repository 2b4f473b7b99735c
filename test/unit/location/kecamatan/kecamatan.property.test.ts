import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KECAMATAN_NAMES, loadShippedKecamatan, parseKecamatanGeoJson } from '../../../../src/location/kecamatan/kecamatan-map.js';
import { KOTA_BEKASI_KECAMATAN_GEOJSON } from '../../../../src/location/kecamatan/kota-bekasi-kecamatan.js';

const SHIPPED_TEXT = JSON.stringify(KOTA_BEKASI_KECAMATAN_GEOJSON);
const map = loadShippedKecamatan();

/** A refusal is a reason someone can read; an acceptance is a whole map that answers. */
function expectVerdict(input: unknown): void {
  const result = parseKecamatanGeoJson(input);
  if (result.ok) {
    expect(result.value.names).toEqual(KECAMATAN_NAMES);
    expect(() => result.value.kecamatanAt(-6.25, 106.99)).not.toThrow();
  } else {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -1e308, 0, 181, -91),
  fc.integer(), fc.string({ maxLength: 6 }), fc.constantFrom(null, undefined, true, [], {}),
  fc.array(fc.double(), { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }),
);

type Doc = Record<string, unknown>;
/** The value as an object to write into, if it is one (mutations run on whatever came before). */
const obj = (value: unknown): Doc | undefined => (typeof value === 'object' && value !== null ? value as Doc : undefined);
const featuresOf = (doc: Doc): unknown[] => (Array.isArray(doc.features) ? doc.features as unknown[] : []);
const pick = <T>(items: T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);
/** The ring `r` of feature `i`, when the mutations so far left one there. */
function ringOf(doc: Doc, i: number, r: number): unknown[] | undefined {
  const rings = obj(obj(pick(featuresOf(doc), i))?.geometry)?.coordinates;
  const ring: unknown = Array.isArray(rings) ? pick(rings as unknown[], r) : undefined;
  return Array.isArray(ring) ? ring : undefined;
}

/** Each mutation changes the document in place and never throws itself, whatever came before. */
const mutation: fc.Arbitrary<(doc: Doc) => void> = fc.oneof(
  fc.nat().map((i) => (doc: Doc) => { featuresOf(doc).splice(i % Math.max(1, featuresOf(doc).length), 1); }),
  fc.nat().map((i) => (doc: Doc) => { const f = pick(featuresOf(doc), i); if (f !== undefined) featuresOf(doc).push(structuredClone(f)); }),
  fc.nat().map((i) => (doc: Doc) => { const fs = featuresOf(doc); fs.push(...fs.splice(0, i % Math.max(1, fs.length))); }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...KECAMATAN_NAMES, 'BANTAR GEBANG', 'Tambun', ''), fc.string(), junk)).map(([i, name]) => (doc: Doc) => {
    const properties = obj(obj(pick(featuresOf(doc), i))?.properties);
    if (properties) properties.name = name;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(2), junk).map(([i, r, p, k, value]) => (doc: Doc) => {
    const position = pick(ringOf(doc, i, r) ?? [], p);
    if (Array.isArray(position)) position[k] = value;
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true })).map(([i, r, p, dx, dy]) => (doc: Doc) => {
    // A small move keeps numbers valid but can fold a ring over itself.
    const position = pick(ringOf(doc, i, r) ?? [], p);
    if (Array.isArray(position) && typeof position[0] === 'number' && typeof position[1] === 'number') {
      position[0] += dx;
      position[1] += dy;
    }
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([i, r, p]) => (doc: Doc) => { const ring = ringOf(doc, i, r); ring?.splice(p % Math.max(1, ring.length), 1); }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([i, r, p]) => (doc: Doc) => { const ring = ringOf(doc, i, r); if (ring) ring.splice(p % Math.max(1, ring.length), 0, structuredClone(pick(ring, p + 3))); }),
  fc.nat().map((i) => (doc: Doc) => {
    const ring = ringOf(doc, i, 0);
    ring?.forEach((position) => { if (Array.isArray(position)) position.reverse(); });
  }),
  fc.tuple(fc.nat(), fc.constantFrom('Point', 'LineString', 'MultiPolygon', 'polygon', 'GeometryCollection')).map(([i, type]) => (doc: Doc) => {
    const geometry = obj(obj(pick(featuresOf(doc), i))?.geometry);
    if (geometry) geometry.type = type;
  }),
  fc.tuple(fc.nat(), fc.constantFrom('geometry', 'properties', 'type'), junk).map(([i, key, value]) => (doc: Doc) => {
    const feature = obj(pick(featuresOf(doc), i));
    if (feature) feature[key] = value;
  }),
  fc.tuple(fc.nat(), junk).map(([i, value]) => (doc: Doc) => { const fs = featuresOf(doc); if (fs.length > 0) fs[i % fs.length] = value; }),
  fc.tuple(fc.constantFrom('type', 'features'), junk).map(([key, value]) => (doc: Doc) => { doc[key] = value; }),
);

describe('parseKecamatanGeoJson on generated and mutated uploads', () => {
  it('given 10,000 mutations of the shipped collection, then every verdict is an acceptance or a reason, never a throw', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      const doc = JSON.parse(SHIPPED_TEXT) as Doc;
      for (const mutate of mutations) mutate(doc);
      expectVerdict(doc);
    }), { numRuns: 10_000 });
  }, 60_000);

  it('given 10,000 truncated or corrupted JSON texts, then JSON.parse fails or the parser gives a verdict', () => {
    const corrupted = fc.oneof(
      fc.nat({ max: SHIPPED_TEXT.length }).map((n) => SHIPPED_TEXT.slice(0, n)),
      fc.tuple(fc.nat({ max: SHIPPED_TEXT.length }), fc.constantFrom('', '"', ',', ']', '[', '}', '0', '-', 'e9', 'null', 'NaN')).map(([n, s]) => SHIPPED_TEXT.slice(0, n) + s + SHIPPED_TEXT.slice(n + 1)),
    );
    fc.assert(fc.property(corrupted, (text) => {
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        return;
      }
      expectVerdict(input);
    }), { numRuns: 10_000 });
  }, 60_000);

  it('given arbitrary values, then the parser gives a verdict', () => {
    fc.assert(fc.property(fc.anything(), (input) => { expectVerdict(input); }), { numRuns: 2_000 });
  }, 60_000);
});

describe('kecamatan lookups on random points', () => {
  const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0));
  const nearBekasi = fc.tuple(fc.double({ min: -6.45, max: -6.1, noNaN: true }), fc.double({ min: 106.85, max: 107.1, noNaN: true }));

  it('given any numbers as a point and radius, then lookups answer with kecamatan names and never throw', () => {
    fc.assert(fc.property(anyNumber, anyNumber, fc.option(anyNumber), (lat, lon, radius) => {
      const at = map.kecamatanAt(lat, lon);
      expect(at === null || KECAMATAN_NAMES.includes(at)).toBe(true);
      const within = map.kecamatanWithin(lat, lon, radius);
      expect(within.every((name) => KECAMATAN_NAMES.includes(name))).toBe(true);
    }), { numRuns: 10_000 });
  }, 60_000);

  it('given points around Kota Bekasi, then the kecamatan containing a point is within any circle around it, and a bigger circle loses none', () => {
    fc.assert(fc.property(nearBekasi, fc.double({ min: 1, max: 20_000, noNaN: true }), fc.double({ min: 1, max: 3, noNaN: true }), ([lat, lon], radius, factor) => {
      const at = map.kecamatanAt(lat, lon);
      const small = map.kecamatanWithin(lat, lon, radius);
      if (at !== null) expect(small).toContain(at);
      const big = map.kecamatanWithin(lat, lon, radius * factor);
      expect(big).toEqual(expect.arrayContaining(small));
      expect(small).toEqual([...small].sort());
    }), { numRuns: 5_000 });
  }, 60_000);
});
