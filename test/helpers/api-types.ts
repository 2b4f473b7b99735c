import type { z } from 'zod';
import type {
  callbackRecord, callDetail, callList, callSummary, health, operatorStatus, presenceList, queueState, transferStarted,
} from '../../src/http/schemas.js';

/*
 * What the API answers, typed from the routes' own response schemas: tests that read bodies from
 * a running service (e2e, chaos) use these instead of declaring the shapes again.
 */
export type CallJson = z.infer<typeof callSummary>;
export type CallListJson = z.infer<typeof callList>;
export type CallDetailJson = z.infer<typeof callDetail>;
export type CallEventJson = CallDetailJson['events'][number];
export type OperatorJson = z.infer<typeof operatorStatus>;
export type QueueJson = z.infer<typeof queueState>;
export type HealthJson = z.infer<typeof health>;
export type PresenceJson = z.infer<typeof presenceList>;
export type CallbackJson = z.infer<typeof callbackRecord>;
export type TransferJson = z.infer<typeof transferStarted>;
