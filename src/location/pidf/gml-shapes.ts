import { ok, refused, type FixReading, type ParseResult } from '../../geo/fix.js';
import { distanceM } from '../../geo/distance.js';

/**
 * The GML shapes of RFC 5491 turned into the geometric part of a FixReading. Both ways a PIDF-LO
 * reaches us (the XML itself, or Asterisk's flattened location_info) describe a shape as a name,
 * a coordinate reference and a list of named values; both come through `buildShape`, so a value
 * refused on one path is refused, with the same reason, on the other.
 */

/** RFC 5491 lengths are in metres (EPSG 9001). */
export const METRES_UOM = 'urn:ogc:def:uom:EPSG::9001';
/** RFC 5491 angles are in degrees (EPSG 9102; 9101 would be radians). */
export const DEGREES_UOM = 'urn:ogc:def:uom:EPSG::9102';

/** One value inside a shape (`pos`, `posList`, `radius`...) with its unit, if it carries one. */
export interface ShapeEntry {
  readonly name: string;
  readonly text: string;
  readonly uom?: string | undefined;
}

/** A shape as written: its GML local name, its declared dimensions (null: not declared) and its values. */
export interface ShapeFields {
  readonly shape: string;
  readonly dimensions: 2 | 3 | null;
  readonly entries: readonly ShapeEntry[];
}

/** The geometric part of a reading. */
export type ShapeFix = Pick<FixReading, 'shape' | 'latitude' | 'longitude' | 'accuracyM' | 'altitudeM' | 'verticalAccuracyM' | 'ellipse' | 'polygon'>;

/** Shape names of RFC 5491, as GML spells them. */
export const GML_SHAPES = ['Point', 'Circle', 'Ellipse', 'Polygon', 'Sphere', 'Ellipsoid', 'ArcBand', 'Prism'] as const;
export type GmlShape = (typeof GML_SHAPES)[number];
const GML_SHAPE_SET: ReadonlySet<string> = new Set(GML_SHAPES);

/** Whether a local element name is one of the RFC 5491 shapes. */
export function isGmlShape(name: string): name is GmlShape {
  return GML_SHAPE_SET.has(name);
}

/** A value quoted for a reason: one line, cut short, so a hostile sender cannot flood the intake log. */
export function quoted(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `'${oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine}'`;
}

// Plain decimal notation only: no hex, no "Infinity", no thousands separators. A comma decimal
// ("6,2") is the usual mistake of a European-locale sender and gets its own reason.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

/** One number, strictly: `what` names it in the reason. */
export function parseDecimal(text: string, what: string): ParseResult<number> {
  const token = text.trim();
  if (token === '') return refused(`${what} is empty`);
  if (DECIMAL_COMMA.test(token)) return refused(`${what} has a decimal comma: got ${quoted(token)} (use '.')`);
  if (!DECIMAL.test(token)) return refused(`${what} must be a number: got ${quoted(token)}`);
  const value = Number(token);
  if (!Number.isFinite(value)) return refused(`${what} is not a finite number: got ${quoted(token)}`);
  return ok(value);
}

/** A whitespace-separated list of numbers; `expected` says what the list should be, for the reason. */
function parseNumberList(text: string, what: string, expected: string): ParseResult<number[]> {
  const tokens = text.trim().split(/\s+/).filter((token) => token !== '');
  if (tokens.length === 0) return refused(`${what} is empty`);
  const numbers: number[] = [];
  for (const token of tokens) {
    if (DECIMAL_COMMA.test(token)) return refused(`${what} has a decimal comma: got ${quoted(text)} (use '.')`);
    if (!DECIMAL.test(token)) return refused(`${what} must be ${expected}: got ${quoted(text)}`);
    const value = Number(token);
    if (!Number.isFinite(value)) return refused(`${what} holds a number out of range: got ${quoted(token)}`);
    numbers.push(value);
  }
  return ok(numbers);
}

interface Position {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude: number | null;
}

function positionOf(numbers: readonly number[], what: string): ParseResult<Position> {
  const [latitude = NaN, longitude = NaN, altitude] = numbers;
  if (!(latitude >= -90 && latitude <= 90)) return refused(`${what} latitude must be between -90 and 90: got ${latitude}`);
  if (!(longitude >= -180 && longitude <= 180)) return refused(`${what} longitude must be between -180 and 180: got ${longitude}`);
  return ok({ latitude, longitude, altitude: altitude ?? null });
}

const DIMENSION_WORDS = { 2: 'two numbers (2d)', 3: 'three numbers (3d)' } as const;

/** A `pos`: "lat lon" or "lat lon alt" (EPSG 4326 / 4979 order), checked against the declared dimensions. */
export function parsePos(text: string, dimensions: 2 | 3 | null, what = 'pos'): ParseResult<Position> {
  const expected = dimensions === null ? 'two or three numbers' : DIMENSION_WORDS[dimensions];
  const numbers = parseNumberList(text, what, expected);
  if (!numbers.ok) return numbers;
  const count = numbers.value.length;
  const fits = dimensions === null ? count === 2 || count === 3 : count === dimensions;
  if (!fits) return refused(`${what} must be ${expected}: got ${quoted(text)}`);
  return positionOf(numbers.value, what);
}

