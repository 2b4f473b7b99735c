import { z } from 'zod';

/** From `from` on (ms since the epoch), local time is UTC plus `offsetMs`, until the next segment. */
export interface OffsetSegment {
  from: number;
  offsetMs: number;
}

/** Reports and the live service level speak the centre's local time; Kota Bekasi's is WIB. */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().max(64).refine(isTimeZone, 'an IANA time zone, e.g. Asia/Jakarta');


const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (UTC+7 → 25 200 000). */
export function offsetAt(timeZone: string, at: number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The zone's offsets over [from, to): one segment for zones without daylight saving (all of
 * Indonesia), one more per change otherwise, each at the exact second the clocks change. SQL buckets rows
 * by day, month and hour with these, so a month boundary falls at local midnight.
 */
export function offsetSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ from, offsetMs: offsetAt(timeZone, from) }];
  for (let day = from + DAY_MS; day < to + DAY_MS; day += DAY_MS) {
    const at = Math.min(day, to);
    const last = segments.at(-1)!;
    if (offsetAt(timeZone, at) === last.offsetMs) continue;
    let low = Math.max(last.from, at - DAY_MS);
    let high = at;
    while (high - low > 1000) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(timeZone, middle) === last.offsetMs) low = middle;
      else high = middle;
    }
    // Clocks change on a whole second: the first whole second with the new offset.
    const second = Math.floor(high / 1000) * 1000;
    const change = offsetAt(timeZone, second) === last.offsetMs ? second + 1000 : second;
    segments.push({ from: change, offsetMs: offsetAt(timeZone, change) });
  }
  return segments;
}

/** Local midnight of a calendar date (YYYY-MM-DD) in the zone, as ms since the epoch. */
export function localMidnight(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day);
  const guess = wall - offsetAt(timeZone, wall);
  // Once more at the guessed instant: right even when the offset changed during that day.
  let start = wall - offsetAt(timeZone, guess);
  // Where clocks jump forward at midnight (Santiago, Cairo) there is no 00:00: the day starts
  // at the first instant whose date is `date`, found by the minute.
  for (let steps = 0; localDate(start, timeZone) < date && steps < 24 * 60; steps++) start += 60_000;
  return start;
}

/** The calendar date (YYYY-MM-DD) of an instant in the zone. */
export function localDate(at: number, timeZone: string): string {
  return new Date(at + offsetAt(timeZone, at)).toISOString().slice(0, 10);
}
