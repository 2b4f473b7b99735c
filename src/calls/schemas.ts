import { callLocationSchema } from '../geo/best-location.js';
import { z } from 'zod';
import { callTagsSchema, eventDetailSchema } from '../db/calls-repository.js';
import { callOutcomeSchema } from './call-outcome.js';
import { dispositionSchema } from './disposition-service.js';
import { prankStatusSchema } from './prank-policy.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

export const isoTime = z.iso.datetime({ offset: true });

export const callSummary = z.object({
  id: z.string(),
  channelId: z.string(),
  callerNumber: z.string(),
  callerName: z.string(),
  dialledNumber: z.string(),
  state: z.string(),
  endReason: z.string().nullable(),
  fallbackReason: z.string().nullable(),
  arrivedAt: z.string(),
  answeredAt: z.string().nullable(),
  enqueuedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  category: z.string().nullable().describe('chosen in the IVR or preset by the dialled alias'),
  priority: z.number().nullable().describe('queue priority: higher is answered first'),
  language: z.string().nullable(),
  tags: callTagsSchema.describe('silent-caller, ghost ...'),
  ivrVersion: z.number().nullable().describe('the IVR flow version this call ran'),
  connectedAt: z.string().nullable().describe('when an operator answered'),
  operatorId: z.string().nullable(),
  queueWaitMs: z.number().nullable().describe('enqueue to operator answer, or to hang-up when abandoned'),
  recording: z.string().nullable().describe('name of the call recording while it is kept'),
});

export type CallSummary = z.infer<typeof callSummary>;

export const callEvent = z.object({
  at: z.string(),
  type: z.string(),
  detail: eventDetailSchema.nullable(),
});

export const callDetail = callSummary.extend({
  events: z.array(callEvent),
  location: callLocationSchema.describe('where the caller is: every fix of the call and its best location now'),
  outcome: callOutcomeSchema.describe('how the call counts in reports: its current disposition, abandoned, ghost'),
  incident: z.object({ incidentId: z.string(), how: z.enum(['first', 'linked', 'surge']) }).nullable().describe('the incident the call reports'),
});

export const callListQuery = z.object({
  from: isoTime.optional().describe('arrival at or after this time (ISO 8601)'),
  to: isoTime.optional().describe('arrival before this time (ISO 8601)'),
  dialled: z.string().regex(/^[0-9*#+]{1,32}$/, 'must be a dialled number such as 112').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
  message: 'from must be before to', path: ['from'],
});

export const callList = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(callSummary),
});

export const callIdParams = z.object({ id: z.uuid('must be a call id (UUID)') });

export const dispositionBody = z.object({
  disposition: dispositionSchema,
  note: z.string().max(500).default(''),
});

export const dispositionRecord = z.object({
  id: z.number().int(), callId: z.string(), number: z.string(), disposition: dispositionSchema, note: z.string(), by: z.string(), at: z.string(),
});

export const numberParams = z.object({ number: z.string().regex(/^\+?[0-9]{3,20}$/, 'must be a phone number such as 081234567890 or +6281234567890') });

export const prankStatusBody = prankStatusSchema.extend({ clearedAt: z.string().nullable() });

export const clearNumberBody = z.object({ reason: z.string().min(1).max(500) });
