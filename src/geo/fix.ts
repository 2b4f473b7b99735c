import { z } from 'zod';

/**
 * What a location fix is, whatever brought it: one schema for the parsers' output, the
 * location_fixes row, the API and the live stream.
 */
export const FIX_SOURCES = ['sip-pidf', 'sip-pidf-ref', 'aml-https', 'aml-sms', 'landline-registry', 'operator'] as const;
export const fixSourceSchema = z.enum(FIX_SOURCES);
export type FixSource = z.infer<typeof fixSourceSchema>;

export const FIX_SHAPES = ['point', 'circle', 'ellipse', 'polygon', 'civic'] as const;
export const fixShapeSchema = z.enum(FIX_SHAPES);
export type FixShape = z.infer<typeof fixShapeSchema>;

export const POSITIONING_METHODS = ['gnss', 'wifi', 'cell', 'fused', 'manual', 'unknown'] as const;
export const positioningMethodSchema = z.enum(POSITIONING_METHODS);
export type PositioningMethod = z.infer<typeof positioningMethodSchema>;

export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);

/** A civic address (RFC 5139 / PIDF-LO civicAddress elements, or a registry's columns). */
export const civicAddressSchema = z.object({
  country: z.string().max(2).optional(),
  /** Province (A1), city (A2), kecamatan (A3), kelurahan (A4), road (RD), house number (HNO)... */
  A1: z.string().max(200).optional(),
  A2: z.string().max(200).optional(),
  A3: z.string().max(200).optional(),
  A4: z.string().max(200).optional(),
  A5: z.string().max(200).optional(),
  A6: z.string().max(200).optional(),
  RD: z.string().max(200).optional(),
  HNO: z.string().max(50).optional(),
  HNS: z.string().max(50).optional(),
  LMK: z.string().max(200).optional(),
  LOC: z.string().max(200).optional(),
  FLR: z.string().max(50).optional(),
  NAM: z.string().max(200).optional(),
  PC: z.string().max(20).optional(),
  /** Free text, as an operator types it. */
  text: z.string().max(500).optional(),
}).strict();
export type CivicAddress = z.infer<typeof civicAddressSchema>;

/**
 * A parsed fix before it is correlated and stored. The point is the shape's centre (a polygon's
 * centroid); civic-only fixes have no point. Accuracy is the horizontal uncertainty in metres
 * (a circle's radius, an ellipse's semi-major axis, an AML accuracy).
 */
export const fixReadingSchema = z.object({
  source: fixSourceSchema,
  shape: fixShapeSchema,
  latitude: latitudeSchema.nullable(),
  longitude: longitudeSchema.nullable(),
  accuracyM: z.number().nonnegative().nullable(),
  confidencePct: z.number().min(0).max(100).nullable(),
  altitudeM: z.number().nullable(),
  verticalAccuracyM: z.number().nonnegative().nullable(),
  method: positioningMethodSchema,
  /** Ellipse: semi-major, semi-minor (m) and orientation (degrees from north). */
  ellipse: z.object({ semiMajorM: z.number().nonnegative(), semiMinorM: z.number().nonnegative(), orientationDeg: z.number() }).nullable(),
  /** Polygon: its ring as [latitude, longitude] pairs. */
  polygon: z.array(z.tuple([latitudeSchema, longitudeSchema])).nullable(),
  civic: civicAddressSchema.nullable(),
  /** When the device took the fix (ms since the epoch), when the source says. */
  fixedAt: z.number().int().nullable(),
}).strict().refine((f) => (f.latitude === null) === (f.longitude === null), 'latitude and longitude come together')
  .refine((f) => f.latitude !== null || f.civic !== null, 'a fix has a point or a civic address');
export type FixReading = z.infer<typeof fixReadingSchema>;

/** A blank reading of a source, for parsers to fill in. */
export function emptyReading(source: FixSource): FixReading {
  return {
    source, shape: 'point', latitude: null, longitude: null, accuracyM: null, confidencePct: null,
    altitudeM: null, verticalAccuracyM: null, method: 'unknown', ellipse: null, polygon: null, civic: null, fixedAt: null,
  };
}

/**
 * A parser's verdict: a reading, or a precise reason it was refused. Parsers never throw on
 * input; `reason` is what the sender gets back and what the rejected-intake log keeps.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const refused = <T = never>(reason: string): ParseResult<T> => ({ ok: false, reason });
