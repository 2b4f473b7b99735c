import type { Category } from '../ivr/flow-schema.js';
import type { LocalTime } from './calendar.js';

/**
 * The chosen mix, for the default period (1 January to 31 October 2026, Asia/Jakarta, 304 days):
 *
 *   54,000 calls (about 178 a day):
 *     valid       7,500  13.9 %  an incident is created from the call (the seed's >7,500 reports)
 *     duplicate   1,350   2.5 %  another caller about a known incident, linked to it
 *     info        4,320   8.0 %  a question, not an emergency (PLN's number, a permit, a lost KTP)
 *     prank      12,420  23.0 %  Jakarta 2024's share (637,292 calls, 23 % pranks)
 *     ghost      26,300  48.7 %  nobody on the line: pocket dials, SIM-less and faulty handsets
 *     test          540   1.0 %  network and handset tests, the centre's own checks
 *     abandoned   1,350   2.5 %  the caller hung up before an operator (30 % in the IVR)
 *     fallback      220   0.4 %  the dialplan fallback took the call (siaga112 down or refusing)
 *
 * Why: the seed's 7,500 reports in ten months fix the real calls; a centre of Bekasi's size
 * (2.6 million people, a 112 service only since Perwal 32/2024) sees fewer calls per resident
 * than Jakarta, and, as small centres report, mostly junk: pranks at Jakarta's 23 % and ghost
 * calls the largest share. About 14 % real incidents sits between Jakarta's share and the ~1 %
 * of the smallest cities. During a fortnight's trial of the ghost-call policy (see
 * GHOST_POLICY_TRIAL) the IVR hangs up silent calls itself, so some 1,200 ghost calls end there
 * without an operator. A shorter or other period scales every count by its share of each
 * kind's arrival curve (seasons, weekdays, hours), so its counts follow the same intensities.
 */
