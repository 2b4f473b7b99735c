/**
 * The service level siaga112 reports live: of the calls answered today (connected to an
 * operator since local midnight in the centre's time zone), the share connected within 10 s of
 * arriving at Asterisk (calls.connected_at − calls.arrived_at ≤ 10 000 ms).
 */
export const SERVICE_LEVEL_TARGET_MS = 10_000;
/** Kota Bekasi's day (WIB, UTC+7, no daylight saving). */
export const SERVICE_LEVEL_TIME_ZONE = 'Asia/Jakarta';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Where `at` falls on the wall clock of `timeZone`, as if that wall clock were UTC. */
function wallClockAt(timeZone: string, at: number): { midnight: number; wall: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const [year, month, day] = [part('year'), part('month') - 1, part('day')];
  const midnight = Date.UTC(year, month, day);
  const wall = Date.UTC(year, month, day, part('hour'), part('minute'), part('second')) + (((at % 1000) + 1000) % 1000);
  return { midnight, wall };
}

/** The instant the local day containing `at` began in `timeZone` (its 00:00). */
export function startOfDay(timeZone: string, at: number): number {
  const { midnight, wall } = wallClockAt(timeZone, at);
  const guess = midnight - (wall - at);
  // The offset at midnight, not now: they differ on a day the zone changes its clocks.
  const atGuess = wallClockAt(timeZone, guess);
  return midnight - (atGuess.wall - guess);
}

/**
 * The window the service level counts at `now`: calls answered since today's start, of arrivals
 * no earlier than the longest a call may last before it (so the query reads an index range).
 */
export function serviceLevelWindow(now: number, longestCallMs: number, timeZone = SERVICE_LEVEL_TIME_ZONE) {
  const answeredFrom = startOfDay(timeZone, now);
  return { arrivedFrom: answeredFrom - longestCallMs, answeredFrom, until: now, targetMs: SERVICE_LEVEL_TARGET_MS };
}
