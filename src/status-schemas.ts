import { z } from 'zod';
import { admissionStatusSchema } from './calls/admission.js';
import { contactStateSchema } from './ami/contact-presence.js';
import { linkStatusSchema } from './telephony/port.js';
import { selfCheckStatus } from './reconcile/reconciler.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

export const health = z.object({
  status: z.enum(['ok', 'degraded']),
  ari: linkStatusSchema,
  ami: z.object({ connected: z.boolean() }),
  database: z.object({ ok: z.boolean(), pendingWrites: z.number().int().describe('call-path writes waiting in memory for a lock held by another process') }),
  admission: admissionStatusSchema,
  selfCheck: selfCheckStatus,
});

export const presenceList = z.object({ contacts: z.array(contactStateSchema.extend({ updatedAt: z.string() })) });

export type PresenceList = z.infer<typeof presenceList>;