export const CALL_KINDS = ['valid', 'duplicate', 'info', 'prank', 'ghost', 'test', 'abandoned', 'fallback'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

export const DEFAULT_PERIOD = { from: '2026-01-01', to: '2026-10-31' } as const;

export const DEFAULT_COUNTS: Record<Exclude<CallKind, 'valid'>, number> = {
  duplicate: 1350, info: 4320, prank: 12420, ghost: 26300, test: 540, abandoned: 1350, fallback: 220,
};

/**
 * The seed's table, count for count (Diskominfostandi Kota Bekasi, January to October 2025):
 * 2,180 traffic accidents (29 %), 1,420 fires (19 %), 1,210 medical (16 %), 940 local disasters
 * (13 %), 860 crime and public order (11 %), 890 other (12 %): 7,500 valid incidents.
 */
export const SEED_INCIDENTS: Record<Category, number> = {
  traffic: 2180, fire: 1420, medical: 1210, disaster: 940, crime: 860, other: 890,
};

/** The seed's shares as published (percent), the yardstick the generated incidents are held to. */
export const SEED_SHARES_PCT: Record<Category, number> = { traffic: 29, fire: 19, medical: 16, disaster: 13, crime: 11, other: 12 };

/** The ghost-call policy's trial: the IVR hangs up on silence (flow version with a hangup step), then rolled back. */
export const GHOST_POLICY_TRIAL = { from: '2026-08-03', to: '2026-08-16' } as const;

/** Every arrival curve the mix uses: one per incident category and per other kind. */
export type CurveName = Category | 'info' | 'prank' | 'ghost' | 'test' | 'general';

/** Relative arrivals per hour of the day (00-23, Jakarta). */
const HOURS: Record<CurveName, readonly number[]> = {
  // Commutes: Kalimalang and Ahmad Yani at 07:00 and 17:00.
  traffic: [2, 1.5, 1, 1, 1.5, 3, 6, 8, 6, 4.5, 4, 4.5, 5, 5, 5, 6, 7.5, 8, 7, 5.5, 4.5, 4, 3.5, 2.5],
  // Cooking hours and the afternoon heat.
  fire: [2, 1.5, 1.2, 1, 1, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7, 6.5, 6, 5.5, 5.5, 6, 6.5, 6, 5, 4, 3.5, 3, 2.5],
  medical: [3, 2.5, 2.5, 2.5, 3, 4, 5, 6, 6, 5.5, 5, 5, 5, 5, 5, 5, 5, 5.5, 6, 6, 5.5, 5, 4.5, 3.5],
  // Bekasi's rain comes in the afternoon: floods and fallen trees follow it.
  disaster: [2, 1.5, 1.5, 1.5, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6.5, 7.5, 8, 8, 7.5, 6.5, 5.5, 4.5, 3.5, 3, 2.5],
  crime: [5, 5, 4, 3, 2, 1.5, 1.5, 2, 2.5, 3, 3, 3.5, 3.5, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7, 6],
  other: [1.5, 1, 1, 1, 1, 2, 3, 4, 5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5, 5, 5, 4.5, 4, 3.5, 3, 2],
  info: [0.5, 0.3, 0.2, 0.2, 0.3, 1, 2.5, 5, 7, 8, 8, 7.5, 6.5, 7, 7, 6.5, 5.5, 4.5, 4, 3.5, 3, 2, 1.5, 1],
  // After school and in the evening.
  prank: [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 6, 7, 8, 8.5, 8.5, 8, 8, 8.5, 8, 6.5, 4.5, 2.5],
  // Phones in pockets: whenever people are up and about.
  ghost: [2, 1.5, 1.2, 1, 1.2, 2.5, 4.5, 6, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 7, 7, 6.5, 6, 5.5, 4.5, 3.5, 2.5],
  // Office hours, a lunch break.
  test: [0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 2, 4, 8, 9, 9, 8, 5, 8, 8, 7, 4, 1.5, 0.5, 0.3, 0.3, 0.3, 0.2, 0.2],
  general: [2, 1.5, 1.2, 1, 1.2, 2.5, 4.5, 6, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 6.5, 7, 7, 6.5, 6, 5.5, 4.5, 3.5, 2.5],
};

/** Relative arrivals per weekday (Sunday first). */
const WEEKDAYS: Partial<Record<CurveName, readonly number[]>> = {
  traffic: [1.05, 1, 0.95, 0.95, 0.95, 1.05, 1.1],
  crime: [1.1, 0.95, 0.95, 0.95, 1, 1.05, 1.15],
  prank: [1.2, 0.9, 0.9, 0.9, 0.9, 1, 1.25],
  info: [0.6, 1.15, 1.1, 1.1, 1.1, 1.05, 0.8],
  test: [0.15, 1.2, 1.2, 1.2, 1.2, 1, 0.2],
};

/** Relative arrivals per month (January first): the rainy season's floods, the dry season's fires. */
const MONTHS: Partial<Record<CurveName, readonly number[]>> = {
  disaster: [2.2, 1.9, 1.4, 1, 0.7, 0.55, 0.45, 0.45, 0.6, 0.9, 1.3, 1.9],
  fire: [0.75, 0.75, 0.85, 0.95, 1.05, 1.15, 1.3, 1.4, 1.35, 1.1, 0.9, 0.8],
};

/** Idul Fitri 1447 H falls on 20-21 March 2026: mudik before it, arus balik after it. */
const MUDIK = { from: '2026-03-13', lebaran: '2026-03-20', to: '2026-03-29' };
/** Ramadan 1447 H (about 18 February to 19 March 2026): sahur-time brawls (perang sarung). */
const RAMADAN = { from: '2026-02-18', to: '2026-03-19' };
/** School holidays (late June to mid July 2026): more pranks. */
const SCHOOL_HOLIDAY = { from: '2026-06-27', to: '2026-07-12' };

const dateOf = (local: LocalTime) => `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
const within = (date: string, range: { from: string; to: string }) => date >= range.from && date <= range.to;

/** How busy one hour is for a curve, relative to its other hours. */
export function curveWeight(curve: CurveName, local: LocalTime): number {
  const date = dateOf(local);
  let weight = HOURS[curve][local.hour]! * (WEEKDAYS[curve]?.[local.weekday] ?? 1) * (MONTHS[curve]?.[local.month - 1] ?? 1);
  if (curve === 'traffic' && within(date, MUDIK)) weight *= date === MUDIK.lebaran ? 0.7 : 1.35;
  if (curve === 'crime' && within(date, RAMADAN) && local.hour >= 2 && local.hour <= 4) weight *= 2;
  if (curve === 'prank' && within(date, SCHOOL_HOLIDAY)) weight *= 1.3;
  return weight;
}

/** The curve each kind arrives on (duplicates follow their incident instead). */
export const CURVE_OF: Record<Exclude<CallKind, 'valid' | 'duplicate'>, CurveName> = {
  info: 'info', prank: 'prank', ghost: 'ghost', test: 'test', abandoned: 'general', fallback: 'general',
};
