import { describe, expect, it } from 'vitest';
import { distanceM as haversineM } from '../../../src/geo/distance.js';
import { type SurgeCall, type SurgeSuggestion, detectSurges, surgeSettingsSchema } from '../../../src/incidents/surge-detection.js';

const NOW = Date.parse('2025-03-01T10:00:00Z');
const MINUTE = 60_000;
const settings = surgeSettingsSchema.parse({});
const JATIASIH = { latitude: -6.295, longitude: 106.96 };
const BANTARGEBANG = { latitude: -6.335, longitude: 107.0 };
type Place = { latitude: number; longitude: number };

/** `northM` metres north and `eastM` east of `origin` (flat Earth: exact to centimetres over a few km). */
function offset(origin: Place, northM: number, eastM: number): Place {
  const metresPerDegree = (Math.PI / 180) * 6_371_008.8;
  return {
    latitude: origin.latitude + northM / metresPerDegree,
    longitude: origin.longitude + eastM / (metresPerDegree * Math.cos((origin.latitude * Math.PI) / 180)),
  };
}

const call = (callId: string, extra: Partial<SurgeCall> = {}): SurgeCall => ({
  callId, arrivedAt: NOW - MINUTE, category: 'fire', point: null, kecamatan: null, incidentId: null, ...extra,
});
/** A call with a precise (GNSS-like, 10 m) point near `origin`, in `kecamatan`. */
const located = (callId: string, origin: Place, northM: number, eastM: number, extra: Partial<SurgeCall> = {}): SurgeCall =>
  call(callId, { point: { ...offset(origin, northM, eastM), accuracyM: 10 }, kecamatan: 'Jatiasih', ...extra });
/** `count` located calls around `origin`, one every `everyMs` up to `lastAt`, within `spreadM` of it. */
const burst = (prefix: string, count: number, origin: Place, spreadM: number, lastAt = NOW, everyMs = 10_000, extra: Partial<SurgeCall> = {}): SurgeCall[] =>
  Array.from({ length: count }, (_, i) => {
    const angle = (2 * Math.PI * i) / count;
    return located(`${prefix}-${String(i).padStart(3, '0')}`, origin, spreadM * Math.sin(angle), spreadM * Math.cos(angle), { arrivedAt: lastAt - (count - 1 - i) * everyMs, ...extra });
  });

const idsOf = (suggestions: SurgeSuggestion[]): string[][] => suggestions.map((s) => s.callIds);

