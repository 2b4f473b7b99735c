import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import {
  KECAMATAN_NAMES, MAX_KECAMATAN_POSITIONS, OUTSIDE_KOTA_BEKASI, loadShippedKecamatan, parseKecamatanGeoJson,
} from '../../../../src/location/kecamatan/kecamatan-map.js';
import { KOTA_BEKASI_KECAMATAN_GEOJSON } from '../../../../src/location/kecamatan/kota-bekasi-kecamatan.js';

const GEOJSON_FILE = new URL('../../../../src/location/kecamatan/kota-bekasi-kecamatan.geojson', import.meta.url);
const map = loadShippedKecamatan();

/** A fresh, mutable copy of the shipped collection, for uploads to break. */
type Position = number[];
/** The shipped shape, as the tests read it and break it (junk goes in through casts). */
interface UploadFeature { type: string; properties: { name: string }; geometry: { type: string; coordinates: Position[][] } }
interface Upload { type: string; properties: { note: string }; features: UploadFeature[] }
const shipped = (): Upload => structuredClone(KOTA_BEKASI_KECAMATAN_GEOJSON) as Upload;
const feature = (collection: Upload, i: number): UploadFeature => collection.features[i]!;
const indexOf = (collection: Upload, name: string): number => collection.features.findIndex((f) => f.properties.name === name);
const reasonOf = (input: unknown): string => {
  const result = parseKecamatanGeoJson(input);
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
};

