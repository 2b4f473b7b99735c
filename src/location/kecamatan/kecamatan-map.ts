import { z } from 'zod';
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanValid } from '@turf/boolean-valid';
import { circle } from '@turf/circle';
import { ok, refused, type ParseResult } from '../../geo/fix.js';
import { KOTA_BEKASI_KECAMATAN_GEOJSON } from './kota-bekasi-kecamatan.js';
import { firstCrossing } from './ring-crossings.js';

/** The twelve kecamatan of Kota Bekasi, in the order every list of them is sorted. */
export const KECAMATAN_NAMES = [
  'Bantargebang', 'Bekasi Barat', 'Bekasi Selatan', 'Bekasi Timur', 'Bekasi Utara', 'Jatiasih',
  'Jatisampurna', 'Medan Satria', 'Mustika Jaya', 'Pondok Gede', 'Pondok Melati', 'Rawalumbu',
] as const;
export const kecamatanNameSchema = z.enum(KECAMATAN_NAMES);
export type KecamatanName = z.infer<typeof kecamatanNameSchema>;

/** What operators see for a point no kecamatan contains. */
export const OUTSIDE_KOTA_BEKASI = 'outside Kota Bekasi';

/** Callers refuse a larger upload body before JSON.parse; official boundaries fit well within. */
export const MAX_KECAMATAN_GEOJSON_BYTES = 2_000_000;
/** Positions over all features: bounds validation and lookup cost whatever the body size limit. */
export const MAX_KECAMATAN_POSITIONS = 200_000;
/**
 * @turf/boolean-valid tests every vertex against every segment (quadratic: 12 features of 4,000
 * positions held the event loop ~2 s, long enough for the guardian to give up on us). Our own
 * crossing check covers every ring; boolean-valid's extra spike test runs on small features only.
 */
const BOOLEAN_VALID_MAX_POSITIONS = 1_000;
/** A fix vaguer than this says nothing about the kecamatan (the city is ~25 km across). */
const MAX_CIRCLE_RADIUS_M = 100_000;
const CIRCLE_STEPS = 32;

const positionSchema = z.array(z.number(), { error: 'a position must be an array of numbers' })
  .min(2, 'a position needs [longitude, latitude]').max(3, 'a position has at most [longitude, latitude, altitude]');
const polygonCoordinatesSchema = z.array(z.array(positionSchema)).min(1, 'a polygon needs an outer ring');
/** Foreign members (a stale "bbox" above all, which turf would trust) are stripped. */
export const kecamatanGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: polygonCoordinatesSchema }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygonCoordinatesSchema).min(1, 'a MultiPolygon needs a polygon') }),
], { error: 'must be a Polygon or a MultiPolygon' });
export const kecamatanFeatureSchema = z.object({
  type: z.literal('Feature', { error: 'must be "Feature"' }),
  properties: z.object({ name: z.string({ error: 'must be a string' }).max(100) }, { error: 'must be an object with a name' }).loose(),
  geometry: kecamatanGeometrySchema,
}).loose();
export const kecamatanCollectionSchema = z.object({
  type: z.literal('FeatureCollection', { error: 'must be "FeatureCollection"' }),
  features: z.array(z.unknown(), { error: 'must be an array' }).max(100, 'more than 100 features'),
}, { error: 'expected a JSON object' }).loose();
type KecamatanGeometry = z.infer<typeof kecamatanGeometrySchema>;
type PolygonCoordinates = z.infer<typeof polygonCoordinatesSchema>;
type Bbox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** Which kecamatan a point, or a fix's uncertainty circle, falls in. */
export interface KecamatanMap {
  readonly names: readonly KecamatanName[];
  /** The kecamatan containing the point (a point on a shared boundary: the first by name), or null outside Kota Bekasi. */
  kecamatanAt(lat: number, lon: number): KecamatanName | null;
  /**
   * Every kecamatan the circle of `radiusM` metres around the point touches, sorted by name; a
   * null, zero or non-finite radius asks for the point only. Radii above 100 km are cut to 100 km.
   */
  kecamatanWithin(lat: number, lon: number, radiusM: number | null): KecamatanName[];
}

interface Entry { name: KecamatanName; geometry: KecamatanGeometry; bbox: Bbox }

const squash = (name: string) => name.replace(/\s+/g, '').toLowerCase();
const BY_SQUASHED = new Map<string, KecamatanName>(KECAMATAN_NAMES.map((name) => [squash(name), name]));

