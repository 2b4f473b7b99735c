import { z } from 'zod';

/** When a number's calls go to the prank lane. */
export interface PrankPolicy {
  /** Prank marks within the window that put a number in the prank lane (default 3). */
  threshold: number;
  windowMs: number;
}

export const prankStatusSchema = z.object({
  number: z.string(), prankMarks: z.number().int(), prankLane: z.boolean(), clearedAt: z.number().nullable(),
});
export type PrankStatus = z.infer<typeof prankStatusSchema>;

/**
 * Pure: counts the prank marks of a number inside the window and after its last clearance. A
 * number in the prank lane hears a warning and waits behind real callers; it is never blocked,
 * because a prankster can have a real emergency.
 */
export function prankStatus(number: string, prankMarkTimes: number[], lastClearance: number | null, now: number, policy: PrankPolicy): PrankStatus {
  const since = Math.max(now - policy.windowMs, lastClearance ?? -Infinity);
  const prankMarks = prankMarkTimes.filter((at) => at > since && at <= now).length;
  return { number, prankMarks, prankLane: policy.threshold > 0 && prankMarks >= policy.threshold, clearedAt: lastClearance };
}
