import { selfCheckStatus } from '../reconcile/reconciler.js';
import { FORCEABLE_STATES } from '../operators/operator-service.js';
import { dispositionSchema } from '../calls/disposition-service.js';
import { admissionStatusSchema } from '../calls/admission.js';
import { operatorStateSchema } from '../queue/acd.js';
import { queueStateViewSchema } from '../queue/queue-state.js';
import { monitorModeSchema } from '../queue/monitor-mode.js';
import { callbackStatusSchema } from '../callbacks/callback-status.js';
import { operatorSkillsSchema } from '../operators/operator-board.js';
import { callTagsSchema, eventDetailSchema } from '../db/calls-repository.js';
import { linkStatusSchema } from '../telephony/port.js';
import { contactStateSchema } from '../ami/contact-presence.js';
import { prankStatusSchema } from '../calls/prank-policy.js';
import { flowVersionInfoSchema } from '../ivr/flow-service.js';
import { z } from 'zod';

/**
 * The API's shapes: one schema each, shared by routes, OpenAPI and tests. A shape the domain
 * owns is imported from its module; only what exists for HTTP alone (bodies, params, lists,
 * times as ISO strings) is built here.
 */

export { errorBody } from './errors.js';

const isoTime = z.iso.datetime({ offset: true });

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

export const callDetail = callSummary.extend({ events: z.array(callEvent) });

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

export const flowVersionInfo = flowVersionInfoSchema;

export const createFlowBody = z.object({
  flow: z.unknown().describe('the flow document (see src/ivr/flow-schema.ts)'),
  note: z.string().max(500).default(''),
});

export const flowIdParams = z.object({ flowId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a flow id such as default-112') });
export const versionParams = z.object({ version: z.coerce.number().int().min(1) });
export const activateBody = z.object({ version: z.number().int().min(1) });
export const diffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

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

export const operatorStatus = z.object({
  id: z.string(),
  endpoint: z.string(),
  state: operatorStateSchema,
  pauseReason: z.string().nullable().describe('break, no-answer (auto-paused after an unanswered ring) ...'),
  reachable: z.boolean().describe('the softphone is registered and answers qualify'),
  stateSince: z.string(),
  idleSince: z.string(),
  callId: z.string().nullable(),
  ...operatorSkillsSchema.shape,
});
export type OperatorStatusBody = z.infer<typeof operatorStatus>;

export const pauseBody = z.object({ reason: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a short reason such as break or briefing').default('break') });

export const skillsBody = operatorSkillsSchema;

export const forceStateBody = z.object({
  state: z.enum(FORCEABLE_STATES),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(200),
});

export const operatorIdParams = z.object({ operatorId: z.string().regex(/^[a-z][a-z0-9]{1,31}$/, 'must be an operator id such as op001') });

export const queueState = queueStateViewSchema.extend({ at: z.string() });
export type QueueState = z.infer<typeof queueState>;

export const transferBody = z.object({
  agency: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be an agency name such as damkar'),
  stay: z.boolean().default(true).describe('true: conference; false: hand the caller over and leave'),
});

export const transferStarted = z.object({ callId: z.string(), agency: z.string(), number: z.string(), channelId: z.string() });

export const monitorBody = z.object({
  endpoint: z.string().regex(/^sup[0-9]{3}$/, 'must be a supervisor phone such as sup001'),
  mode: monitorModeSchema.describe('listen: hear both; whisper: also speak to the operator only; barge: join the call'),
});
export const monitorStarted = z.object({ callId: z.string(), mode: monitorModeSchema, channelId: z.string() });

export const callbackRecord = z.object({
  id: z.string(), callId: z.string(), number: z.string(), createdAt: z.string(),
  status: callbackStatusSchema.describe('failed: tried, not reached (still owed); matched: they called in again'),
  operatorId: z.string().nullable(), attempts: z.number().int(), outcome: z.string().nullable(), matchedCallId: z.string().nullable(), updatedAt: z.string(),
});
export const callbackIdParams = z.object({ id: z.uuid('must be a callback id (UUID)') });
