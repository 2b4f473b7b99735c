import { z } from 'zod';
import { FORCEABLE_STATES } from './operator-service.js';
import { operatorSkillsSchema } from './operator-board.js';
import { operatorStateSchema } from './operator-states.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

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
