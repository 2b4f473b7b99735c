import { z } from 'zod';
import { callLocationSchema } from '../geo/best-location.js';
import { civicAddressSchema, latitudeSchema, longitudeSchema } from '../geo/fix.js';

/** The HTTP shapes of the location routes: the domain's schemas reused, bodies and params added. */

export const callLocation = callLocationSchema;

export const callIdParams = z.object({ id: z.uuid('must be a call id (UUID)') });
export const fixIdParams = z.object({ id: z.uuid('must be a fix id (UUID)') });

/** An operator's own fix: coordinates (with how sure they are), an address, or both. */
export const operatorFixBody = z.object({
  latitude: latitudeSchema.optional(),
  longitude: longitudeSchema.optional(),
  accuracyM: z.number().nonnegative().max(100_000).optional(),
  civic: civicAddressSchema.optional(),
}).strict()
  .refine((b) => (b.latitude === undefined) === (b.longitude === undefined), 'latitude and longitude come together')
  .refine((b) => b.latitude !== undefined || b.civic !== undefined, 'give coordinates, an address, or both');

export const confirmBody = z.object({ fixId: z.uuid('must be a fix id (UUID)') }).strict();

export const amlOutcome = z.object({
  status: z.enum(['attached', 'held']).describe('attached to a call now, or held until a call from the number comes'),
  callId: z.string().optional(),
  fixId: z.string().optional(),
});

export const amlSmsBody = z.object({
  from: z.string().min(1).max(32).describe('the number the SMS came from, as the gateway reports it'),
  text: z.string().min(1).max(2048),
}).strict();

export const rejectionList = z.object({
  total: z.number().int(),
  items: z.array(z.object({
    id: z.number().int(), at: z.iso.datetime(), intake: z.string(), sender: z.string(), reason: z.string(),
    callId: z.string().nullable(), raw: z.string(),
  })),
});
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const rawFix = z.object({ id: z.string(), source: z.string(), raw: z.string() });

export const landlineImportQuery = z.object({
  partial: z.enum(['true', 'false']).default('false').describe('true: keep the good rows even when some are bad'),
});
export const landlineImportResult = z.object({
  imported: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});

export const kecamatanMapView = z.object({ names: z.array(z.string()) });
