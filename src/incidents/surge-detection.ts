import { z } from 'zod';
import { distanceM } from '../geo/distance.js';
import { latitudeSchema, longitudeSchema } from '../geo/fix.js';
import { type Category, categorySchema } from '../ivr/flow-schema.js';

/**
 * Surge detection: many calls about one event (fifty callers about one fire) offered to
 * supervisors as one suggested mass-call event. Pure: the calls of the window, the time and the
 * settings in, suggestions out; nothing stored, so the same input always gives the same answer.
 */

/** N calls within M ms within R metres (or one kecamatan, or one category) make a surge. */
export const surgeSettingsSchema = z.object({
  minCalls: z.number().int().min(2).max(1000).default(5),
  windowMs: z.number().int().min(1000).max(86_400_000).default(600_000),
  radiusM: z.number().positive().max(50_000).default(500),
}).strict();
export type SurgeSettings = z.infer<typeof surgeSettingsSchema>;

/** A call's best location as surge detection needs it: the point and its uncertainty. */
export const surgePointSchema = z.object({
  latitude: latitudeSchema,
  longitude: longitudeSchema,
  /** Horizontal uncertainty (m); null for a bare point (an operator's pin, a PIDF <Point>). */
  accuracyM: z.number().nonnegative().nullable(),
});
export type SurgePoint = z.infer<typeof surgePointSchema>;

export const surgeCallSchema = z.object({
  callId: z.string().min(1),
  /** When the call arrived (ms since the epoch). */
  arrivedAt: z.number(),
  /** The caller's IVR choice; null when they chose none. */
  category: categorySchema.nullable(),
  /** The point of the call's best location; null without one (civic only, or no fix). */
  point: surgePointSchema.nullable(),
  /** The kecamatan of the best location; null when unknown or outside the map (not a place). */
  kecamatan: z.string().min(1).nullable(),
  /** The incident the call is already linked to: such calls are never suggested again. */
  incidentId: z.string().nullable(),
});
export type SurgeCall = z.infer<typeof surgeCallSchema>;

/** How a suggestion's calls belong together, from the most specific to the least. */
export const SurgeKind = { radius: 'radius', kecamatan: 'kecamatan', category: 'category' } as const;
export const surgeKindSchema = z.enum(SurgeKind);
export type SurgeKind = z.infer<typeof surgeKindSchema>;

export const surgeSuggestionSchema = z.object({
  /** `surge-<kind>-<place>-<category>-<first callId>`: unchanged while the surge grows. */
  key: z.string(),
  kind: surgeKindSchema,
  /** Radius surges: the mean of the calls' points. */
  centre: z.object({ latitude: latitudeSchema, longitude: longitudeSchema }).nullable(),
  /** The kecamatan shared (kecamatan surges) or most common (radius surges); null otherwise. */
  kecamatan: z.string().nullable(),
  /** The most common category among the calls (ties: the earliest call's); null when none chose one. */
  category: categorySchema.nullable(),
  /** By arrival, earliest first. */
  callIds: z.array(z.string()).min(1),
  firstAt: z.number(),
  lastAt: z.number(),
  /** What the mass-call announcement could say, for the supervisor to accept or edit. */
  proposedAnnouncement: z.object({ id: z.string(), en: z.string() }),
});
export type SurgeSuggestion = z.infer<typeof surgeSuggestionSchema>;

/**
 * The surges among `calls` at `now`. Only calls not yet linked to an incident and arrived within
 * [now − windowMs, now] count. Each call joins at most one suggestion, the most specific one, in
 * three passes:
 *
 * 1. Radius: calls whose point is at least as precise as the radius (accuracy ≤ radiusM, or a
 *    bare point) are clustered greedily around the densest call (the one with the most such
 *    calls within radiusM; ties: the earliest). Its neighbourhood becomes a surge when it holds
 *    minCalls calls; those calls leave, the densest of the rest is next, until none reaches
 *    minCalls. A centre, not a chain: five calls 300 m apart along a 1.2 km road are no surge.
 *    Then each vaguer point of the same category whose uncertainty circle reaches a surge's
 *    circle joins the nearest such surge: a caller on a 2 km cell fix during a fire is one more
 *    report of that fire, not the start of a second suggestion for the same kecamatan.
 * 2. Kecamatan: the remaining calls whose point is too vague for a radius, or who have only a
 *    kecamatan, grouped by kecamatan. Precise calls left out of pass 1 do not join: their points
 *    say they are apart, and counting them would make any five scattered calls in one busy
 *    kecamatan a surge.
 * 3. Category: the remaining calls with no usable place (no precise point, no kecamatan), grouped
 *    by IVR category; calls with neither place nor category say nothing in common and are left.
 *
 * Suggestions come radius first (densest first), then kecamatan, then category (largest first).
 * Cost: O(n²) distances for the n precise calls, once (then each pass only updates counts), and
 * O(n·k) to place the vague ones near k surges: n is a few hundred calls per window at most,
 * some 45,000 haversines for 300 calls, about a millisecond per detection.
 *
 * The key keeps while the surge grows; it changes when its first call leaves the window or its
 * dominant category or kecamatan changes, so whoever tracks a suggestion over minutes should
 * also match overlapping callIds.
 */
