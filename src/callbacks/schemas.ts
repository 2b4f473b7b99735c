import { z } from 'zod';
import { callbackStatusSchema } from './callback-status.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

export const callbackRecord = z.object({
  id: z.string(), callId: z.string(), number: z.string(), createdAt: z.string(),
  status: callbackStatusSchema.describe('failed: tried, not reached (still owed); matched: they called in again'),
  operatorId: z.string().nullable(), attempts: z.number().int(), outcome: z.string().nullable(), matchedCallId: z.string().nullable(), updatedAt: z.string(),
});

export const callbackIdParams = z.object({ id: z.uuid('must be a callback id (UUID)') });

