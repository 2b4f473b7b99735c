import { normaliseNumber } from '../../numbers/phone-number.js';
import { emptyReading, ok, refused, type FixReading, type ParseResult, type PositioningMethod } from '../../geo/fix.js';
import {
  ACCURACY, ALTITUDE, LATITUDE, LONGITUDE, PERCENT, VERTICAL_ACCURACY,
  checkedMessage, isNoFixPlaceholder, isPlausibleTime, parseDecimal, parseEpoch, shown, withShape,
  type AmlMessage, type NumberRule,
} from './aml-message.js';

/**
 * The spec's opening is `A"ML=` (ASCII quote). Gateways and copy-paste sometimes "smarten" the
 * quote into a typographic one; that is still one character, so the declared length still
 * holds, and it is accepted. An opening without any quote (`AML=`) is not: then a character was
 * lost and the length check would fail anyway.
 */
const HEADERS = ['A"ML=', 'A\u201DML=', 'A\u201CML='];
const HEADER_KEYS = new Set(HEADERS.map((header) => header.slice(0, -1)));

/** Even a long concatenated SMS is far shorter; more is not a handset. */
export const MAX_AML_SMS_CHARS = 2048;

/** pm (v1) and ls (v2) letters, any case. N (v1, Android) means the handset had no fix at all. */
const METHOD_CODES = new Map<string, PositioningMethod | 'none'>([
  ['G', 'gnss'], ['W', 'wifi'], ['C', 'cell'], ['F', 'fused'], ['U', 'unknown'], ['N', 'none'],
]);

/** v2's lt when the handset does not know when its fix was taken. */
const UNKNOWN_OFFSET = '-9999';
/** A fix more than a day from the call start is not this call's fix. */
const MAX_OFFSET_S = 86_400;

const V1_MAPPED = new Set(['lt', 'lg', 'rd', 'top', 'lc', 'pm', 'si', 'ei', 'ml']);
const V2_MAPPED = new Set(['en', 'et', 'lo', 'lt', 'lc', 'lz', 'ls', 'ei', 'si', 'ml']);

type Fields = Map<string, string>;

/**
 * Parses the text of an AML SMS as a gateway forwards it (v1: ETSI TS 103 625; v2: the
 * Android ELS format). The caller's number is not in the text: the gateway's sender number is
 * passed in and normalised (null when the gateway had none).
 *
 * Stray whitespace (CR/LF included) around the text and around `;` and `=` is removed first.
 * The declared length `ml` is then checked, when present, against the whole message: every
 * character from the `A` of the header to the last digit of `ml`'s own value (Unicode code
 * points), as the ETSI and Android examples count it. A mismatch means a lost or altered part.
 * Fields may come in any order; a field given twice is refused; unknown fields go to extras.
 * A mapped field with a malformed value refuses the message with a precise reason (comma
 * decimals in v1 `lt`/`lg` included); an unknown method letter becomes 'unknown', kept in extras.
 */
export function parseAmlSms(text: string, senderNumber: string | null): ParseResult<AmlMessage> {
  if (text.length > MAX_AML_SMS_CHARS) return refused(`the SMS is ${text.length} characters; at most ${MAX_AML_SMS_CHARS} are accepted`);
  const message = text.trim().replace(/\s*([;=])\s*/g, '$1');
  if (!HEADERS.some((header) => message.startsWith(header))) return refused('not an AML SMS: expected it to start with A"ML=');
  const [head = '', ...rest] = message.split(';');
  const version = head.slice(HEADERS[0]!.length);
  const read = readFields(rest);
  if (!read.ok) return read;
  const fields = read.value;
  if (version !== '1' && version !== '2') return refused(`unknown AML version ${/^\d{1,4}$/.test(version) ? version : shown(version)}`);

  const declared = fields.get('ml');
  if (declared !== undefined) {
    if (!/^\d{1,5}$/.test(declared)) return refused(`ml must be the message length in characters: got ${shown(declared)}`);
    const length = [...message].length;
    if (Number(declared) !== length) return refused(`declared length ml=${declared} but the message has ${length} characters`);
  }

  const deviceNumber = senderNumber === null || senderNumber.trim() === '' ? null : normaliseNumber(senderNumber);
  const parsed = version === '1' ? parseV1(fields) : parseV2(fields);
  if (!parsed.ok) return parsed;
  const mapped = version === '1' ? V1_MAPPED : V2_MAPPED;
  const extras = new Map([...fields].filter(([key]) => !mapped.has(key)));
  for (const [key, value] of parsed.value.keep) extras.set(key, value);
  return checkedMessage({
    transport: 'sms', version, deviceNumber, sentAt: null, ...parsed.value.message,
    imei: emptyAsNull(fields.get('ei')), imsi: emptyAsNull(fields.get('si')), extras: Object.fromEntries(extras),
  });
}

