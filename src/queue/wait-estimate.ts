/**
 * What a waiting caller is told: their position and an expected wait, rounded up to whole
 * minutes and said as "about"/"less than" so it is never a promise. Pure; the switchboard feeds
 * it the recent times from arrival to answer.
 */
export interface WaitAnnouncement {
  position: number;
  /** Rounded up to a whole minute; null when there is nothing to estimate from. */
  expectedMinutes: number | null;
  /** "less-than-a-minute", "about" or "unknown": how the prompt phrases it. */
  phrasing: 'less-than-a-minute' | 'about' | 'unknown';
}

/**
 * position: 1 for the next caller to be answered. recentWaitsMs: arrival-to-answer times of recent
 * calls (any order); the median is used so one long wait does not scare every caller.
 */
export function estimateWait(position: number, recentWaitsMs: readonly number[], freeOperators: number): WaitAnnouncement {
  if (recentWaitsMs.length === 0) return { position, expectedMinutes: null, phrasing: 'unknown' };
  const sorted = [...recentWaitsMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  // Callers ahead are answered in parallel by the operators answering calls now (at least one).
  const rounds = Math.ceil(position / Math.max(1, freeOperators));
  const expectedMs = median * rounds;
  if (expectedMs < 60_000) return { position, expectedMinutes: 1, phrasing: 'less-than-a-minute' };
  return { position, expectedMinutes: Math.ceil(expectedMs / 60_000), phrasing: 'about' };
}
