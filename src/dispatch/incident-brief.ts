import { z } from 'zod';
import { civicAddressSchema, fixSourceSchema, latitudeSchema, longitudeSchema, positioningMethodSchema } from '../geo/fix.js';
import { categorySchema } from '../ivr/flow-schema.js';
import { subcategorySchema } from './agency-routing.js';

/** How bad it is, as the operator judges from the call (the agency decides what to send). */
export const SEVERITIES = ['minor', 'moderate', 'serious', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** Where a location came from: one of the call's fixes (with its source), or typed in by someone. */
export const locationProvenanceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call-fix'), callId: z.string(), fixId: z.uuid(), source: fixSourceSchema, method: positioningMethodSchema }),
  z.object({ kind: z.literal('entered'), by: z.string() }),
]);

/** An incident's location: a point (with its uncertainty) and/or an address, its kecamatan, its provenance. */
export const incidentLocationSchema = z.object({
  latitude: latitudeSchema.nullable(),
  longitude: longitudeSchema.nullable(),
  accuracyM: z.number().nonnegative().nullable(),
  civic: civicAddressSchema.nullable(),
  /** Free text the operator adds: a landmark, "behind the market". */
  description: z.string().max(300).nullable(),
  /** Derived from the point by the kecamatan map ("outside Kota Bekasi" beyond it); null without a point. */
  kecamatan: z.string().nullable(),
  provenance: locationProvenanceSchema,
});
export type IncidentLocation = z.infer<typeof incidentLocationSchema>;

/**
 * What an agency is told about an incident when it is dispatched: the webhook's `incident`, kept
 * with the dispatch so every later webhook of that dispatch tells the same story.
 */
export const incidentBriefSchema = z.object({
  incidentId: z.string(),
  category: categorySchema,
  subcategory: subcategorySchema.nullable(),
  description: z.string(),
  severity: severitySchema,
  peopleAffected: z.number().int().min(0),
  peopleHurt: z.boolean(),
  location: incidentLocationSchema.nullable(),
  /** The number the agency calls the reporter back on. */
  callbackNumber: z.string(),
});
export type IncidentBrief = z.infer<typeof incidentBriefSchema>;
