import { z } from 'zod';

/**
 * How a supervisor joins a live call from their phone: listen hears both sides, whisper also
 * speaks to the operator only, barge joins the call and is heard by everyone.
 */
export const MonitorMode = { listen: 'listen', whisper: 'whisper', barge: 'barge' } as const;
export const monitorModeSchema = z.enum(MonitorMode);
export type MonitorMode = z.infer<typeof monitorModeSchema>;
