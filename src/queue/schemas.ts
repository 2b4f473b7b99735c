import { z } from 'zod';
import { monitorModeSchema } from './monitor-mode.js';
import { queueStateViewSchema } from './queue-state.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

export const queueState = queueStateViewSchema.extend({ at: z.string() });

export type QueueState = z.infer<typeof queueState>;

export const transferBody = z.object({
  agency: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be an agency name such as damkar'),
  stay: z.boolean().default(true).describe('true: conference; false: hand the caller over and leave'),
});

export const transferStarted = z.object({ callId: z.string(), agency: z.string(), number: z.string(), channelId: z.string() });

export const monitorBody = z.object({
  endpoint: z.string().regex(/^sup[0-9]{3}$/, 'must be a supervisor phone such as sup001'),
  mode: monitorModeSchema.describe('listen: hear both; whisper: also speak to the operator only; barge: join the call'),
});

export const monitorStarted = z.object({ callId: z.string(), mode: monitorModeSchema, channelId: z.string() });
