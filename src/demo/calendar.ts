/**
 * Time as Kota Bekasi lives it: Asia/Jakarta, UTC+7 all year (Indonesia has no daylight saving),
 * so local hours and days are plain arithmetic on the epoch.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const JAKARTA_OFFSET_MS = 7 * HOUR_MS;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight in Jakarta at the start of a `YYYY-MM-DD` day, in ms since the epoch; null if it is no date. */
export function jakartaMidnight(date: string): number | null {
  const match = DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: such a date is refused, not moved.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return utc - JAKARTA_OFFSET_MS;
}

export interface LocalTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** Whole days since the epoch, counted in Jakarta. */
  dayNumber: number;
}

export function jakartaTime(ms: number): LocalTime {
  const local = new Date(ms + JAKARTA_OFFSET_MS);
  return {
    year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(),
    hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: local.getUTCDay(),
    dayNumber: Math.floor((ms + JAKARTA_OFFSET_MS) / DAY_MS),
  };
}

/** `YYYY-MM-DD` of a moment, in Jakarta. */
export function jakartaDate(ms: number): string {
  return new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight in Jakarta of the day `ms` falls in. */
export function startOfJakartaDay(ms: number): number {
  return Math.floor((ms + JAKARTA_OFFSET_MS) / DAY_MS) * DAY_MS - JAKARTA_OFFSET_MS;
}
