import { createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseNumber } from '../../numbers/phone-number.js';
import { emptyReading, ok, refused, type ParseResult, type PositioningMethod } from '../../geo/fix.js';
import {
  ACCURACY, ALTITUDE, LATITUDE, LONGITUDE, PERCENT, VERTICAL_ACCURACY,
  checkedMessage, isNoFixPlaceholder, parseDecimal, parseEpoch, shown, withShape,
  type AmlMessage, type NumberRule,
} from './aml-message.js';

/** The most a handset's form ever needs (a real one is < 1 KiB); more is not an AML sender. */
export const MAX_AML_BODY_BYTES = 16 * 1024;

const HMAC_MARK = '&hmac=';

/** location_source words, any case. Android's "network" provider mixes Wi-Fi and cell: fused. */
const METHODS = new Map<string, PositioningMethod>([
  ['gps', 'gnss'], ['gnss', 'gnss'], ['wifi', 'wifi'], ['wi-fi', 'wifi'], ['wlan', 'wifi'], ['cell', 'cell'],
  ['cellular', 'cell'], ['fused', 'fused'], ['hybrid', 'fused'], ['network', 'fused'], ['unknown', 'unknown'],
]);

/** Fields that map onto the message; any other field (and a value we cannot map) goes to extras. */
const MAPPED = new Set([
  'v', 'emergency_number', 'time', 'location_time', 'location_latitude', 'location_longitude',
  'location_accuracy', 'location_vertical_accuracy', 'location_altitude', 'location_source',
  'location_confidence', 'location_certainty', 'device_number', 'device_imei', 'device_imsi', 'hmac',
]);

/** Digits with an optional leading +, once the usual visual separators are gone. */
const PHONE = /^\+?\d{3,15}$/;

/**
 * Parses an AML HTTPS POST body (application/x-www-form-urlencoded). Values are trimmed; an
 * empty value counts as absent. A mapped field with a malformed value refuses the whole message
 * with a precise reason (a broken encoder cannot be trusted with the rest), except a
 * location_source word we do not know, which becomes method 'unknown' and is kept in extras.
 * Confidence is always a percentage: 0.68 means 0.68 %, never 68 % (the safe misreading).
 * The `hmac` field is never kept; check it with verifyAmlHmac on the raw body first.
 */
export function parseAmlForm(body: string): ParseResult<AmlMessage> {
  const size = Buffer.byteLength(body, 'utf8');
  if (size > MAX_AML_BODY_BYTES) return refused(`the body is ${size} bytes; at most ${MAX_AML_BODY_BYTES} are accepted`);
  const read = readFields(body);
  if (!read.ok) return read;
  const fields = read.value;
  const get = (key: string): string | null => {
    const value = fields.get(key);
    return value === undefined || value === '' ? null : value;
  };

  const latitude = required(get('location_latitude'), LATITUDE('location_latitude'));
  if (!latitude.ok) return latitude;
  const longitude = required(get('location_longitude'), LONGITUDE('location_longitude'));
  if (!longitude.ok) return longitude;
  if (isNoFixPlaceholder(latitude.value, longitude.value)) return refused('location_latitude 0 and location_longitude 0 is the no-fix placeholder, not a location');

  const deviceNumber = phoneNumber(get('device_number'));
  if (!deviceNumber.ok) return deviceNumber;

  const accuracyM = optional(get('location_accuracy'), ACCURACY('location_accuracy'));
  if (!accuracyM.ok) return accuracyM;
  const verticalAccuracyM = optional(get('location_vertical_accuracy'), VERTICAL_ACCURACY('location_vertical_accuracy'));
  if (!verticalAccuracyM.ok) return verticalAccuracyM;
  const altitudeM = optional(get('location_altitude'), ALTITUDE('location_altitude'));
  if (!altitudeM.ok) return altitudeM;
  const confidenceKey = get('location_confidence') !== null ? 'location_confidence' : 'location_certainty';
  const confidencePct = optional(get(confidenceKey), PERCENT(confidenceKey));
  if (!confidencePct.ok) return confidencePct;
  const fixedAt = optionalEpoch(get('location_time'), 'location_time');
  if (!fixedAt.ok) return fixedAt;
  const sentAt = optionalEpoch(get('time'), 'time');
  if (!sentAt.ok) return sentAt;

  const sourceWord = get('location_source');
  const method = sourceWord === null ? 'unknown' : METHODS.get(sourceWord.toLowerCase());
  const extras = new Map([...fields].filter(([key]) => !MAPPED.has(key)));
  if (sourceWord !== null && method === undefined) extras.set('location_source', sourceWord);
  // Both confidence spellings given: the standard's location_confidence wins, the other is kept.
  const certainty = get('location_certainty');
  if (confidenceKey === 'location_confidence' && certainty !== null) extras.set('location_certainty', certainty);

  return checkedMessage({
    transport: 'https',
    version: fields.get('v') ?? '',
    deviceNumber: deviceNumber.value,
    emergencyNumber: get('emergency_number'),
    callStartedAt: null,
    sentAt: sentAt.value,
    reading: withShape({
      ...emptyReading('aml-https'),
      latitude: latitude.value, longitude: longitude.value, accuracyM: accuracyM.value,
      confidencePct: confidencePct.value, altitudeM: altitudeM.value, verticalAccuracyM: verticalAccuracyM.value,
      method: method ?? 'unknown', fixedAt: fixedAt.value,
    }),
    imei: get('device_imei'),
    imsi: get('device_imsi'),
    extras: Object.fromEntries(extras),
  });
}