/** What a version's parser found, and mapped fields it could not use but keeps in extras. */
interface Parsed {
  message: Pick<AmlMessage, 'emergencyNumber' | 'callStartedAt' | 'reading'>;
  keep: [string, string][];
}

/** Fields after the header; empty segments (a trailing `;`) are skipped. */
function readFields(segments: string[]): ParseResult<Fields> {
  const fields: Fields = new Map();
  for (const segment of segments) {
    if (segment === '') continue;
    const at = segment.indexOf('=');
    if (at <= 0) return refused(`field ${shown(segment)} is not key=value`);
    const key = segment.slice(0, at);
    if (fields.has(key) || HEADER_KEYS.has(key)) return refused(`duplicate field ${shown(key)}`);
    fields.set(key, segment.slice(at + 1));
  }
  return ok(fields);
}

function parseV1(fields: Fields): ParseResult<Parsed> {
  const method = methodOf(fields, 'pm');
  if (method.value === 'none') return refused('the handset had no location (pm=N)');
  const latitude = required(fields, 'lt', LATITUDE('lt (latitude)'));
  if (!latitude.ok) return latitude;
  const longitude = required(fields, 'lg', LONGITUDE('lg (longitude)'));
  if (!longitude.ok) return longitude;
  if (isNoFixPlaceholder(latitude.value, longitude.value)) return refused('lt 0 and lg 0 is the no-fix placeholder, not a location');
  // Android sends rd=N when it has no radius.
  const rd = fields.get('rd');
  const accuracyM = rd === undefined || rd === '' || rd.toUpperCase() === 'N' ? ok(null) : parseDecimal(rd, ACCURACY('rd (radius)'));
  if (!accuracyM.ok) return accuracyM;
  const confidencePct = optional(fields, 'lc', PERCENT('lc (confidence)'));
  if (!confidencePct.ok) return confidencePct;
  const top = fields.get('top');
  const fixedAt = top === undefined || top === '' ? ok(null) : utcStamp(top);
  if (!fixedAt.ok) return fixedAt;
  return ok({
    message: {
      emergencyNumber: null, callStartedAt: null,
      reading: reading({ latitude: latitude.value, longitude: longitude.value, accuracyM: accuracyM.value, confidencePct: confidencePct.value, method: method.value, fixedAt: fixedAt.value }),
    },
    keep: method.keep,
  });
}

function parseV2(fields: Fields): ParseResult<Parsed> {
  const lo = fields.get('lo');
  if (lo === undefined || lo === '') return refused('missing lo (location)');
  const parts = lo.split(',').map((part) => part.trim());
  if (parts.length !== 2 && parts.length !== 3) return refused(`lo must be latitude,longitude,accuracy: got ${shown(lo)}`);
  const latitude = parseDecimal(parts[0]!, LATITUDE('lo latitude'));
  if (!latitude.ok) return latitude;
  const longitude = parseDecimal(parts[1]!, LONGITUDE('lo longitude'));
  if (!longitude.ok) return longitude;
  if (isNoFixPlaceholder(latitude.value, longitude.value)) return refused('lo 0,0 is the no-fix placeholder, not a location');
  // An accuracy (or vertical accuracy) of 0 means "unknown" in v2, not "exact".
  const accuracyM = parts[2] === undefined || parts[2] === '' ? ok(null) : parseDecimal(parts[2], ACCURACY('lo accuracy'));
  if (!accuracyM.ok) return accuracyM;

  const et = fields.get('et');
  const callStartedAt = et === undefined || et === '' ? ok(null) : parseEpoch(et, 'et (call start)');
  if (!callStartedAt.ok) return callStartedAt;
  const offset = locationOffset(fields.get('lt'));
  if (!offset.ok) return offset;
  const vertical = verticalOf(fields.get('lz'));
  if (!vertical.ok) return vertical;
  const confidencePct = optional(fields, 'lc', PERCENT('lc (confidence)'));
  if (!confidencePct.ok) return confidencePct;
  const method = methodOf(fields, 'ls');

  // N is v1's "no fix"; v2 has a location here, so the letter is merely unknown and kept.
  const keep = method.value === 'none' ? [['ls', fields.get('ls') ?? ''] as [string, string]] : [...method.keep];
  // lt counts from et: without et it dates nothing, so it is kept as given.
  const lt = fields.get('lt');
  if (callStartedAt.value === null && lt !== undefined) keep.push(['lt', lt]);
  const fixedAt = callStartedAt.value === null || offset.value === null ? null : callStartedAt.value + offset.value * 1000;
  return ok({
    message: {
      emergencyNumber: emptyAsNull(fields.get('en')),
      callStartedAt: callStartedAt.value,
      reading: reading({
        latitude: latitude.value, longitude: longitude.value, accuracyM: accuracyM.value === 0 ? null : accuracyM.value,
        confidencePct: confidencePct.value, altitudeM: vertical.value.altitudeM, verticalAccuracyM: vertical.value.verticalAccuracyM,
        method: method.value === 'none' ? 'unknown' : method.value, fixedAt,
      }),
    },
    keep,
  });
}

function emptyAsNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function reading(values: Partial<FixReading>): FixReading {
  return withShape({ ...emptyReading('aml-sms'), ...values });
}

/** A method letter; one we do not know is 'unknown', its letter kept in extras. */
function methodOf(fields: Fields, key: string): { value: PositioningMethod | 'none'; keep: [string, string][] } {
  const code = fields.get(key);
  if (code === undefined || code === '') return { value: 'unknown', keep: [] };
  const value = METHOD_CODES.get(code.toUpperCase());
  return value === undefined ? { value: 'unknown', keep: [[key, code]] } : { value, keep: [] };
}

function required(fields: Fields, key: string, rule: NumberRule): ParseResult<number> {
  const raw = fields.get(key);
  return raw === undefined || raw === '' ? refused(`missing ${rule.label}`) : parseDecimal(raw, rule);
}

function optional(fields: Fields, key: string, rule: NumberRule): ParseResult<number | null> {
  const raw = fields.get(key);
  return raw === undefined || raw === '' ? ok(null) : parseDecimal(raw, rule);
}

/** v1 `top`: YYYYMMDDhhmmss in UTC, a real calendar time. */
function utcStamp(raw: string): ParseResult<number> {
  const parts = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw)?.slice(1).map(Number);
  const reason = `top must be a UTC time YYYYMMDDhhmmss: got ${shown(raw)}`;
  if (parts === undefined) return refused(reason);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 31 February over into March; a stamp that does not come back is not a date.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour
    || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second) return refused(reason);
  if (!isPlausibleTime(ms)) return refused(`top is not a plausible time (before 2000 or after 2099): got ${shown(raw)}`);
  return ok(ms);
}

/** v2 `lt`: whole seconds from the call start (negative: a fix from before it), -9999 unknown. */
function locationOffset(raw: string | undefined): ParseResult<number | null> {
  if (raw === undefined || raw === '' || raw === UNKNOWN_OFFSET) return ok(null);
  if (!/^[+-]?\d{1,6}$/.test(raw)) return refused(`lt must be whole seconds from et, or -9999: got ${shown(raw)}`);
  const seconds = Number(raw);
  if (Math.abs(seconds) > MAX_OFFSET_S) return refused(`lt puts the fix more than a day from the call start: got ${shown(raw)}`);
  return ok(seconds === 0 ? 0 : seconds);
}

/** v2 `lz`: altitude and vertical accuracy in metres; a vertical accuracy of 0 is unknown. */
function verticalOf(raw: string | undefined): ParseResult<{ altitudeM: number | null; verticalAccuracyM: number | null }> {
  if (raw === undefined || raw === '') return ok({ altitudeM: null, verticalAccuracyM: null });
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > 2) return refused(`lz must be altitude,vertical accuracy: got ${shown(raw)}`);
  const altitude = parseDecimal(parts[0]!, ALTITUDE('lz altitude'));
  if (!altitude.ok) return altitude;
  const vertical = parts[1] === undefined || parts[1] === '' ? ok(null) : parseDecimal(parts[1], VERTICAL_ACCURACY('lz vertical accuracy'));
  if (!vertical.ok) return vertical;
  return ok({ altitudeM: altitude.value, verticalAccuracyM: vertical.value === 0 ? null : vertical.value });
}
