import { z } from 'zod';
import { ok, refused, type FixReading, type ParseResult } from '../../geo/fix.js';
import { civicFromElements, EMPTY_CIVIC_REASON } from './civic.js';
import { buildShape, DEGREES_UOM, METRES_UOM, quoted, type ShapeEntry, type ShapeFix } from './gml-shapes.js';
import { assembleReading, MAX_PIDF_BYTES, methodFromText, parseConfidence, schemaChecked } from './pidf-lo.js';

/**
 * Asterisk 22's res_geolocation reads a received PIDF-LO itself and shows it to the dialplan (and
 * to us, over ARI) only as GEOLOC_PROFILE() values: `format`, a flattened `location_info`
 * (`shape="Circle",crs="2d",pos="-6.2 106.9",radius="35"`), `method`, `confidence`. Its
 * pidf_to_eprofile.xslt keeps the first location-info of the first tuple/device/person only, drops
 * length units and the timestamp, and labels angles "radians" exactly when the PIDF said EPSG
 * 9102, which is degrees. So lengths are taken as metres and angles as degrees whatever the label.
 */

/** The GEOLOC_PROFILE() values read over ARI; untrusted, checked on entry. */
export const geolocProfileSchema = z.object({
  format: z.string(),
  locationInfo: z.string(),
  method: z.string().nullish(),
  /** GEOLOC_PROFILE(confidence), e.g. `pdf="normal",value="95"`. */
  confidence: z.string().nullish(),
});
export type GeolocProfile = z.input<typeof geolocProfileSchema>;

/** A location by value, or a reference to fetch (then parse with `parsePidfLo(xml, 'sip-pidf-ref')`). */
export type ProfileLocation = { kind: 'reading'; reading: FixReading } | { kind: 'reference'; uri: string };

type Pairs = readonly (readonly [string, string])[];

const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;

// Sticky, and tried at each candidate quote, so a text full of quotes stays linear.
const BEFORE_NEXT_KEY = /\s*(?:,\s*(?:[A-Za-z][A-Za-z0-9_.-]*\s*=|$)|$)/y;
const BEFORE_COMMA = /\s*(?:,|$)/y;

/**
 * The end of a quoted value: the first matching quote followed by `,key=` or the end of the text,
 * else (the text is broken further on) the first one followed by a comma.
 */
function closingQuote(text: string, from: number, quote: string): number {
  for (const after of [BEFORE_NEXT_KEY, BEFORE_COMMA]) {
    for (let at = text.indexOf(quote, from); at >= 0; at = text.indexOf(quote, at + 1)) {
      after.lastIndex = at + 1;
      if (after.test(text)) return at;
    }
  }
  return -1;
}

/**
 * `key="value",key=value,...` as pairs in order. Asterisk quotes every value with `"` and never
 * escapes, so a quoted value ends at the quote followed by the next `key=` or the end (a civic
 * NAM may hold quotes and commas); values written by hand may be unquoted or single-quoted.
 */
export function parseLocationInfo(text: string): ParseResult<Pairs> {
  const pairs: [string, string][] = [];
  let at = 0;
  while (at < text.length) {
    const comma = text.indexOf(',', at);
    const itemEnd = comma < 0 ? text.length : comma;
    const equalsInItem = text.slice(at, itemEnd).indexOf('=');
    const equals = at + equalsInItem;
    if (equalsInItem < 0) {
      const item = text.slice(at, itemEnd).trim();
      if (item !== '') return refused(`location_info item ${quoted(item)} has no '='`);
      at = itemEnd + 1;
      continue;
    }
    const key = text.slice(at, equals).trim();
    if (!KEY.test(key)) return refused(`location_info key ${quoted(key)} is not a name`);
    let valueStart = equals + 1;
    while (text[valueStart] === ' ' || text[valueStart] === '\t') valueStart += 1;
    const quote = text[valueStart];
    if (quote === '"' || quote === "'") {
      const close = closingQuote(text, valueStart + 1, quote);
      if (close < 0) return refused(`location_info value of ${key} has no closing quote`);
      pairs.push([key, text.slice(valueStart + 1, close).trim()]);
      const next = text.indexOf(',', close + 1);
      at = next < 0 ? text.length : next + 1;
    } else {
      pairs.push([key, text.slice(valueStart, itemEnd).trim()]);
      at = itemEnd + 1;
    }
  }
  return ok(pairs);
}

/** The one value of a key (keys compared without case); a key given twice is refused. */
function onlyValue(pairs: Pairs, key: string): ParseResult<string | undefined> {
  const found = pairs.filter(([name]) => name.toLowerCase() === key.toLowerCase());
  if (found.length > 1) return refused(`location_info has ${key} ${found.length} times`);
  return ok(found[0]?.[1]);
}

const LENGTHS: ReadonlySet<string> = new Set(['radius', 'semiMajorAxis', 'semiMinorAxis', 'verticalAxis', 'innerRadius', 'outerRadius', 'height']);
const ANGLES: ReadonlySet<string> = new Set(['orientation', 'startAngle', 'openingAngle']);
const SHAPE_NAMES = new Map(['Point', 'Circle', 'Ellipse', 'Polygon', 'Sphere', 'Ellipsoid', 'ArcBand', 'Prism'].map((name) => [name.toLowerCase(), name]));
const CRS_DIMENSIONS: Readonly<Record<string, 2 | 3 | null>> = { '2d': 2, '3d': 3, unknown: null, '': null };

