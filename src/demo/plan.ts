import type { Category } from '../ivr/flow-schema.js';
import { categorySchema } from '../ivr/flow-schema.js';
import type { FallbackReason } from '../calls/fallback-reason.js';
import { behaviourOf, dialledFor } from './behaviour.js';
import { jakartaMidnight } from './calendar.js';
import { ArrivalCurve, logNormalBetween, wholeCount } from './distributions.js';
import type { CallerBehaviour } from './ivr-run.js';
import { type CallKind, CURVE_OF, curveWeight, type CurveName, DEFAULT_COUNTS, DEFAULT_PERIOD, SEED_INCIDENTS } from './mix.js';
import { isLandline, landlineNumber, mobileNumber, RepeatCallers, TEST_NUMBERS } from './numbers.js';
import type { Place, Places } from './places.js';
import type { Random } from './random.js';

/** One call of the period before it happens: who calls, when, about what, and how they behave. */
export interface PlannedCall {
  kind: CallKind;
  arrivedAt: number;
  callerNumber: string;
  dialled: string;
  /** The incident's category (valid and duplicate calls); null for the others. */
  category: Category | null;
  behaviour: CallerBehaviour;
  /**
   * An abandoning caller: hangs up `afterMs` after siaga112's answer (ivr: in the greeting or the
   * menu, or just after it, in the queue) or after being queued (queue).
   */
  abandon: { stage: 'ivr' | 'queue'; afterMs: number } | null;
  fallbackReason: FallbackReason | null;
  /** Where the caller is (for a valid call, the incident). */
  place: Place;
  /** A handset that can send AML and SIP location (not a fixed line, not without a SIM). */
  mobile: boolean;
  /** A duplicate's incident: the valid call that reports it. */
  parent: PlannedCall | null;
}

export interface Period {
  from: number;
  to: number;
}

/** The default period in ms: what DEFAULT_COUNTS and the seed's table are counted over. */
export function defaultPeriod(): Period {
  return { from: jakartaMidnight(DEFAULT_PERIOD.from)!, to: jakartaMidnight(DEFAULT_PERIOD.to)! + 86_400_000 };
}

const FALLBACK_REASONS: ReadonlyArray<readonly [FallbackReason, number]> = [['not-running', 40], ['guardian', 20], ['draining', 15], ['admission', 15], ['error', 10]];

/**
 * How many calls of each kind and incidents of each category the period gets: the default
 * period's numbers, scaled by the period's share of each curve (a January gets more floods).
 */
export function plannedCounts(period: Period): { categories: Record<Category, number>; kinds: Record<Exclude<CallKind, 'valid'>, number> } {
  const base = defaultPeriod();
  const share = (curve: CurveName) => {
    const weight = (local: Parameters<typeof curveWeight>[1]) => curveWeight(curve, local);
    return new ArrivalCurve(period.from, period.to, weight).mass / new ArrivalCurve(base.from, base.to, weight).mass;
  };
  const categories = Object.fromEntries(categorySchema.options.map((c) => [c, wholeCount(SEED_INCIDENTS[c] * share(c))])) as Record<Category, number>;
  const validShare = Object.values(categories).reduce((a, b) => a + b, 0) / Object.values(SEED_INCIDENTS).reduce((a, b) => a + b, 0);
  const kinds = {
    duplicate: wholeCount(DEFAULT_COUNTS.duplicate * validShare),
    info: wholeCount(DEFAULT_COUNTS.info * share(CURVE_OF.info)),
    prank: wholeCount(DEFAULT_COUNTS.prank * share(CURVE_OF.prank)),
    ghost: wholeCount(DEFAULT_COUNTS.ghost * share(CURVE_OF.ghost)),
    test: wholeCount(DEFAULT_COUNTS.test * share(CURVE_OF.test)),
    abandoned: wholeCount(DEFAULT_COUNTS.abandoned * share(CURVE_OF.abandoned)),
    fallback: wholeCount(DEFAULT_COUNTS.fallback * share(CURVE_OF.fallback)),
  };
  return { categories, kinds };
}

