import { z } from 'zod';
import { fixReadingSchema, ok, refused, type FixReading, type ParseResult } from '../../geo/fix.js';

/**
 * An Advanced Mobile Location message (ETSI TS 103 625), whichever way it came: the handset's
 * HTTPS POST or its SMS. The value rules both transports share live here too, so a latitude or a
 * time is judged the same way whatever brought it.
 */
export const AML_TRANSPORTS = ['https', 'sms'] as const;
export const amlTransportSchema = z.enum(AML_TRANSPORTS);
export type AmlTransport = z.infer<typeof amlTransportSchema>;

/** One parsed AML message; what both parsers return and what the location service stores. */
export const amlMessageSchema = z.object({
  transport: amlTransportSchema,
  /** The sender's format version as given (`v=` or the SMS header); '' when the HTTPS sender gave none. */
  version: z.string(),
  /** The caller's number in +62 form (normaliseNumber); for SMS, the sender the gateway reported. */
  deviceNumber: z.string().min(1).nullable(),
  /** The number the caller dialled, as given. */
  emergencyNumber: z.string().nullable(),
  /** When the emergency call started (ms since the epoch), when the message says (SMS v2 `et`). */
  callStartedAt: z.number().int().nullable(),
  /** When the handset sent the message (ms since the epoch), HTTPS `time`. */
  sentAt: z.number().int().nullable(),
  reading: fixReadingSchema,
  imei: z.string().nullable(),
  imsi: z.string().nullable(),
  /** Fields we do not map (and secondary ones: model, MCC/MNC, floor, languages), kept as given. */
  extras: z.record(z.string(), z.string()),
}).strict();
export type AmlMessage = z.infer<typeof amlMessageSchema>;

/** Year 2000 and year 2100 (ms). */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);

/** Plain decimals only: an exponent or a hex literal is an encoder bug, not a coordinate. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const COMMA_DECIMAL = /^[+-]?\d+,\d+$/;

/** A value as it appears in a reason: quoted, escaped (reasons reach logs) and kept short. */
export function shown(raw: string): string {
  const chars = [...raw];
  const cut = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : raw;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}

/** The bounds a numeric field must lie in, and how a reason names the field. */
export interface NumberRule {
  label: string;
  min: number;
  max: number;
}

/** The bounds of each numeric AML value, named as the reason should name the field. */
export const LATITUDE = (label: string): NumberRule => ({ label, min: -90, max: 90 });
export const LONGITUDE = (label: string): NumberRule => ({ label, min: -180, max: 180 });
/** Half the Earth's circumference: no honest horizontal uncertainty is larger. */
export const ACCURACY = (label: string): NumberRule => ({ label, min: 0, max: 20_000_000 });
/** The deepest trench to the edge of space, so only a broken encoder is refused. */
export const ALTITUDE = (label: string): NumberRule => ({ label, min: -12_000, max: 100_000 });
/** Generous: a vertical uncertainty only matters for floors, but a sane encoder stays well below this. */
export const VERTICAL_ACCURACY = (label: string): NumberRule => ({ label, min: 0, max: 1_000_000 });
/** Confidence is always a percentage: 0.68 is 0.68 %, since reading it as 68 % would overstate it. */
export const PERCENT = (label: string): NumberRule => ({ label, min: 0, max: 100 });

/**
 * A decimal number within a rule's bounds. A comma decimal ("6,2") is refused with its own
 * reason rather than read as 6.2: in a location, guessing a separator can move a caller by a
 * whole degree, and the sender is better told precisely.
 */
export function parseDecimal(raw: string, rule: NumberRule): ParseResult<number> {
  if (COMMA_DECIMAL.test(raw)) return refused(`${rule.label} uses a comma decimal: ${shown(raw)}`);
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < rule.min || value > rule.max) {
    return refused(`${rule.label} must be a number between ${rule.min} and ${rule.max}: got ${shown(raw)}`);
  }
  // -0 would survive JSON as 0 anyway; normalising keeps equality checks honest.
  return ok(value === 0 ? 0 : value);
}

/**
 * A time since the epoch in ms. The standard says ms, but some senders send seconds: a value of
 * at most 10 digits is taken as seconds (a 10-digit ms value would be 1970, which no handset
 * sends on purpose). Outside 2000-2099 it is refused: the parser has no clock, so freshness
 * against now is the caller's judgement.
 */
export function parseEpoch(raw: string, label: string): ParseResult<number> {
  if (!/^\d{1,16}$/.test(raw)) return refused(`${label} must be a whole number of ms since the epoch: got ${shown(raw)}`);
  const whole = Number(raw);
  const ms = raw.replace(/^0+(?=\d)/, '').length <= 10 ? whole * 1000 : whole;
  if (!isPlausibleTime(ms)) return refused(`${label} is not a plausible time (before 2000 or after 2099): got ${shown(raw)}`);
  return ok(ms);
}

/** Within 2000-2099: a handset clock outside it is broken, not merely skewed. */
export function isPlausibleTime(ms: number): boolean {
  return ms >= EARLIEST_MS && ms < LATEST_MS;
}

/**
 * Latitude 0 with longitude 0 is the handsets' "no fix" placeholder (Android's AML examples
 * send it with pm=N); for a 112 centre in Indonesia it is never a real caller.
 */
export function isNoFixPlaceholder(latitude: number, longitude: number): boolean {
  return latitude === 0 && longitude === 0;
}

/** A circle when the sender gave an uncertainty, a point when it did not. */
export function withShape(reading: FixReading): FixReading {
  return { ...reading, shape: reading.accuracyM === null ? 'point' : 'circle' };
}

/**
 * The last check before a message leaves a parser: it must satisfy the schema the rest of the
 * server trusts. A failure here is a parser bug, reported as a refusal so nothing throws.
 */
export function checkedMessage(message: AmlMessage): ParseResult<AmlMessage> {
  const result = amlMessageSchema.safeParse(message);
  if (result.success) return ok(result.data);
  const issue = result.error.issues[0];
  return refused(`the message fails its own schema at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
}
