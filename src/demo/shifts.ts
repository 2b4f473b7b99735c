import { DAY_MS, HOUR_MS, JAKARTA_OFFSET_MS, jakartaTime, startOfJakartaDay } from './calendar.js';
import type { Random } from './random.js';

/**
 * The centre's roster: twelve operators (op001-op012, each a PJSIP endpoint) in four teams of
 * three, on three eight-hour shifts (pagi 07-15, siang 15-23, malam 23-07). Teams rotate two days
 * per shift and then two days off, offset by two days, so every shift of every day has one team.
 */
export const DEMO_OPERATORS = Array.from({ length: 12 }, (_, i) => `op${String(i + 1).padStart(3, '0')}`);

const SHIFT_STARTS = [7, 15, 23] as const;
const SHIFT_MS = 8 * HOUR_MS;
/** A few operators are off sick on any day: their team works the shift one short. */
const ABSENCE = 0.03;

/**
 * Approximate prayer times in Bekasi (they drift by some twenty minutes over the year): each
 * operator who prays takes a short pause for those inside their shift, one after another.
 */
const PRAYERS_LOCAL_MINUTES = [4 * 60 + 35, 11 * 60 + 55, 15 * 60 + 15, 18 * 60, 19 * 60 + 10];

export interface Pause {
  at: number;
  durationMs: number;
  reason: 'break' | 'sholat';
}

export interface Shift {
  operatorId: string;
  /** Log-in and log-out: a little before the shift for the handover, a little after its end. */
  loginAt: number;
  logoutAt: number;
  /**
   * The shift runs past the period's end: its operators stop at the end (so a later period can
   * follow on), but only once the callers who came in before it have all been answered.
   */
  closesPeriod: boolean;
  pauses: Pause[];
}

/** Which shift (0 pagi, 1 siang, 2 malam) a team works on a day, or null on its days off. */
function shiftOfTeam(team: number, dayNumber: number): number | null {
  const phase = (dayNumber + 2 * team) % 8;
  return phase < 6 ? Math.floor(phase / 2) : null;
}

/** Every operator's shifts that overlap [from, to), with their breaks, clipped to the period. */
export function rosterBetween(rng: Random, from: number, to: number): Shift[] {
  const shifts: Shift[] = [];
  for (let day = startOfJakartaDay(from) - DAY_MS; day < to; day += DAY_MS) {
    const dayNumber = jakartaTime(day).dayNumber;
    for (let team = 0; team < 4; team += 1) {
      const shift = shiftOfTeam(team, dayNumber);
      if (shift === null) continue;
      const start = day + SHIFT_STARTS[shift]! * HOUR_MS;
      const end = start + SHIFT_MS;
      if (end <= from || start >= to) continue;
      for (let member = 0; member < 3; member += 1) {
        const operatorId = DEMO_OPERATORS[team * 3 + member]!;
        if (rng.chance(ABSENCE)) continue;
        const loginAt = Math.max(from, Math.round(start - rng.between(2, 12) * 60_000));
        const logoutAt = Math.round(end + rng.between(1, 15) * 60_000);
        const closesPeriod = logoutAt > to;
        shifts.push({ operatorId, loginAt, logoutAt: closesPeriod ? to : logoutAt, closesPeriod, pauses: pausesOf(rng, operatorId, member, start, end) });
      }
    }
  }
  return shifts.sort((a, b) => a.loginAt - b.loginAt || a.operatorId.localeCompare(b.operatorId));
}

/** A meal break mid-shift (members staggered), and the prayers inside the shift for those who pray. */
function pausesOf(rng: Random, operatorId: string, member: number, start: number, end: number): Pause[] {
  const pauses: Pause[] = [{ at: Math.round(start + (3.5 + member * 0.9) * HOUR_MS + rng.between(-10, 10) * 60_000), durationMs: rng.between(30, 45) * 60_000, reason: 'break' }];
  // Two in twelve operators do not take the prayer pauses (they pray in the meal break, or not).
  if (operatorId === 'op003' || operatorId === 'op008') return pauses;
  const midnight = startOfJakartaDay(start);
  for (const dayStart of [midnight, midnight + DAY_MS]) {
    for (const minutes of PRAYERS_LOCAL_MINUTES) {
      const at = Math.round(dayStart + minutes * 60_000 + member * 15 * 60_000 + rng.between(0, 8) * 60_000);
      if (at > start + 15 * 60_000 && at < end - 20 * 60_000 && !pauses.some((p) => Math.abs(p.at - at) < HOUR_MS)) {
        pauses.push({ at, durationMs: rng.between(8, 15) * 60_000, reason: 'sholat' });
      }
    }
  }
  return pauses.sort((a, b) => a.at - b.at);
}

/** The team on a shift at a moment (for who records an agency's news when it comes in). */
export function operatorsOnShiftAt(at: number): string[] {
  const local = at + JAKARTA_OFFSET_MS;
  const hour = Math.floor((local % DAY_MS) / HOUR_MS);
  // A malam shift that began before midnight belongs to the day before.
  const dayNumber = Math.floor(local / DAY_MS) - (hour < 7 ? 1 : 0);
  const shift = hour >= 7 && hour < 15 ? 0 : hour >= 15 && hour < 23 ? 1 : 2;
  const team = [0, 1, 2, 3].find((t) => shiftOfTeam(t, dayNumber) === shift) ?? 0;
  return DEMO_OPERATORS.slice(team * 3, team * 3 + 3);
}
