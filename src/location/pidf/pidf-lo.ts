import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  emptyReading, fixReadingSchema, ok, refused,
  type CivicAddress, type FixReading, type ParseResult, type PositioningMethod,
} from '../../geo/fix.js';
import { civicFromElements, EMPTY_CIVIC_REASON } from './civic.js';
import { buildShape, dimensionsOfSrsName, isGmlShape, parseDecimal, quoted, type ShapeEntry, type ShapeFix } from './gml-shapes.js';

/**
 * PIDF-LO (RFC 4119, shapes of RFC 5491, civic of RFC 5139) → readings. Namespace prefixes are
 * the sender's choice (`gp:`, `geopriv:`, none...), so elements are matched on local names.
 */

/** Largest document we read: a PIDF-LO is a few kilobytes; more is a mistake or an attack. */
export const MAX_PIDF_BYTES = 64 * 1024;

/** The sources a PIDF-LO reading can have: carried in the INVITE, or fetched by reference. */
export type PidfSource = Extract<FixReading['source'], 'sip-pidf' | 'sip-pidf-ref'>;

interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

// htmlEntities is what makes fast-xml-parser 5 decode numeric character references (&#233;), which
// senders use for non-ASCII civic names; without it they stay literal. It also accepts HTML names
// like &nbsp;, harmless since DTDs are refused and no other entity can be defined.
const xmlParser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  trimValues: true, ignoreDeclaration: true, ignorePiTags: true, maxNestedTags: 64, jPath: false, htmlEntities: true,
});

function attributesOf(raw: unknown): Map<string, string> {
  const attributes = new Map<string, string>();
  if (typeof raw !== 'object' || raw === null) return attributes;
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'xmlns' || key.startsWith('xmlns:') || typeof value !== 'string') continue;
    attributes.set(localName(key), value);
  }
  return attributes;
}

/** fast-xml-parser's ordered output (`[{ tag: [...children], ':@': attrs }, { '#text': ... }]`) as elements. */
function toElements(nodes: unknown): { elements: XmlElement[]; text: string } {
  const elements: XmlElement[] = [];
  const texts: string[] = [];
  for (const node of Array.isArray(nodes) ? (nodes as unknown[]) : []) {
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === ':@') continue;
      if (key === '#text') {
        if (typeof value === 'string' || typeof value === 'number') texts.push(String(value));
        continue;
      }
      const inner = toElements(value);
      elements.push({ name: localName(key), attributes: attributesOf(record[':@']), children: inner.elements, text: inner.text });
    }
  }
  return { elements, text: texts.join('') };
}