// Accepted spellings of the two coordinate systems RFC 5491 allows; "6.6" and friends are the
// versioned URNs older senders still emit.
const SRS_NAME = /^(?:urn:ogc:def:crs:EPSG:[\d.]*:|EPSG:|http:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/)(4326|4979)$/i;

/** Dimensions from a GML srsName: EPSG 4326 is 2d, 4979 is 3d, absent is undeclared; anything else is refused. */
export function dimensionsOfSrsName(srsName: string | undefined): ParseResult<2 | 3 | null> {
  if (srsName === undefined || srsName.trim() === '') return ok(null);
  const match = SRS_NAME.exec(srsName.trim());
  if (!match) return refused(`srsName must be EPSG 4326 or 4979: got ${quoted(srsName)}`);
  return ok(match[1] === '4979' ? 3 : 2);
}

/** Great-circle distance in metres between two [latitude, longitude] points (see geo/distance.ts). */
export function haversineM(a: readonly [number, number], b: readonly [number, number]): number {
  return distanceM({ latitude: a[0], longitude: a[1] }, { latitude: b[0], longitude: b[1] });
}

/**
 * The centroid of a polygon's distinct vertices as their plain average. An emergency polygon is a
 * few hundred metres across, where this is within metres of the area centroid. Longitudes are
 * first unwrapped around the first vertex so a ring across the antimeridian averages near ±180,
 * not near 0.
 */
export function vertexCentroid(vertices: readonly (readonly [number, number])[]): [number, number] {
  const reference = vertices[0]?.[1] ?? 0;
  let latitudeSum = 0;
  let longitudeSum = 0;
  for (const [latitude, longitude] of vertices) {
    latitudeSum += latitude;
    longitudeSum += longitude - reference > 180 ? longitude - 360 : reference - longitude > 180 ? longitude + 360 : longitude;
  }
  let longitude = longitudeSum / vertices.length;
  if (longitude > 180) longitude -= 360;
  if (longitude < -180) longitude += 360;
  return [latitudeSum / vertices.length, longitude];
}

/** The single entry of a name; a value given twice is ambiguous and refused. */
function single(fields: ShapeFields, name: string, label: string): ParseResult<ShapeEntry | undefined> {
  const found = fields.entries.filter((entry) => entry.name === name);
  if (found.length > 1) return refused(`${label} has ${found.length} ${name} values`);
  return ok(found[0]);
}

function required(fields: ShapeFields, name: string, label: string): ParseResult<ShapeEntry> {
  const entry = single(fields, name, label);
  if (!entry.ok) return entry;
  return entry.value ? ok(entry.value) : refused(`${label} has no ${name}`);
}

const sameUnit = (uom: string | undefined, expected: string): boolean => uom?.trim().toLowerCase() === expected.toLowerCase();

function lengthOf(fields: ShapeFields, name: string, label: string): ParseResult<number> {
  const entry = required(fields, name, label);
  if (!entry.ok) return entry;
  if (!sameUnit(entry.value.uom, METRES_UOM)) return refused(`${label} ${name} unit must be metres (${METRES_UOM})`);
  const value = parseDecimal(entry.value.text, `${label} ${name}`);
  if (!value.ok) return value;
  return value.value < 0 ? refused(`${label} ${name} must not be negative: got ${quoted(entry.value.text)}`) : value;
}

function orientationOf(fields: ShapeFields, label: string): ParseResult<number> {
  const entry = required(fields, 'orientation', label);
  if (!entry.ok) return entry;
  if (!sameUnit(entry.value.uom, DEGREES_UOM)) return refused(`${label} orientation unit must be degrees (${DEGREES_UOM})`);
  const value = parseDecimal(entry.value.text, `${label} orientation`);
  if (!value.ok) return value;
  return value.value < 0 || value.value > 360 ? refused(`${label} orientation must be 0 to 360 degrees: got ${quoted(entry.value.text)}`) : value;
}

function centreOf(fields: ShapeFields, label: string, dimensions: 2 | 3 | null): ParseResult<Position> {
  const entry = required(fields, 'pos', label);
  if (!entry.ok) return entry;
  return parsePos(entry.value.text, dimensions, 'pos');
}

const NO_SHAPE: Omit<ShapeFix, 'shape' | 'latitude' | 'longitude'> = { accuracyM: null, altitudeM: null, verticalAccuracyM: null, ellipse: null, polygon: null };

function ellipseOf(fields: ShapeFields, label: string): ParseResult<NonNullable<ShapeFix['ellipse']>> {
  const semiMajorM = lengthOf(fields, 'semiMajorAxis', label);
  if (!semiMajorM.ok) return semiMajorM;
  const semiMinorM = lengthOf(fields, 'semiMinorAxis', label);
  if (!semiMinorM.ok) return semiMinorM;
  if (semiMinorM.value > semiMajorM.value) return refused(`${label} semiMinorAxis must not exceed semiMajorAxis`);
  const orientationDeg = orientationOf(fields, label);
  if (!orientationDeg.ok) return orientationDeg;
  return ok({ semiMajorM: semiMajorM.value, semiMinorM: semiMinorM.value, orientationDeg: orientationDeg.value });
}