describe('surge detection', () => {
  it('given ten located calls within two minutes and 200 m, then one radius suggestion holds all ten, in arrival order', () => {
    const calls = burst('c', 10, JATIASIH, 100, NOW, 12_000);
    const [surge, ...others] = detectSurges([...calls].reverse(), NOW, settings);
    expect(others).toEqual([]);
    expect(surge).toMatchObject({ kind: 'radius', kecamatan: 'Jatiasih', category: 'fire', firstAt: NOW - 108_000, lastAt: NOW });
    expect(surge!.callIds).toEqual(calls.map((c) => c.callId));
    expect(haversineM(surge!.centre!, JATIASIH)).toBeLessThan(5);
    expect(surge!.proposedAnnouncement).toEqual({
      id: 'Kami sudah menerima laporan kebakaran di sekitar Jatiasih. Petugas sedang menuju lokasi. Jika Anda menelepon tentang kejadian ini, tekan 1.',
      en: 'We have already received reports of a fire around Jatiasih. Responders are on their way. If you are calling about this incident, press 1.',
    });
  });

  it('given four such calls, then there is no surge (five are needed by default)', () => {
    expect(settings).toEqual({ minCalls: 5, windowMs: 10 * MINUTE, radiusM: 500 });
    expect(detectSurges(burst('c', 4, JATIASIH, 100), NOW, settings)).toEqual([]);
  });

  it('given calls inside and outside the radius, then only those within it of the densest call count', () => {
    const inside = burst('in', 5, JATIASIH, 200);
    const outside = [located('out-900', JATIASIH, 900, 0), located('out-1500', JATIASIH, 0, -1500)];
    expect(idsOf(detectSurges([...inside, ...outside], NOW, settings))).toEqual([inside.map((c) => c.callId)]);
    expect(detectSurges([...inside.slice(0, 4), ...outside], NOW, settings)).toEqual([]);
  });

  it('given five calls 300 m apart along a road, then they are no surge: clusters have a centre, they are not chains', () => {
    const road = [0, 1, 2, 3, 4].map((i) => located(`road-${i}`, JATIASIH, 0, i * 300));
    expect(detectSurges(road, NOW, settings)).toEqual([]);
  });

  it('given calls as dense as the earliest one, then the earliest stays the centre, so later callers do not move the surge', () => {
    const first = located('first', JATIASIH, 0, 100, { arrivedAt: NOW - 60_000 });
    const east = located('east', JATIASIH, 0, 560, { arrivedAt: NOW - 50_000 });
    const west = located('west', JATIASIH, 0, -450, { arrivedAt: NOW - 40_000 });
    const later = [0, 10, 20, 30].map((x, i) => located(`later-${x}`, JATIASIH, 0, x, { arrivedAt: NOW - 30_000 + i * 1000 }));
    expect(idsOf(detectSurges([...later, west, east, first], NOW, settings))).toEqual([['first', 'east', ...later.map((c) => c.callId)]]);
  });

  it('given the window edges, then a call exactly windowMs old counts and one a millisecond older does not', () => {
    const recent = burst('c', 4, JATIASIH, 100);
    const edge = located('edge', JATIASIH, 50, 50, { arrivedAt: NOW - settings.windowMs });
    expect(idsOf(detectSurges([...recent, edge], NOW, settings))[0]).toContain('edge');
    expect(detectSurges([...recent, { ...edge, arrivedAt: NOW - settings.windowMs - 1 }], NOW, settings)).toEqual([]);
    expect(detectSurges([...recent, { ...edge, arrivedAt: NOW + 1 }], NOW, settings)).toEqual([]);
  });

  it('given calls with only a kecamatan or a point vaguer than the radius, then they group by kecamatan', () => {
    const vague = [0, 1, 2].map((i) => call(`vague-${i}`, { point: { ...offset(BANTARGEBANG, i * 1000, 0), accuracyM: 3000 }, kecamatan: 'Rawalumbu', category: 'disaster' }));
    const civicOnly = [0, 1, 2].map((i) => call(`civic-${i}`, { kecamatan: 'Rawalumbu', category: i === 0 ? 'other' : 'disaster' }));
    const elsewhere = [0, 1, 2, 3].map((i) => call(`else-${i}`, { kecamatan: 'Medan Satria' }));
    const [surge, ...others] = detectSurges([...vague, ...civicOnly, ...elsewhere], NOW, settings);
    expect(others).toEqual([]);
    expect(surge).toMatchObject({ kind: 'kecamatan', kecamatan: 'Rawalumbu', centre: null, category: 'disaster', key: 'surge-kecamatan-rawalumbu-disaster-civic-0' });
    expect(surge!.callIds.sort()).toEqual(['civic-0', 'civic-1', 'civic-2', 'vague-0', 'vague-1', 'vague-2']);
    expect(surge!.proposedAnnouncement.id).toBe('Kami sudah menerima laporan bencana di wilayah Rawalumbu. Petugas sedang menuju lokasi. Jika Anda menelepon tentang kejadian ini, tekan 1.');
  });

  it('given calls without any location, then they group by IVR category, and calls without a category are left out', () => {
    const medical = [0, 1, 2, 3, 4].map((i) => call(`med-${i}`, { category: 'medical', arrivedAt: NOW - i * 1000 }));
    const crime = [0, 1, 2, 3].map((i) => call(`crime-${i}`, { category: 'crime' }));
    const silent = [0, 1, 2, 3, 4].map((i) => call(`silent-${i}`, { category: null }));
    const [surge, ...others] = detectSurges([...medical, ...crime, ...silent], NOW, settings);
    expect(others).toEqual([]);
    expect(surge).toMatchObject({ kind: 'category', centre: null, kecamatan: null, category: 'medical', callIds: ['med-4', 'med-3', 'med-2', 'med-1', 'med-0'] });
    expect(surge!.proposedAnnouncement.en).toBe('We have already received reports of a medical emergency. Responders are on their way. If you are calling about this incident, press 1.');
  });

  it('given calls that could fit several suggestions, then each is in only one, the most specific', () => {
    const precise = burst('gps', 6, JATIASIH, 100);
    const sameKecamatan = [0, 1, 2, 3, 4].map((i) => call(`kec-${i}`, { kecamatan: 'Jatiasih' }));
    const unlocated = [0, 1, 2, 3, 4].map((i) => call(`none-${i}`));
    const all = [...precise, ...sameKecamatan, ...unlocated];
    const suggestions = detectSurges(all, NOW, settings);
    expect(suggestions.map((s) => s.kind)).toEqual(['radius', 'kecamatan', 'category']);
    const ids = suggestions.flatMap((s) => s.callIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(all.map((c) => c.callId).sort());
    expect(suggestions[0]!.callIds).toEqual(precise.map((c) => c.callId));
  });

  it('given a precise call outside any cluster, then it does not make up the numbers of its kecamatan', () => {
    const lone = located('lone', JATIASIH, 2000, 0);
    const sameKecamatan = [0, 1, 2, 3].map((i) => call(`kec-${i}`, { kecamatan: 'Jatiasih' }));
    expect(detectSurges([lone, ...sameKecamatan], NOW, settings)).toEqual([]);
  });

  it('given a vague point of the same category near a radius surge, then it joins that surge rather than starting another', () => {
    const precise = burst('gps', 5, JATIASIH, 100);
    const cell = [0, 1, 2, 3, 4].map((i) => call(`cell-${i}`, { point: { ...offset(JATIASIH, 1500, i * 100), accuracyM: 2000 }, kecamatan: 'Jatiasih' }));
    const traffic = call('cell-traffic', { point: { ...offset(JATIASIH, 1500, 0), accuracyM: 2000 }, kecamatan: 'Jatiasih', category: 'traffic' });
    const [surge, ...others] = detectSurges([...precise, ...cell, traffic], NOW, settings);
    expect(others).toEqual([]);
    expect(surge!.kind).toBe('radius');
    expect(surge!.callIds.sort()).toEqual([...cell, ...precise].map((c) => c.callId).sort());
  });

  it('given calls already linked to an incident, then they are ignored', () => {
    const calls = burst('c', 6, JATIASIH, 100);
    const linked = calls.map((c, i) => (i === 0 ? { ...c, incidentId: 'inc-1' } : c));
    expect(idsOf(detectSurges(linked, NOW, settings))).toEqual([calls.slice(1).map((c) => c.callId)]);
    expect(detectSurges(linked.map((c, i) => (i === 1 ? { ...c, incidentId: 'inc-1' } : c)), NOW, settings)).toEqual([]);
  });

  it('given a surge re-detected a second later with one more call, then its key is the same', () => {
    const calls = burst('c', 10, JATIASIH, 100, NOW - 1000);
    const [before] = detectSurges(calls, NOW, settings);
    const [after] = detectSurges([...calls, located('c-late', JATIASIH, 20, 20, { arrivedAt: NOW + 1000 })], NOW + 1000, settings);
    expect(before!.key).toBe('surge-radius-jatiasih-fire-c-000');
    expect(after!.key).toBe(before!.key);
    expect(after!.callIds).toEqual([...before!.callIds, 'c-late']);

    const medical = [0, 1, 2, 3, 4].map((i) => call(`med-${i}`, { category: 'medical', arrivedAt: NOW - 5000 + i }));
    const [medicalBefore] = detectSurges(medical, NOW, settings);
    const [medicalAfter] = detectSurges([...medical, call('med-late', { category: 'medical', arrivedAt: NOW + 1000 })], NOW + 1000, settings);
    expect(medicalAfter!.key).toBe(medicalBefore!.key);
  });

  it('given a storm of 200 calls (two fires, noise, old and linked calls), then exactly the two fires are suggested, whatever the order', () => {
    const random = mulberry32(112);
    const within = (spreadM: number): [number, number] => {
      const r = spreadM * Math.sqrt(random());
      const angle = 2 * Math.PI * random();
      return [r * Math.sin(angle), r * Math.cos(angle)];
    };
    const at = (): number => NOW - Math.floor(random() * 8 * MINUTE);
    const fireA = Array.from({ length: 60 }, (_, i) => located(`a-${i}`, JATIASIH, ...within(150), { arrivedAt: at() }));
    const fireACell = Array.from({ length: 10 }, (_, i) => {
      const [north, east] = within(1000);
      return call(`a-cell-${i}`, { point: { ...offset(JATIASIH, north, east), accuracyM: 1500 + random() * 1500 }, kecamatan: 'Jatiasih', arrivedAt: at() });
    });
    const fireB = Array.from({ length: 55 }, (_, i) => located(`b-${i}`, BANTARGEBANG, ...within(150), { kecamatan: 'Bantargebang', arrivedAt: at() }));
    // Scattered calls on a jittered 1.5 km grid, none within 1.2 km of a fire: no five ever meet.
    const categories = ['traffic', 'fire', 'medical', 'disaster', 'crime', 'other'] as const;
    const grid: Place[] = [];
    for (let north = -9000; north <= 9000; north += 1500) {
      for (let east = -7000; east <= 7000; east += 1500) {
        const place = offset({ latitude: -6.27, longitude: 106.975 }, north + (random() - 0.5) * 400, east + (random() - 0.5) * 400);
        if (haversineM(place, JATIASIH) > 1200 && haversineM(place, BANTARGEBANG) > 1200) grid.push(place);
      }
    }
    const noise = grid.slice(0, 35).map((place, i) => call(`noise-${i}`, { point: { ...place, accuracyM: 30 }, kecamatan: 'Bekasi Selatan', category: categories[i % 6], arrivedAt: at() }));
    const unlocated = Array.from({ length: 12 }, (_, i) => call(`unlocated-${i}`, { category: categories[i % 6], arrivedAt: at() }));
    const kecamatans = ['Bekasi Barat', 'Bekasi Timur', 'Bekasi Utara', 'Medan Satria', 'Mustika Jaya', 'Pondok Gede', 'Pondok Melati', 'Rawalumbu'];
    const vagueNoise = kecamatans.map((kecamatan, i) => call(`vague-${i}`, { point: { ...offset(JATIASIH, 0, 2000), accuracyM: 5000 }, kecamatan, category: 'traffic', arrivedAt: at() }));
    const linked = burst('linked', 10, JATIASIH, 100, NOW, 5000, { incidentId: 'inc-earlier' });
    const old = burst('old', 10, BANTARGEBANG, 100, NOW - 11 * MINUTE);
    const storm = [...fireA, ...fireACell, ...fireB, ...noise, ...unlocated, ...vagueNoise, ...linked, ...old];
    expect(storm).toHaveLength(200);

    const suggestions = detectSurges(storm, NOW, settings);
    expect(suggestions.map((s) => [s.kind, s.kecamatan, s.category])).toEqual([['radius', 'Jatiasih', 'fire'], ['radius', 'Bantargebang', 'fire']]);
    expect([...suggestions[0]!.callIds].sort()).toEqual([...fireA, ...fireACell].map((c) => c.callId).sort());
    expect([...suggestions[1]!.callIds].sort()).toEqual(fireB.map((c) => c.callId).sort());
    expect(haversineM(suggestions[0]!.centre!, JATIASIH)).toBeLessThan(50);
    expect(haversineM(suggestions[1]!.centre!, BANTARGEBANG)).toBeLessThan(50);

    const shuffled = [...storm].sort(() => random() - 0.5);
    expect(detectSurges(shuffled, NOW, settings)).toEqual(suggestions);
  });
});

/** A small seeded generator, so the storm is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