export function detectSurges(calls: readonly SurgeCall[], now: number, settings: SurgeSettings): SurgeSuggestion[] {
  const { minCalls, radiusM, windowMs } = settings;
  const open = calls.filter((call) => call.incidentId === null && call.arrivedAt >= now - windowMs && call.arrivedAt <= now).sort(byArrival);
  const isPrecise = (call: SurgeCall): boolean => call.point !== null && (call.point.accuracyM === null || call.point.accuracyM <= radiusM);

  const clusters = radiusClusters(open.filter(isPrecise), minCalls, radiusM).map((core) => ({ core, centre: meanPoint(core), category: dominant(core.map((call) => call.category)), joined: [] as SurgeCall[] }));
  const taken = new Set(clusters.flatMap(({ core }) => core.map((call) => call.callId)));
  for (const call of open) {
    if (call.point === null || isPrecise(call) || call.category === null) continue;
    const reach = (call.point.accuracyM ?? 0) + radiusM;
    const nearest = clusters.map((cluster) => ({ cluster, distanceM: distanceM(call.point!, cluster.centre) }))
      .filter(({ cluster, distanceM }) => cluster.category === call.category && distanceM <= reach)
      .reduce<{ cluster: (typeof clusters)[number]; distanceM: number } | null>((best, next) => (best === null || next.distanceM < best.distanceM ? next : best), null);
    if (nearest === null) continue;
    nearest.cluster.joined.push(call);
    taken.add(call.callId);
  }
  const radiusSurges = clusters.map(({ core, joined, centre }) => {
    const members = [...core, ...joined].sort(byArrival);
    return suggestion(SurgeKind.radius, members, centre, dominant(members.map((call) => call.kecamatan)));
  });

  const vague = open.filter((call) => !taken.has(call.callId) && !isPrecise(call));
  const kecamatanSurges = [...groupBy(vague.filter((call) => call.kecamatan !== null), (call) => call.kecamatan!)]
    .filter(([, members]) => members.length >= minCalls)
    .map(([name, members]) => suggestion(SurgeKind.kecamatan, members, null, name));
  const categorySurges = [...groupBy(vague.filter((call) => call.kecamatan === null && call.category !== null), (call) => call.category!)]
    .filter(([, members]) => members.length >= minCalls)
    .map(([, members]) => suggestion(SurgeKind.category, members, null, null));
  return [...radiusSurges, ...kecamatanSurges.sort(largestFirst), ...categorySurges.sort(largestFirst)];
}

/** Earliest first; the callId orders calls of the same millisecond so results never depend on input order. */
function byArrival(a: SurgeCall, b: SurgeCall): number {
  return a.arrivedAt - b.arrivedAt || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0);
}

function largestFirst(a: SurgeSuggestion, b: SurgeSuggestion): number {
  return b.callIds.length - a.callIds.length || a.firstAt - b.firstAt || (a.key < b.key ? -1 : 1);
}

/**
 * Greedy clustering of precise calls (sorted by arrival) around the densest call. Neighbour
 * lists are built once; removing a cluster only lowers its neighbours' counts, so the whole pass
 * is O(n²) rather than recounting every round.
 */