/** Asterisk's `45 degrees` / `45 radians` (see above: both mean degrees) as a bare number. */
function angleEntry(name: string, value: string): ParseResult<ShapeEntry> {
  const [number = '', unit, ...extra] = value.trim().split(/\s+/);
  if (extra.length > 0 || (unit !== undefined && !/^(?:deg|rad)/i.test(unit))) return refused(`${name} unit must be degrees or radians: got ${quoted(value)}`);
  return ok({ name, text: number, uom: DEGREES_UOM });
}

function gmlShape(pairs: Pairs): ParseResult<ShapeFix> {
  const shape = onlyValue(pairs, 'shape');
  if (!shape.ok) return shape;
  if (!shape.value) return refused('location_info has no shape');
  const crs = onlyValue(pairs, 'crs');
  if (!crs.ok) return crs;
  const dimensions = CRS_DIMENSIONS[(crs.value ?? '').toLowerCase()];
  if (dimensions === undefined) return refused(`crs must be 2d or 3d: got ${quoted(crs.value ?? '')}`);
  const entries: ShapeEntry[] = [];
  for (const [name, value] of pairs) {
    if (name.toLowerCase() === 'shape' || name.toLowerCase() === 'crs') continue;
    if (ANGLES.has(name)) {
      const entry = angleEntry(name, value);
      if (!entry.ok) return entry;
      entries.push(entry.value);
    } else {
      entries.push({ name, text: value, uom: LENGTHS.has(name) ? METRES_UOM : undefined });
    }
  }
  const canonical = SHAPE_NAMES.get(shape.value.toLowerCase()) ?? shape.value;
  return buildShape({ shape: canonical, dimensions, entries });
}

const REFERENCE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'sip:', 'sips:', 'pres:']);

function referenceOf(pairs: Pairs): ParseResult<ProfileLocation> {
  const uri = onlyValue(pairs, 'URI');
  if (!uri.ok) return uri;
  if (!uri.value) return refused('URI location_info has no URI');
  let scheme: string;
  try {
    scheme = new URL(uri.value).protocol;
  } catch {
    return refused(`location URI is not a URI: got ${quoted(uri.value)}`);
  }
  if (!REFERENCE_SCHEMES.has(scheme)) return refused(`location URI scheme must be http, https, sip, sips or pres: got ${quoted(scheme)}`);
  return ok({ kind: 'reference', uri: uri.value });
}

function confidenceOf(text: string | null | undefined): ParseResult<number | null> {
  if (!text?.trim()) return ok(null);
  const pairs = parseLocationInfo(text);
  if (!pairs.ok) return refused(pairs.reason.replace('location_info', 'confidence'));
  const value = onlyValue(pairs.value, 'value');
  if (!value.ok) return value;
  return value.value === undefined ? ok(null) : parseConfidence(value.value);
}

/**
 * What Asterisk's GEOLOC_PROFILE() says about the caller's location: a reading (source
 * 'sip-pidf', no fixedAt since Asterisk drops the timestamp) or a reference to fetch. Values are
 * validated by the same code as the XML path. Never throws.
 */
export function readingFromProfile(profile: GeolocProfile): ParseResult<ProfileLocation> {
  const input = geolocProfileSchema.safeParse(profile);
  if (!input.success) return refused('geolocation profile values must be strings');
  const { format, locationInfo, method, confidence } = input.data;
  if (Buffer.byteLength(locationInfo, 'utf8') > MAX_PIDF_BYTES) return refused('location_info is larger than 64 KiB');
  const kind = format.trim().toLowerCase();
  if ((kind === '' || kind === 'none') && locationInfo.trim() === '') return refused('no location in the geolocation profile');
  if (kind !== 'gml' && kind !== 'civicaddress' && kind !== 'uri') return refused(`geolocation format must be GML, civicAddress or URI: got ${quoted(format)}`);
  const pairs = parseLocationInfo(locationInfo);
  if (!pairs.ok) return pairs;
  if (pairs.value.length === 0) return refused('location_info is empty');
  if (kind === 'uri') return referenceOf(pairs.value);
  const confidencePct = confidenceOf(confidence);
  if (!confidencePct.ok) return confidencePct;
  const parts = { source: 'sip-pidf' as const, method: methodFromText(method), fixedAt: null, confidencePct: confidencePct.value };
  let reading: FixReading;
  if (kind === 'gml') {
    const shape = gmlShape(pairs.value);
    if (!shape.ok) return shape;
    reading = assembleReading({ ...parts, shape: shape.value, civic: null });
  } else {
    const civic = civicFromElements(pairs.value);
    if (!civic.ok) return civic;
    if (!civic.value) return refused(EMPTY_CIVIC_REASON);
    reading = assembleReading({ ...parts, shape: null, civic: civic.value });
  }
  const checked = schemaChecked([reading]);
  return checked.ok ? ok({ kind: 'reading', reading }) : checked;
}

/**
 * The location URIs of an RFC 6442 Geolocation header value, in order:
 * `<cid:abc@host>, <https://lis.example/loc/1>;inserted-by=proxy.example` → both URIs. Parameters
 * are skipped; a quoted parameter value may hold commas and angle brackets.
 */
export function parseGeolocationHeader(header: string): string[] {
  if (typeof header !== 'string') return [];
  const uris: string[] = [];
  let at = 0;
  while (at < header.length) {
    const open = header.indexOf('<', at);
    if (open < 0) break;
    const close = header.indexOf('>', open + 1);
    if (close < 0) break;
    const uri = header.slice(open + 1, close).trim();
    if (uri !== '') uris.push(uri);
    let inQuotes = false;
    for (at = close + 1; at < header.length; at += 1) {
      const char = header[at];
      if (inQuotes && char === '\\') at += 1;
      else if (char === '"') inQuotes = !inQuotes;
      else if (char === ',' && !inQuotes) break;
    }
    at += 1;
  }
  return uris;
}