describe('the shipped approximate kecamatan map', () => {
  it('given the generated module, then it is exactly the .geojson file the README points to', () => {
    expect(KOTA_BEKASI_KECAMATAN_GEOJSON).toEqual(JSON.parse(readFileSync(GEOJSON_FILE, 'utf8')));
  });

  it('given the shipped file, then it has the 12 kecamatan as Polygons and says it is approximate', () => {
    const collection = shipped();
    expect(collection.features.map((f) => f.properties.name).sort()).toEqual([...KECAMATAN_NAMES]);
    expect(collection.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
    expect(collection.properties.note).toMatch(/APPROXIMATE.*Voronoi.*official BPS\/BIG/s);
    expect(map.names).toEqual(KECAMATAN_NAMES);
  });

  const landmarks: Array<[string, number, number, string | null]> = [
    ['Summarecon Mall Bekasi (Marga Mulya)', -6.2256, 107.0002, 'Bekasi Utara'],
    ['Grand Galaxy City (Jaka Setia)', -6.267, 106.975, 'Bekasi Selatan'],
    ['TPST Bantargebang', -6.348, 106.999, 'Bantargebang'],
    ['Stasiun Bekasi Timur (Duren Jaya)', -6.247, 107.0175, 'Bekasi Timur'],
    ['Stasiun Kranji', -6.2243, 106.9793, 'Bekasi Barat'],
    ['Monas, Jakarta', -6.1754, 106.8272, null],
    ['Halim Perdanakusuma airport, Jakarta', -6.2666, 106.8906, null],
  ];
  for (const [place, lat, lon, expected] of landmarks) {
    it(`given ${place}, then it is in ${expected ?? OUTSIDE_KOTA_BEKASI}`, () => {
      expect(map.kecamatanAt(lat, lon)).toBe(expected);
    });
  }

  it('given a fine grid over the city, then no point lies in two kecamatan and none is a hole among them', () => {
    const features = shipped().features;
    const inside = (lat: number, lon: number) => map.kecamatanAt(lat, lon) !== null;
    let overlaps = 0;
    let holes = 0;
    // Offsets keep grid points off the 3- and 5-decimal vertices, where boundaries are shared.
    for (let lat = -6.39 + 0.000137; lat < -6.15; lat += 0.002) {
      for (let lon = 106.89 + 0.000173; lon < 107.06; lon += 0.002) {
        if (features.filter((f) => booleanPointInPolygon([lon, lat], { type: 'Polygon', coordinates: f.geometry.coordinates })).length > 1) overlaps += 1;
        const around = [[0.001, 0], [-0.001, 0], [0, 0.001], [0, -0.001]] as const;
        if (!inside(lat, lon) && around.every(([a, b]) => inside(lat + a, lon + b))) holes += 1;
      }
    }
    expect({ overlaps, holes }).toEqual({ overlaps: 0, holes: 0 });
  });

  it('given a vertex two kecamatan share, then the point goes to the first of them by name', () => {
    const collection = shipped();
    const ring = (name: string): Position[] => feature(collection, indexOf(collection, name)).geometry.coordinates[0]!;
    const shared = ring('Pondok Gede').find(([lon, lat]) => ring('Bekasi Barat').some(([x, y]) => x === lon && y === lat))!;
    expect(map.kecamatanAt(shared[1]!, shared[0]!)).toBe('Bekasi Barat');
  });
});

describe('kecamatan within a fix\'s uncertainty circle', () => {
  it('given a circle across the Bekasi Selatan / Jatiasih boundary, then both are listed, sorted by name', () => {
    // Grand Galaxy City (Bekasi Selatan) and the Jatiasih toll gate, 3.4 km apart: a 2 km circle
    // around their midpoint reaches into both.
    const [lat, lon] = [(-6.267 - 6.298) / 2, (106.975 + 106.965) / 2];
    const within = map.kecamatanWithin(lat, lon, 2_000);
    expect(within).toEqual(expect.arrayContaining(['Bekasi Selatan', 'Jatiasih']));
    expect(within).toEqual([...within].sort());
  });

  it('given a small circle well inside one kecamatan, then only that one', () => {
    expect(map.kecamatanWithin(-6.348, 106.999, 100)).toEqual(['Bantargebang']);
  });

  it('given no radius or a zero radius, then it is the point lookup', () => {
    expect(map.kecamatanWithin(-6.2256, 107.0002, null)).toEqual(['Bekasi Utara']);
    expect(map.kecamatanWithin(-6.2256, 107.0002, 0)).toEqual(['Bekasi Utara']);
    expect(map.kecamatanWithin(-6.1754, 106.8272, null)).toEqual([]);
  });

  it('given a circle far from Kota Bekasi, then none; given one covering the city, then all twelve', () => {
    expect(map.kecamatanWithin(-6.1754, 106.8272, 1_000)).toEqual([]);
    expect(map.kecamatanWithin(-6.26, 106.98, 30_000)).toEqual([...KECAMATAN_NAMES]);
  });
});

describe('an admin uploads kecamatan boundaries', () => {
  it('given the shipped collection with names as BPS spells them, then it is accepted', () => {
    const collection = shipped();
    feature(collection, indexOf(collection, 'Bantargebang')).properties.name = 'BANTAR GEBANG';
    feature(collection, indexOf(collection, 'Pondok Gede')).properties.name = 'pondokgede';
    const result = parseKecamatanGeoJson(collection);
    expect(result.ok && result.value.kecamatanAt(-6.348, 106.999)).toBe('Bantargebang');
  });

  it('given a kecamatan as a MultiPolygon with altitudes, then it is accepted', () => {
    const collection = shipped();
    const f = feature(collection, indexOf(collection, 'Jatiasih'));
    f.geometry = { type: 'MultiPolygon', coordinates: [f.geometry.coordinates.map((r) => r.map(([x, y]) => [x!, y!, 20]))] as unknown as Position[][] };
    const result = parseKecamatanGeoJson(collection);
    expect(result.ok && result.value.kecamatanAt(-6.298, 106.965)).toBe('Jatiasih');
  });

  it('given a geometry with a wrong bbox member, then lookups ignore it', () => {
    const collection = shipped();
    Object.assign(feature(collection, indexOf(collection, 'Bantargebang')).geometry, { bbox: [0, 0, 1, 1] });
    const result = parseKecamatanGeoJson(collection);
    expect(result.ok && result.value.kecamatanAt(-6.348, 106.999)).toBe('Bantargebang');
  });

  it('given only 11 kecamatan, then it is refused naming the missing one', () => {
    const collection = shipped();
    collection.features.splice(indexOf(collection, 'Rawalumbu'), 1);
    expect(reasonOf(collection)).toBe('expected the 12 kecamatan of Kota Bekasi, each once; missing Rawalumbu');
  });

  it('given a kecamatan twice, then the second is refused naming the first', () => {
    const collection = shipped();
    feature(collection, indexOf(collection, 'Rawalumbu')).properties.name = 'Bekasi Barat';
    expect(reasonOf(collection)).toBe(`feature 11 (Bekasi Barat): Bekasi Barat again (already feature ${indexOf(shipped(), 'Bekasi Barat')})`);
  });

  it('given a name that is not a kecamatan of Kota Bekasi, then it is refused with the list', () => {
    const collection = shipped();
    feature(collection, 0).properties.name = 'Tambun Selatan';
    expect(reasonOf(collection)).toMatch(/^feature 0 \(Tambun Selatan\): not a kecamatan of Kota Bekasi; expected one of Bantargebang, /);
  });

  it('given a ring that is not closed, then the feature and ring are named', () => {
    const collection = shipped();
    const i = indexOf(collection, 'Jatiasih');
    feature(collection, i).geometry.coordinates[0]!.pop();
    expect(reasonOf(collection)).toBe(`feature ${i} (Jatiasih): ring 0 is not closed (its last position must equal its first)`);
  });

  it('given a ring of three positions, then it is refused', () => {
    const collection = shipped();
    feature(collection, 0).geometry.coordinates[0] = [[107, -6.3], [107.01, -6.3], [107, -6.3]];
    expect(reasonOf(collection)).toBe('feature 0 (Bantargebang): ring 0 has 3 positions; a closed ring needs at least 4');
  });

  it('given a self-intersecting bowtie (which @turf/boolean-valid lets through), then it is refused', () => {
    const collection = shipped();
    feature(collection, 0).geometry.coordinates = [[[107, -6.3], [107.01, -6.31], [107.01, -6.3], [107, -6.31], [107, -6.3]]];
    expect(reasonOf(collection)).toMatch(/^feature 0 \(Bantargebang\): ring 0 crosses or touches itself: edge from position 0 meets edge from position 2/);
  });

  it('given a spike folding back on itself, then it is refused', () => {
    const collection = shipped();
    feature(collection, 0).geometry.coordinates = [[[107, -6.3], [107.01, -6.3], [107.02, -6.3], [107.01, -6.3], [107.01, -6.31], [107, -6.3]]];
    expect(reasonOf(collection)).toMatch(/^feature 0 \(Bantargebang\): ring 0 crosses or touches itself/);
  });

  it('given a hole touching the outer ring, then it is refused', () => {
    const collection = shipped();
    const outer = [[107, -6.3], [107.02, -6.3], [107.02, -6.32], [107, -6.32], [107, -6.3]];
    const hole = [[107, -6.3], [107.01, -6.31], [107.01, -6.305], [107, -6.3]];
    feature(collection, 0).geometry.coordinates = [outer, hole];
    expect(reasonOf(collection)).toMatch(/^feature 0 \(Bantargebang\): ring 1 touches or crosses ring 0/);
  });

  it('given [latitude, longitude] instead of [longitude, latitude], then the swap is pointed out', () => {
    const collection = shipped();
    const f = feature(collection, 5);
    f.geometry.coordinates = f.geometry.coordinates.map((r) => r.map(([x, y]) => [y!, x!]));
    expect(reasonOf(collection)).toMatch(/^feature 5 \(Jatiasih\): ring 0 position 0: latitude 106\.\d+ is out of range \[-90, 90\] \(GeoJSON is \[longitude, latitude\]: swapped\?\)$/);
  });

  it('given a coordinate that is not a finite number, then the position is named', () => {
    const collection = shipped();
    feature(collection, 2).geometry.coordinates[0]![3]![1] = Number.NaN;
    expect(reasonOf(collection)).toMatch(/^feature 2 \(Bekasi Selatan\): ring 0 position 3: /);
    feature(collection, 2).geometry.coordinates[0]![3] = ['106.9', '-6.2'] as unknown as Position;
    expect(reasonOf(collection)).toMatch(/^feature 2 \(Bekasi Selatan\): ring 0 position 3: .*expected number/);
  });

  it('given a Point geometry or no properties, then the feature is refused', () => {
    const collection = shipped();
    feature(collection, 1).geometry = { type: 'Point', coordinates: [106.98, -6.24] as unknown as Position[][] };
    expect(reasonOf(collection)).toBe('feature 1 (Bekasi Barat): geometry.type: must be a Polygon or a MultiPolygon');
    collection.features[1] = { type: 'Feature', properties: null, geometry: null } as unknown as UploadFeature;
    expect(reasonOf(collection)).toMatch(/^feature 1: properties: must be an object with a name/);
  });

  it('given something that is not a FeatureCollection, then it is refused as such', () => {
    for (const input of [null, 'Bekasi', [], { type: 'Feature' }, { type: 'FeatureCollection' }, { type: 'FeatureCollection', features: {} }]) {
      expect(reasonOf(input)).toMatch(/^not a GeoJSON FeatureCollection: /);
    }
  });

  it(`given more than ${MAX_KECAMATAN_POSITIONS} positions, then it is refused before anything else is checked`, () => {
    const collection = shipped();
    const big = Array.from({ length: MAX_KECAMATAN_POSITIONS }, (_, k) => [107 + k * 1e-7, -6.3]);
    feature(collection, 0).geometry.coordinates = [big];
    expect(reasonOf(collection)).toMatch(/^2000\d\d positions, more than 200000: simplify the boundaries first$/);
  });
});
