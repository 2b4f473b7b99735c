import { z } from 'zod';
import { civicAddressSchema, fixShapeSchema, fixSourceSchema, latitudeSchema, longitudeSchema, positioningMethodSchema } from './fix.js';

/**
 * A fix as stored and as clients see it (API, live stream): the reading with where it belongs
 * (call, number, kecamatan) and who entered or confirmed it. One schema for all of them.
 */
export const storedFixSchema = z.object({
  id: z.uuid(),
  callId: z.string(),
  source: fixSourceSchema,
  shape: fixShapeSchema,
  latitude: latitudeSchema.nullable(),
  longitude: longitudeSchema.nullable(),
  accuracyM: z.number().nullable(),
  confidencePct: z.number().nullable(),
  altitudeM: z.number().nullable(),
  verticalAccuracyM: z.number().nullable(),
  method: positioningMethodSchema,
  ellipse: z.object({ semiMajorM: z.number(), semiMinorM: z.number(), orientationDeg: z.number() }).nullable(),
  polygon: z.array(z.tuple([z.number(), z.number()])).nullable(),
  civic: civicAddressSchema.nullable(),
  /** When the device took the fix (ISO 8601), when the source says; when we received it. */
  fixedAt: z.iso.datetime().nullable(),
  receivedAt: z.iso.datetime(),
  number: z.string(),
  /** The kecamatan of the point ("outside Kota Bekasi" beyond the city), null without a point. */
  kecamatan: z.string().nullable(),
  /** Every kecamatan the fix's accuracy circle touches (one, unless it crosses a boundary). */
  kecamatanTouched: z.array(z.string()),
  /** An operator's fix: who entered it (kind:id), and the fix it confirms. */
  enteredBy: z.string().nullable(),
  confirmsFixId: z.uuid().nullable(),
});
export type StoredFix = z.infer<typeof storedFixSchema>;

/** The JSON geometry column of a fix row: what does not fit the flat columns. */
export const fixGeometrySchema = z.object({
  ellipse: storedFixSchema.shape.ellipse.optional(),
  polygon: storedFixSchema.shape.polygon.optional(),
  civic: civicAddressSchema.nullable().optional(),
});