function polygonVertices(fields: ShapeFields): ParseResult<Position[]> {
  const dimensions = fields.dimensions ?? 2;
  const posList = single(fields, 'posList', 'polygon');
  if (!posList.ok) return posList;
  const posEntries = fields.entries.filter((entry) => entry.name === 'pos');
  if (posList.value && posEntries.length > 0) return refused('polygon has both posList and pos');
  if (!posList.value) {
    if (posEntries.length === 0) return refused('polygon has no posList or pos');
    const vertices: Position[] = [];
    for (const entry of posEntries) {
      const vertex = parsePos(entry.text, fields.dimensions, 'polygon pos');
      if (!vertex.ok) return vertex;
      vertices.push(vertex.value);
    }
    return ok(vertices);
  }
  const tuple = dimensions === 3 ? 'lat lon alt triples' : 'lat lon pairs';
  const numbers = parseNumberList(posList.value.text, 'polygon posList', `a list of ${tuple}`);
  if (!numbers.ok) return numbers;
  if (numbers.value.length % dimensions !== 0) return refused(`polygon posList must hold ${tuple}: got ${numbers.value.length} numbers`);
  const vertices: Position[] = [];
  for (let i = 0; i < numbers.value.length; i += dimensions) {
    const vertex = positionOf(numbers.value.slice(i, i + dimensions), 'polygon posList');
    if (!vertex.ok) return vertex;
    vertices.push(vertex.value);
  }
  return ok(vertices);
}

function polygonOf(fields: ShapeFields): ParseResult<ShapeFix> {
  const vertices = polygonVertices(fields);
  if (!vertices.ok) return vertices;
  const ring = vertices.value.map((vertex): [number, number] => [vertex.latitude, vertex.longitude]);
  const distinct = [...new Map(ring.map((pair) => [`${pair[0]} ${pair[1]}`, pair])).values()];
  if (distinct.length < 3) return refused(`polygon needs at least 3 distinct points: got ${distinct.length}`);
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  // An open ring is closed here rather than refused: senders forget the repeated first vertex.
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  const centre = vertexCentroid(distinct);
  const accuracyM = distinct.reduce((farthest, vertex) => Math.max(farthest, haversineM(centre, vertex)), 0);
  return ok({ ...NO_SHAPE, shape: 'polygon', latitude: centre[0], longitude: centre[1], accuracyM, polygon: closed });
}

/**
 * A shape's fix: the point is its centre (a polygon's vertex centroid) and the accuracy its
 * horizontal extent in metres. Sphere maps to a circle and Ellipsoid to an ellipse, both with
 * altitude and vertical uncertainty. ArcBand and Prism are refused: an arc band's centre is the
 * antenna, not the caller, and a prism is a building volume our fixes have no room for.
 */
export function buildShape(fields: ShapeFields): ParseResult<ShapeFix> {
  const label = fields.shape.toLowerCase();
  const threeD = fields.shape === 'Sphere' || fields.shape === 'Ellipsoid';
  if (threeD && fields.dimensions === 2) return refused(`${label} needs a 3d srsName (EPSG 4979)`);
  switch (fields.shape) {
    case 'Point':
    case 'Circle':
    case 'Ellipse':
    case 'Sphere':
    case 'Ellipsoid': {
      const centre = centreOf(fields, label, threeD ? 3 : fields.dimensions);
      if (!centre.ok) return centre;
      const at = { latitude: centre.value.latitude, longitude: centre.value.longitude, altitudeM: centre.value.altitude };
      if (fields.shape === 'Point') return ok({ ...NO_SHAPE, ...at, shape: 'point' });
      if (fields.shape === 'Circle' || fields.shape === 'Sphere') {
        const radius = lengthOf(fields, 'radius', label);
        if (!radius.ok) return radius;
        return ok({ ...NO_SHAPE, ...at, shape: 'circle', accuracyM: radius.value, verticalAccuracyM: threeD ? radius.value : null });
      }
      const ellipse = ellipseOf(fields, label);
      if (!ellipse.ok) return ellipse;
      let verticalAccuracyM: number | null = null;
      if (threeD) {
        const vertical = lengthOf(fields, 'verticalAxis', label);
        if (!vertical.ok) return vertical;
        verticalAccuracyM = vertical.value;
      }
      return ok({ ...NO_SHAPE, ...at, shape: 'ellipse', accuracyM: ellipse.value.semiMajorM, verticalAccuracyM, ellipse: ellipse.value });
    }
    case 'Polygon':
      return polygonOf(fields);
    case 'ArcBand':
    case 'Prism':
      return refused(`${fields.shape} shapes are not supported`);
    default:
      return refused(`unsupported shape ${quoted(fields.shape)}`);
  }
}
