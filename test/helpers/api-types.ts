import type { z } from 'zod';
import type { callbackRecord } from '../../src/callbacks/schemas.js';
import type { callDetail, callList, callSummary } from '../../src/calls/schemas.js';
import type { callLocation, rejectionList } from '../../src/location/schemas.js';
import type { health, presenceList } from '../../src/status-schemas.js';
import type { operatorStatus } from '../../src/operators/schemas.js';
import type { queueState, transferStarted } from '../../src/queue/schemas.js';

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
export type CallLocationJson = z.infer<typeof callLocation>;
export type RejectionListJson = z.infer<typeof rejectionList>;
