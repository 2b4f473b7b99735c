import { z } from 'zod';

/**
 * Where a callback owed to an abandoned caller stands: open, calling, done (reached), failed
 * (tried, not reached: still owed, so it stays listed) or matched (they called in again).
 */
export const CallbackStatus = { open: 'open', calling: 'calling', done: 'done', failed: 'failed', matched: 'matched' } as const;
export const callbackStatusSchema = z.enum(CallbackStatus);
export type CallbackStatus = z.infer<typeof callbackStatusSchema>;