/** Every call of the period, in order of arrival. */
export function planCalls(rng: Random, period: Period, places: Places): PlannedCall[] {
  const counts = plannedCounts(period);
  const curve = (name: CurveName) => new ArrivalCurve(period.from, period.to, (local) => curveWeight(name, local));
  const pranksters = new RepeatCallers(rng.fork('pranksters'), 3000, 0.7);
  const faultyHandsets = new RepeatCallers(rng.fork('faulty-handsets'), 200, 1.2);
  const calls: PlannedCall[] = [];
  const make = (kind: CallKind, arrivedAt: number, callerNumber: string, category: Category | null, place?: Place): PlannedCall => {
    const call: PlannedCall = {
      kind, arrivedAt, callerNumber, category, dialled: dialledFor(rng, kind, category), behaviour: behaviourOf(rng, kind, category),
      abandon: null, fallbackReason: null, place: place ?? places.pointIn(rng, places.kecamatanFor(rng, category)),
      mobile: callerNumber !== '' && !isLandline(callerNumber), parent: null,
    };
    calls.push(call);
    return call;
  };
  const citizen = (landlineShare: number) => (rng.chance(landlineShare) ? landlineNumber(rng) : mobileNumber(rng));

  for (const category of categorySchema.options) {
    const arrivals = curve(category);
    for (let i = 0; i < counts.categories[category]; i += 1) make('valid', arrivals.sample(rng), citizen(0.1), category);
  }
  const valid = [...calls];
  planDuplicates(rng, period, places, valid, counts.kinds.duplicate, make, citizen);
  for (const kind of ['info', 'test', 'abandoned', 'fallback'] as const) {
    const arrivals = curve(CURVE_OF[kind]);
    for (let i = 0; i < counts.kinds[kind]; i += 1) {
      const number = kind === 'test' ? rng.pick(TEST_NUMBERS) : citizen(kind === 'info' ? 0.15 : 0.1);
      const call = make(kind, arrivals.sample(rng), number, null);
      if (kind === 'abandoned') {
        call.abandon = rng.chance(0.3)
          ? { stage: 'ivr', afterMs: rng.between(1500, 9000) }
          : { stage: 'queue', afterMs: logNormalBetween(rng, 7000, 0.6, 1500, 90_000) };
      }
      if (kind === 'fallback') call.fallbackReason = rng.weighted(FALLBACK_REASONS);
    }
  }
  // Pranksters call in bursts, and a few numbers far more than the rest (which puts them in the prank lane).
  planSessions(rng, period, curve(CURVE_OF.prank), counts.kinds.prank, 2.2, 6 * 60_000, () => (rng.chance(0.85) ? pranksters.pick(rng) : mobileNumber(rng)), (at, number) => make('prank', at, number, null));
  // A handset in a pocket or a faulty one dials again and again; a phone without a SIM shows no number.
  planSessions(rng, period, curve(CURVE_OF.ghost), counts.kinds.ghost, 1.5, 2.5 * 60_000, () => {
    const r = rng.next();
    return r < 0.06 ? '' : r < 0.21 ? faultyHandsets.pick(rng) : mobileNumber(rng);
  }, (at, number) => make('ghost', at, number, null));

  calls.sort((a, b) => a.arrivedAt - b.arrivedAt);
  planRedials(rng, calls);
  return calls;
}

/** Other callers about known incidents: more for fires and crashes (seen by many), few for a collapse at home. */
function planDuplicates(
  rng: Random, period: Period, places: Places, valid: PlannedCall[], count: number,
  make: (kind: CallKind, at: number, number: string, category: Category | null, place?: Place) => PlannedCall, citizen: (landline: number) => string,
): void {
  if (valid.length === 0) return;
  const weight: Record<Category, number> = { fire: 3, traffic: 1.6, disaster: 1.4, crime: 0.9, medical: 0.35, other: 0.5 };
  const entries = valid.map((call) => [call, weight[call.category!]] as const);
  for (let made = 0, tries = 0; made < count && tries < count * 10; tries += 1) {
    const parent = rng.weighted(entries);
    const at = parent.arrivedAt + 150_000 + logNormalBetween(rng, 6 * 60_000, 0.9, 0, 3 * 3_600_000);
    if (at >= period.to) continue;
    const near = places.near(rng, parent.place, 200);
    const kecamatan = places.kecamatanAt(near.latitude, near.longitude) ?? parent.place.kecamatan;
    const call = make('duplicate', Math.floor(at), citizen(0.04), parent.category, { ...near, kecamatan, road: parent.place.road });
    call.parent = parent;
    made += 1;
  }
}

/** Calls in bursts from one number: `count` calls in all, bursts of about `meanCalls`, gaps of about `medianGapMs`. */
function planSessions(
  rng: Random, period: Period, arrivals: ArrivalCurve, count: number, meanCalls: number, medianGapMs: number,
  numberOf: () => string, make: (at: number, number: string) => void,
): void {
  let made = 0;
  for (let guard = 0; made < count && guard < count * 20; guard += 1) {
    const number = numberOf();
    let at = arrivals.sample(rng);
    let calls = 1;
    while (calls < 8 && rng.chance(1 - 1 / meanCalls)) calls += 1;
    for (let i = 0; i < calls && made < count; i += 1) {
      if (at >= period.to) break;
      make(at, number);
      made += 1;
      at += Math.round(logNormalBetween(rng, medianGapMs, 0.8, 20_000, 3_600_000));
    }
  }
}

/**
 * Some callers who gave up in the queue call again a few minutes later, about something real:
 * the later call then closes their callback (matched) when it arrives before anyone rang back.
 */
function planRedials(rng: Random, calls: PlannedCall[]): void {
  const taken = new Set<PlannedCall>();
  for (const [index, call] of calls.entries()) {
    if (call.abandon?.stage !== 'queue' || call.callerNumber === '' || !rng.chance(0.3)) continue;
    for (let j = index + 1; j < calls.length; j += 1) {
      const later = calls[j]!;
      if (later.arrivedAt > call.arrivedAt + 25 * 60_000) break;
      if (later.arrivedAt < call.arrivedAt + 2 * 60_000 || taken.has(later) || (later.kind !== 'valid' && later.kind !== 'info')) continue;
      later.callerNumber = call.callerNumber;
      later.mobile = call.mobile;
      taken.add(later);
      break;
    }
  }
}