function radiusClusters(calls: readonly SurgeCall[], minCalls: number, radiusM: number): SurgeCall[][] {
  const near: number[][] = calls.map(() => []);
  for (let i = 0; i < calls.length; i++) {
    for (let j = i + 1; j < calls.length; j++) {
      if (distanceM(calls[i]!.point!, calls[j]!.point!) <= radiusM) {
        near[i]!.push(j);
        near[j]!.push(i);
      }
    }
  }
  const count = near.map((neighbours) => neighbours.length + 1);
  const alive = calls.map(() => true);
  const clusters: SurgeCall[][] = [];
  for (;;) {
    let seed = -1;
    // Strictly greater: on a tie the earlier call (lower index) stays the seed.
    for (let i = 0; i < calls.length; i++) if (alive[i] && (seed < 0 || count[i]! > count[seed]!)) seed = i;
    if (seed < 0 || count[seed]! < minCalls) return clusters;
    const members = [seed, ...near[seed]!.filter((j) => alive[j])].sort((a, b) => a - b);
    for (const member of members) alive[member] = false;
    for (const member of members) for (const j of near[member]!) if (alive[j]) count[j]!--;
    clusters.push(members.map((i) => calls[i]!));
  }
}

/** A plain average: within a cluster a few hundred metres across it is metres from the true centroid. */
function meanPoint(calls: readonly SurgeCall[]): { latitude: number; longitude: number } {
  const sum = calls.reduce((acc, call) => ({ latitude: acc.latitude + call.point!.latitude, longitude: acc.longitude + call.point!.longitude }), { latitude: 0, longitude: 0 });
  return { latitude: sum.latitude / calls.length, longitude: sum.longitude / calls.length };
}

/** The most common non-null value; ties go to the value seen first (the earliest call's). */
function dominant<T>(values: readonly (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | null = null;
  for (const [value, n] of counts) if (best === null || n > counts.get(best)!) best = value;
  return best;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function suggestion(kind: SurgeKind, members: readonly SurgeCall[], centre: { latitude: number; longitude: number } | null, kecamatan: string | null): SurgeSuggestion {
  const category = dominant(members.map((call) => call.category));
  const first = members[0]!;
  return {
    key: `surge-${kind}-${slug(kecamatan)}-${category ?? 'uncategorised'}-${first.callId}`,
    kind, centre, kecamatan, category,
    callIds: members.map((call) => call.callId),
    firstAt: first.arrivedAt,
    lastAt: members[members.length - 1]!.arrivedAt,
    proposedAnnouncement: announcement(kind, kecamatan, category),
  };
}

function slug(place: string | null): string {
  const slugged = (place ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slugged === '' ? 'anywhere' : slugged;
}

/**
 * What each category is called in the announcement. Typed against the IVR's categories, so a
 * category added there fails to compile here until it has its words.
 */
const REPORTED = {
  fire: { id: 'kebakaran', en: 'a fire' },
  traffic: { id: 'kecelakaan lalu lintas', en: 'a traffic accident' },
  medical: { id: 'keadaan darurat medis', en: 'a medical emergency' },
  disaster: { id: 'bencana', en: 'a disaster' },
  crime: { id: 'tindak kejahatan', en: 'a crime' },
  other: { id: 'kejadian', en: 'an incident' },
} as const satisfies Record<Category, { id: string; en: string }>;

/**
 * The proposed wording. Key 1 is proposed because the announcement tags a call with one key;
 * the supervisor may change the key and the words before switching it on. A radius surge is
 * "around" its kecamatan (the fire is somewhere near, not everywhere in it); a kecamatan surge is
 * "in" it.
 */
function announcement(kind: SurgeKind, kecamatan: string | null, category: Category | null): { id: string; en: string } {
  const what = REPORTED[category ?? 'other'];
  const place = kecamatan === null ? { id: '', en: '' }
    : kind === SurgeKind.radius ? { id: ` di sekitar ${kecamatan}`, en: ` around ${kecamatan}` }
      : { id: ` di wilayah ${kecamatan}`, en: ` in the ${kecamatan} area` };
  return {
    id: `Kami sudah menerima laporan ${what.id}${place.id}. Petugas sedang menuju lokasi. Jika Anda menelepon tentang kejadian ini, tekan 1.`,
    en: `We have already received reports of ${what.en}${place.en}. Responders are on their way. If you are calling about this incident, press 1.`,
  };
}

/** The proposed wording with the key the supervisor chose instead of 1 (callers must hear the key that works). */
export function withAnnouncementKey(texts: { id: string; en: string }, key: string): { id: string; en: string } {
  return { id: texts.id.replace(/tekan 1\.$/, `tekan ${key}.`), en: texts.en.replace(/press 1\.$/, `press ${key}.`) };
}