/**
 * An official file spells names its own way ("BANTAR GEBANG", "Pondokgede"), so names match
 * ignoring case and spaces; anything else is refused rather than guessed.
 */
function canonicalName(name: string): KecamatanName | undefined {
  return BY_SQUASHED.get(squash(name));
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function countArrays(value: unknown, depth: number): number {
  if (!Array.isArray(value)) return 0;
  if (depth === 0) return 1;
  let n = 0;
  for (const item of value) n += countArrays(item, depth - 1);
  return n;
}

/** Counted before zod walks anything, so an oversized upload costs one cheap pass. */
function countPositions(features: unknown[]): number {
  let n = 0;
  for (const feature of features) {
    const geometry = field(feature, 'geometry');
    const depth = field(geometry, 'type') === 'MultiPolygon' ? 3 : 2;
    n += countArrays(field(geometry, 'coordinates'), depth);
  }
  return n;
}

function featureLabel(feature: unknown, index: number): string {
  const name = field(field(feature, 'properties'), 'name');
  return typeof name === 'string' ? `feature ${index} (${name.slice(0, 100)})` : `feature ${index}`;
}

const partsOf = (geometry: KecamatanGeometry): PolygonCoordinates[] =>
  geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;

/** "ring 0 position 5" (or "polygon 1 ring 0 position 5") from a zod issue path. */
function describePath(path: readonly PropertyKey[], multi: boolean): string {
  const at = path.indexOf('coordinates');
  if (at < 0) return path.map(String).join('.');
  const [a, b, c] = path.slice(at + 1).map(String);
  const parts = multi ? [['polygon', a], ['ring', b], ['position', c]] : [['ring', a], ['position', b]];
  const words = parts.filter(([, v]) => v !== undefined).map(([word, v]) => `${word} ${v}`);
  return words.length > 0 ? words.join(' ') : 'coordinates';
}

function describeIssue(issue: z.core.$ZodIssue | undefined, multi: boolean): string {
  if (!issue) return 'invalid';
  const where = describePath(issue.path, multi);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** The first thing wrong with one ring, ring by ring, in the words an admin fixes it by. */
function ringProblem(ring: number[][]): string | null {
  if (ring.length < 4) return `has ${ring.length} positions; a closed ring needs at least 4`;
  for (const [p, position] of ring.entries()) {
    const [lon = NaN, lat = NaN] = position;
    if (lon < -180 || lon > 180) return `position ${p}: longitude ${lon} is out of range [-180, 180]`;
    if (lat < -90 || lat > 90) return `position ${p}: latitude ${lat} is out of range [-90, 90] (GeoJSON is [longitude, latitude]: swapped?)`;
    const prev = ring[p - 1];
    if (prev && prev[0] === lon && prev[1] === lat) return `position ${p} repeats position ${p - 1}`;
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return 'is not closed (its last position must equal its first)';
  return null;
}

function geometryProblem(geometry: KecamatanGeometry): string | null {
  const multi = geometry.type === 'MultiPolygon';
  let positions = 0;
  for (const [k, rings] of partsOf(geometry).entries()) {
    const polygonWord = multi ? `polygon ${k} ` : '';
    for (const [r, ring] of rings.entries()) {
      const problem = ringProblem(ring);
      if (problem) return `${polygonWord}ring ${r} ${problem}`;
      positions += ring.length;
    }
    // boolean-valid passes a bowtie: it looks for spikes, not for crossing edges.
    const crossing = firstCrossing(rings);
    if (crossing) return `${polygonWord}${crossing}`;
  }
  if (positions <= BOOLEAN_VALID_MAX_POSITIONS && !booleanValid({ type: 'Feature', properties: {}, geometry })) {
    return 'is not a valid polygon (@turf/boolean-valid: a spike, or polygons crossing each other)';
  }
  return null;
}

function bboxOf(coordinates: Iterable<number[]>): Bbox {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon = NaN, lat = NaN] of coordinates) {
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
  }
  return [minLon, minLat, maxLon, maxLat];
}

const bboxesMeet = (a: Bbox, b: Bbox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/*
 * The bounding box turns most lookups into four comparisons per kecamatan; a point inside one or
 * two boxes then costs a ray test over ~10 edges (shipped map) or a few thousand (official one).
 * Measured roughly on the shipped map (Node 20, one core): ~1 µs per kecamatanAt, ~25 µs per
 * kecamatanWithin (the 32-step circle is most of it).
 */
function buildMap(entries: Entry[]): KecamatanMap {
  const sorted = [...entries].sort((a, b) => KECAMATAN_NAMES.indexOf(a.name) - KECAMATAN_NAMES.indexOf(b.name));
  const kecamatanAt = (lat: number, lon: number): KecamatanName | null => {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    const point = [lon, lat];
    for (const entry of sorted) {
      const [minLon, minLat, maxLon, maxLat] = entry.bbox;
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
      if (booleanPointInPolygon(point, entry.geometry)) return entry.name;
    }
    return null;
  };
  const kecamatanWithin = (lat: number, lon: number, radiusM: number | null): KecamatanName[] => {
    if (radiusM === null || !Number.isFinite(radiusM) || radiusM <= 0) {
      const name = kecamatanAt(lat, lon);
      return name === null ? [] : [name];
    }
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return [];
    const area = circle([lon, lat], Math.min(radiusM, MAX_CIRCLE_RADIUS_M), { steps: CIRCLE_STEPS, units: 'meters' });
    const areaBbox = bboxOf(area.geometry.coordinates[0] ?? []);
    return sorted.filter((entry) => bboxesMeet(areaBbox, entry.bbox) && booleanIntersects(area, entry.geometry)).map((e) => e.name);
  };
  return { names: sorted.map((e) => e.name), kecamatanAt, kecamatanWithin };
}

/**
 * Checks an admin's kecamatan upload (already JSON-parsed, body at most
 * MAX_KECAMATAN_GEOJSON_BYTES): a FeatureCollection of the 12 kecamatan of Kota Bekasi, each
 * once, as Polygon or MultiPolygon in [longitude, latitude], every ring closed, at least 4
 * positions, not crossing itself or another ring. Features are numbered from 0 as in the file.
 * Never throws: a refusal names the feature and what to fix.
 */
export function parseKecamatanGeoJson(input: unknown): ParseResult<KecamatanMap> {
  const collection = kecamatanCollectionSchema.safeParse(input);
  if (!collection.success) return refused(`not a GeoJSON FeatureCollection: ${describeIssue(collection.error.issues[0], false)}`);
  const raw = collection.data.features;
  const positions = countPositions(raw);
  if (positions > MAX_KECAMATAN_POSITIONS) {
    return refused(`${positions} positions, more than ${MAX_KECAMATAN_POSITIONS}: simplify the boundaries first`);
  }
  const entries: Entry[] = [];
  const seenAt = new Map<KecamatanName, number>();
  for (const [i, item] of raw.entries()) {
    const label = featureLabel(item, i);
    const feature = kecamatanFeatureSchema.safeParse(item);
    if (!feature.success) return refused(`${label}: ${describeIssue(feature.error.issues[0], field(field(item, 'geometry'), 'type') === 'MultiPolygon')}`);
    const name = canonicalName(feature.data.properties.name);
    if (name === undefined) return refused(`${label}: not a kecamatan of Kota Bekasi; expected one of ${KECAMATAN_NAMES.join(', ')}`);
    const earlier = seenAt.get(name);
    if (earlier !== undefined) return refused(`${label}: ${name} again (already feature ${earlier})`);
    seenAt.set(name, i);
    entries.push({ name, geometry: feature.data.geometry, bbox: bboxOf(partsOf(feature.data.geometry).flat(2)) });
  }
  const missing = KECAMATAN_NAMES.filter((name) => !seenAt.has(name));
  if (missing.length > 0) return refused(`expected the 12 kecamatan of Kota Bekasi, each once; missing ${missing.join(', ')}`);
  for (const entry of entries) {
    const problem = geometryProblem(entry.geometry);
    if (problem) return refused(`feature ${seenAt.get(entry.name)} (${entry.name}): ${problem}`);
  }
  return ok(buildMap(entries));
}

/**
 * The approximate map shipped with siaga112 (see kota-bekasi-kecamatan.geojson's note), until
 * an admin uploads official boundaries. Parse it once at start-up and keep it. Throws only if the
 * shipped data itself is broken, which its unit test rules out.
 */
export function loadShippedKecamatan(): KecamatanMap {
  const parsed = parseKecamatanGeoJson(KOTA_BEKASI_KECAMATAN_GEOJSON);
  if (!parsed.ok) throw new Error(`shipped kecamatan map is invalid: ${parsed.reason}`);
  return parsed.value;
}