/**
 * Checks the HMAC-SHA1 some deployments append as a last field, `&hmac=<40 hex digits>`, over
 * every byte before "&hmac=" (the raw body as received, UTF-8, not re-encoded). 'missing' when
 * there is none (or it is empty); 'invalid' when it is malformed, not last, or does not match.
 * The hex is case-insensitive and trailing whitespace after it is ignored.
 */
export function verifyAmlHmac(body: string, key: string): 'valid' | 'missing' | 'invalid' {
  const at = body.lastIndexOf(HMAC_MARK);
  // A body that is nothing but an hmac field signs nothing: no sender does that honestly.
  if (at === -1) return body.startsWith('hmac=') ? 'invalid' : 'missing';
  const given = body.slice(at + HMAC_MARK.length).trim();
  if (given === '') return 'missing';
  if (!/^[0-9a-fA-F]{40}$/.test(given)) return 'invalid';
  const expected = createHmac('sha1', key).update(body.slice(0, at), 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? 'valid' : 'invalid';
}

/** The form's fields, keys and values trimmed; a key given twice is refused (which one is true?). */
function readFields(body: string): ParseResult<Map<string, string>> {
  const fields = new Map<string, string>();
  for (const [rawKey, rawValue] of new URLSearchParams(body)) {
    const key = rawKey.trim();
    if (fields.has(key)) return refused(`duplicate field ${shown(key)}`);
    // An unencoded "+447..." arrives as " 447...": the form decoding turned the plus into a
    // space. A number that starts with a space and then a country code had that plus.
    const value = key === 'device_number' && /^ [1-9]/.test(rawValue) ? `+${rawValue.slice(1)}` : rawValue;
    fields.set(key, value.trim());
  }
  return ok(fields);
}

function required(raw: string | null, rule: NumberRule): ParseResult<number> {
  return raw === null ? refused(`missing ${rule.label}`) : parseDecimal(raw, rule);
}

function optional(raw: string | null, rule: NumberRule): ParseResult<number | null> {
  return raw === null ? ok(null) : parseDecimal(raw, rule);
}

function optionalEpoch(raw: string | null, label: string): ParseResult<number | null> {
  return raw === null ? ok(null) : parseEpoch(raw, label);
}

/** device_number is required: a fix nobody can match to a call helps no one. */
function phoneNumber(raw: string | null): ParseResult<string> {
  if (raw === null) return refused('missing device_number');
  if (!PHONE.test(raw.replace(/[\s().-]/g, ''))) return refused(`device_number must be a phone number (E.164): got ${shown(raw)}`);
  return ok(normaliseNumber(raw));
}
