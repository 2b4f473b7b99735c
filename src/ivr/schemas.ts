import { z } from 'zod';
import { flowVersionInfoSchema } from './flow-service.js';

/** The HTTP shapes of this capability's routes: domain schemas reused, only bodies, params and ISO times added. */

export const flowVersionInfo = flowVersionInfoSchema;

export const createFlowBody = z.object({
  flow: z.unknown().describe('the flow document (see src/ivr/flow-schema.ts)'),
  note: z.string().max(500).default(''),
});

export const flowIdParams = z.object({ flowId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a flow id such as default-112') });

export const versionParams = z.object({ version: z.coerce.number().int().min(1) });

export const activateBody = z.object({ version: z.number().int().min(1) });

export const diffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