/** A well-formed document's root, refusing DTDs (XXE, billion laughs) before any parser sees them. */
function readXml(xml: unknown): ParseResult<XmlElement> {
  if (typeof xml !== 'string' || xml.trim() === '') return refused('empty PIDF-LO document');
  if (Buffer.byteLength(xml, 'utf8') > MAX_PIDF_BYTES) return refused('PIDF-LO is larger than 64 KiB');
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml)) return refused('PIDF-LO must not contain DOCTYPE or ENTITY declarations');
  const text = xml.replace(/^\uFEFF/, '');
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) return refused(`malformed XML at line ${valid.err.line}: ${valid.err.msg.replace(/\s+/g, ' ').slice(0, 120)}`);
    const top = toElements(xmlParser.parse(text));
    if (top.elements.length !== 1 || top.text !== '') return refused('malformed XML: a document has exactly one root element');
    return ok(top.elements[0]!);
  } catch (error) {
    // fast-xml-parser throws on names it will not build objects from (__proto__, constructor...).
    return refused(`malformed XML: ${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'}`);
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time as ms since the epoch; calendar-impossible values are refused, not rolled over. */
export function parseRfc3339(text: string): ParseResult<number> {
  const bad = refused<number>(`timestamp must be an RFC 3339 date-time: got ${quoted(text)}`);
  const match = RFC3339.exec(text.trim());
  if (!match) return bad;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  // Second 60 is an RFC 3339 leap second; Date rolls it into the next minute, which is what it was.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) return bad;
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return bad;
  const millis = Number(`${(match[7] ?? '.').slice(1)}000`.slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const sign = match[8] === '-' ? -1 : 1;
  return ok(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

// Method tokens of the IANA registry (RFC 4119: GPS, A-GPS, Manual, DHCP, Triangulation, Cell,
// 802.11; later Wiremap...) and what vendors write instead. Wiremap, DHCP and LLDP-MED are a
// location provisioned by an administrator, which is what "manual" means here.
const METHOD_TOKENS: readonly (readonly [RegExp, PositioningMethod])[] = [
  [/gps|gnss|glonass|galileo|beidou/, 'gnss'],
  [/^(?:802\.11|wi-?fi|wlan)$/, 'wifi'],
  [/^(?:cell|cell-?id|e-?cid|otdoa|e-otd|u-?tdoa|aoa|toa|tdoa|triangulation)$/, 'cell'],
  [/^(?:manual|wiremap|dhcp|lldp-med)$/, 'manual'],
];

/** A `gp:method` (or Asterisk's method) as our positioning method; several techniques are "fused". */
export function methodFromText(text: string | null | undefined): PositioningMethod {
  const lower = (text ?? '').trim().toLowerCase();
  if (/hybrid|fused|fusion/.test(lower)) return 'fused';
  const found = new Set<PositioningMethod>();
  for (const token of lower.split(/[\s,;+/&|]+/)) {
    const method = METHOD_TOKENS.find(([pattern]) => pattern.test(token))?.[1];
    if (method) found.add(method);
  }
  if (found.size > 1) return 'fused';
  return [...found][0] ?? 'unknown';
}

/** An RFC 7459 confidence value. The `pdf` attribute is ignored: only the percentage is kept. */
export function parseConfidence(text: string): ParseResult<number> {
  const value = parseDecimal(text, 'confidence');
  if (!value.ok) return value;
  return value.value < 0 || value.value > 100 ? refused(`confidence must be between 0 and 100: got ${quoted(text)}`) : value;
}

/** Everything a reading is made of, whichever path found it. */
export interface ReadingParts {
  readonly source: FixReading['source'];
  readonly shape: ShapeFix | null;
  readonly civic: CivicAddress | null;
  readonly confidencePct: number | null;
  readonly method: PositioningMethod;
  readonly fixedAt: number | null;
}

/** A reading from its parts: a shape's geometry with the civic address beside it, or a civic-only fix. */
export function assembleReading(parts: ReadingParts): FixReading {
  const base = { ...emptyReading(parts.source), civic: parts.civic, confidencePct: parts.confidencePct, method: parts.method, fixedAt: parts.fixedAt };
  return parts.shape ? { ...base, ...parts.shape } : { ...base, shape: 'civic' };
}

/** The last gate: every reading must satisfy the fix schema, or the whole answer is refused. */
export function schemaChecked(readings: FixReading[]): ParseResult<FixReading[]> {
  for (const reading of readings) {
    const checked = fixReadingSchema.safeParse(reading);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return refused(`reading fails the fix schema: ${issue?.path.join('.') || 'reading'} ${issue?.message ?? ''}`.trim());
    }
  }
  return ok(readings);
}

function shapeFieldsOf(element: XmlElement): ParseResult<{ shape: string; dimensions: 2 | 3 | null; entries: ShapeEntry[] }> {
  const dimensions = dimensionsOfSrsName(element.attributes.get('srsName'));
  if (!dimensions.ok) return dimensions;
  // A polygon's vertices sit in exterior/LinearRing; holes (interior) do not move the caller.
  const holders = element.name === 'Polygon'
    ? element.children.filter((child) => child.name === 'exterior').flatMap((exterior) => exterior.children.filter((ring) => ring.name === 'LinearRing'))
    : [element];
  const entries = holders.flatMap((holder) => holder.children.map((child) => ({ name: child.name, text: child.text, uom: child.attributes.get('uom') })));
  return ok({ shape: element.name, dimensions: dimensions.value, entries });
}

type Context = Omit<ReadingParts, 'shape' | 'civic' | 'confidencePct'>;

function readingsOfLocationInfo(info: XmlElement, context: Context): ParseResult<FixReading[]> {
  // RFC 4119's own examples wrap the shape in gml:location; RFC 5491 puts it directly inside.
  const content = info.children.flatMap((child) => (child.name === 'location' ? child.children : [child]));
  const shapes = content.filter((child) => isGmlShape(child.name));
  const civicElement = content.find((child) => child.name === 'civicAddress');
  const civic = civicElement ? civicFromElements(civicElement.children.map((child) => [child.name, child.text] as const)) : ok(null);
  if (!civic.ok) return civic;
  const confidenceElement = content.find((child) => child.name === 'confidence');
  const confidence = confidenceElement ? parseConfidence(confidenceElement.text) : ok(null);
  if (!confidence.ok) return confidence;
  const parts = { ...context, civic: civic.value, confidencePct: confidence.value };
  if (shapes.length === 0) {
    if (civic.value) return ok([assembleReading({ ...parts, shape: null })]);
    if (civicElement) return refused(EMPTY_CIVIC_REASON);
    const found = content.map((child) => child.name).join(', ');
    return refused(`location-info holds no supported shape or civicAddress${found ? ` (found ${quoted(found)})` : ''}`);
  }
  // RFC 5491 wants one shape per location-info; a sender that sends more gets a reading for each.
  const readings: FixReading[] = [];
  for (const element of shapes) {
    const fields = shapeFieldsOf(element);
    if (!fields.ok) return fields;
    const shape = buildShape(fields.value);
    if (!shape.ok) return shape;
    readings.push(assembleReading({ ...parts, shape: shape.value }));
  }
  return ok(readings);
}

/** geopriv elements under a tuple, device or person, at any depth (a tuple keeps it in its status). */
function geoprivsIn(element: XmlElement): XmlElement[] {
  return element.children.flatMap((child) => (child.name === 'geopriv' ? [child] : geoprivsIn(child)));
}

function readingsOfHolder(holder: XmlElement, source: PidfSource): ParseResult<FixReading[]> {
  const geoprivs = geoprivsIn(holder).filter((geopriv) => geopriv.children.some((child) => child.name === 'location-info'));
  if (geoprivs.length === 0) return ok([]);
  // The tuple's (or dm:device's, dm:person's) timestamp is when this location was published.
  const stamp = holder.children.find((child) => child.name === 'timestamp');
  const fixedAt = stamp ? parseRfc3339(stamp.text) : ok(null);
  if (!fixedAt.ok) return fixedAt;
  const readings: FixReading[] = [];
  for (const geopriv of geoprivs) {
    const method = methodFromText(geopriv.children.find((child) => child.name === 'method')?.text);
    for (const info of geopriv.children.filter((child) => child.name === 'location-info')) {
      const found = readingsOfLocationInfo(info, { source, method, fixedAt: fixedAt.value });
      if (!found.ok) return found;
      readings.push(...found.value);
    }
  }
  return ok(readings);
}

const HOLDERS: ReadonlySet<string> = new Set(['tuple', 'device', 'person']);

/**
 * Every location-info of every tuple, dm:device and dm:person of a PIDF-LO, as readings in
 * document order. One bad value refuses the whole document: a caller's location is either read
 * exactly or not at all, never half-guessed. Never throws.
 */
export function parsePidfLo(xml: string, source: PidfSource): ParseResult<FixReading[]> {
  const root = readXml(xml);
  if (!root.ok) return root;
  if (root.value.name !== 'presence') return refused(`not a PIDF document: root element is ${quoted(root.value.name)}`);
  const readings: FixReading[] = [];
  for (const holder of root.value.children.filter((child) => HOLDERS.has(child.name))) {
    const found = readingsOfHolder(holder, source);
    if (!found.ok) return found;
    readings.push(...found.value);
  }
  if (readings.length === 0) return refused('no location-info in the PIDF-LO');
  return schemaChecked(readings);
}
