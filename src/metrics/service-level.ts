import { localDate, localMidnight } from '../time-zone.js';

/**
 * The service level siaga112 reports live: of the calls answered today (connected to an
 * operator since local midnight in the centre's time zone), the share connected within 10 s of
 * arriving at Asterisk (calls.connected_at − calls.arrived_at ≤ 10 000 ms).
 */
export const SERVICE_LEVEL_TARGET_MS = 10_000;
/** Kota Bekasi's day (WIB, UTC+7, no daylight saving). */
export const SERVICE_LEVEL_TIME_ZONE = 'Asia/Jakarta';

/** The instant the local day containing `at` began in `timeZone` (its 00:00, or its first instant). */
export function startOfDay(timeZone: string, at: number): number {
  return localMidnight(localDate(at, timeZone), timeZone);
}

/**
 * The window the service level counts at `now`: calls answered since today's start, of arrivals
 * no earlier than the longest a call may last before it (so the query reads an index range).
 */
export function serviceLevelWindow(now: number, longestCallMs: number, timeZone = SERVICE_LEVEL_TIME_ZONE) {
  const answeredFrom = startOfDay(timeZone, now);
  return { arrivedFrom: answeredFrom - longestCallMs, answeredFrom, until: now, targetMs: SERVICE_LEVEL_TARGET_MS };
}
