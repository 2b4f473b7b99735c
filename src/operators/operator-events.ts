import { z } from 'zod';
import type { Publisher } from '../events/event-bus.js';
import { operatorStateSchema } from './operator-states.js';

/** What the operator board publishes: every change of an operator's state, with what caused it. */
export const operatorEventSchemas = {
  'operator.state-changed': z.object({
    operatorId: z.string(),
    from: operatorStateSchema,
    to: operatorStateSchema,
    /** An OperatorTrigger, or what forced the state (reconcile, a supervisor). */
    trigger: z.string(),
    callId: z.string().nullable(),
    at: z.number().int(),
  }),
};

export type OperatorEventPublisher = Publisher<typeof operatorEventSchemas>;
