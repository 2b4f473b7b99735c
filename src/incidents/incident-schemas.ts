import { z } from 'zod';
import { agencyIdSchema, subcategorySchema } from '../dispatch/agency-routing.js';
import { dispatchView } from '../dispatch/dispatch-schemas.js';
import { incidentLocationSchema, severitySchema } from '../dispatch/incident-brief.js';
import { civicAddressSchema, latitudeSchema, longitudeSchema } from '../geo/fix.js';
import { categorySchema } from '../ivr/flow-schema.js';

/** How a call came to report an incident: it started it, an operator linked it, or a mass-call event did. */
export const LinkHow = { first: 'first', linked: 'linked', surge: 'surge' } as const;
export const linkHowSchema = z.enum(LinkHow);
export type LinkHow = z.infer<typeof linkHowSchema>;

const numberSchema = z.string().regex(/^[0-9+]{3,20}$/, 'a phone number: digits, optionally a leading +');

/** A location as the operator gives it: one of the call's fixes, or a point or an address they type in. */
export const locationInput = z.union([
  z.object({ fixId: z.uuid(), description: z.string().trim().max(300).optional() }).strict(),
  z.object({
    latitude: latitudeSchema, longitude: longitudeSchema, accuracyM: z.number().nonnegative().max(100_000).optional(),
    civic: civicAddressSchema.optional(), description: z.string().trim().max(300).optional(),
  }).strict(),
  z.object({ civic: civicAddressSchema, description: z.string().trim().max(300).optional() }).strict(),
]);
export type LocationInput = z.infer<typeof locationInput>;

/** What describes an incident; every field of it can change later (each change an event). */
export const incidentFields = {
  category: categorySchema,
  subcategory: subcategorySchema.nullable(),
  description: z.string().trim().min(1).max(2000),
  severity: severitySchema,
  peopleAffected: z.number().int().min(0).max(1_000_000),
  peopleHurt: z.boolean(),
  callbackNumber: numberSchema,
};

export const createIncidentBody = z.object({
  callId: z.string().min(1).describe('the call the incident is created from'),
  category: incidentFields.category,
  subcategory: subcategorySchema.optional(),
  description: incidentFields.description,
  severity: incidentFields.severity.default('moderate'),
  peopleAffected: incidentFields.peopleAffected.default(0),
  peopleHurt: incidentFields.peopleHurt.default(false),
  location: locationInput.optional(),
  callbackNumber: incidentFields.callbackNumber.optional().describe('default: the caller\'s number'),
  agencies: z.array(agencyIdSchema).max(20).optional().describe('default: the routing table\'s proposal'),
}).strict();
export type CreateIncident = z.infer<typeof createIncidentBody>;

export const updateIncidentBody = z.object({ ...incidentFields, location: locationInput.nullable() }).partial().strict()
  .refine((body) => Object.keys(body).length > 0, 'say what changes');
export type UpdateIncident = z.infer<typeof updateIncidentBody>;

export const linkCallBody = z.object({ callId: z.string().min(1) }).strict();
export const agencyBody = z.object({ agencyId: agencyIdSchema }).strict();
export const noteBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();
export const dispatchBody = z.object({
  agencies: z.array(agencyIdSchema).min(1).max(20).optional().describe('default: the incident\'s agencies not already on their way'),
}).strict();
export const incidentIdParams = z.object({ id: z.uuid() });
export const incidentAgencyParams = z.object({ id: z.uuid(), agencyId: agencyIdSchema });
export const incidentListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

/** The fields stored with an incident's events (the location resolved: kecamatan and provenance). */
const storedFields = z.object({ ...incidentFields, location: incidentLocationSchema.nullable() });

/** Every change of an incident, as the append-only log keeps it. */
export const incidentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('created'), fields: storedFields, agencies: z.array(agencyIdSchema) }),
  z.object({ type: z.literal('updated'), changes: storedFields.partial() }),
  z.object({ type: z.literal('call-linked'), callId: z.string(), how: linkHowSchema }),
  z.object({ type: z.literal('agency-added'), agencyId: agencyIdSchema }),
  z.object({ type: z.literal('agency-removed'), agencyId: agencyIdSchema }),
  z.object({ type: z.literal('note'), text: z.string() }),
  z.object({ type: z.literal('mass-call-started'), eventTag: z.string(), surgeKey: z.string(), announcementId: z.number().int() }),
  z.object({ type: z.literal('mass-call-ended'), eventTag: z.string() }),
]);
export type IncidentEvent = z.infer<typeof incidentEventSchema>;
export type StoredIncidentFields = z.infer<typeof storedFields>;

const iso = z.string().describe('ISO 8601');

export const incidentView = z.object({
  id: z.uuid(),
  createdAt: iso,
  createdBy: z.string(),
  ...storedFields.shape,
  agencies: z.array(agencyIdSchema),
  calls: z.array(z.object({ callId: z.string(), how: linkHowSchema, linkedAt: iso, by: z.string() })),
  dispatches: z.array(dispatchView.omit({ incident: true })),
  notes: z.array(z.object({ text: z.string(), at: iso, by: z.string() })),
  massCall: z.object({ eventTag: z.string(), active: z.boolean() }).nullable(),
  updatedAt: iso,
});
export type IncidentView = z.infer<typeof incidentView>;

/** Subcategories per category, as admins configure them. */
export const subcategoriesBody = z.partialRecord(categorySchema, z.array(subcategorySchema).max(50))
  .refine((body) => Object.values(body).every((list) => new Set(list).size === list.length), 'a subcategory appears twice in one category');
export const subcategoriesView = z.record(categorySchema, z.array(subcategorySchema));
