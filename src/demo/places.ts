import type { Category } from '../ivr/flow-schema.js';
import { KECAMATAN_NAMES, kecamatanFeatureSchema, type KecamatanMap, type KecamatanName, kecamatanCollectionSchema } from '../location/kecamatan/kecamatan-map.js';
import { KOTA_BEKASI_KECAMATAN_GEOJSON } from '../location/kecamatan/kota-bekasi-kecamatan.js';
import { standardNormal } from './distributions.js';
import type { Random } from './random.js';

/**
 * Where incidents happen: the twelve kecamatan weighted by population (BPS 2020 census, in
 * thousands, rounded), with a few categories leaning where they are known to cluster: floods
 * along the Kali Bekasi, Cikeas and Cileungsi (Jatiasih, Bekasi Timur, Rawalumbu), fires in the
 * dense north and at the Bantargebang landfill, crashes on the arterial roads.
 */
const POPULATION: Record<KecamatanName, number> = {
  Bantargebang: 106, 'Bekasi Barat': 280, 'Bekasi Selatan': 210, 'Bekasi Timur': 250, 'Bekasi Utara': 340, Jatiasih: 225,
  Jatisampurna: 130, 'Medan Satria': 175, 'Mustika Jaya': 230, 'Pondok Gede': 245, 'Pondok Melati': 140, Rawalumbu: 220,
};

const LEANING: Partial<Record<Category, Partial<Record<KecamatanName, number>>>> = {
  disaster: { Jatiasih: 2.2, 'Bekasi Timur': 1.6, Rawalumbu: 1.4, 'Bekasi Selatan': 1.3, 'Medan Satria': 1.2, 'Pondok Gede': 1.2 },
  fire: { 'Bekasi Utara': 1.25, 'Bekasi Barat': 1.2, Bantargebang: 1.6 },
  traffic: { 'Bekasi Barat': 1.25, 'Bekasi Selatan': 1.2, 'Bekasi Timur': 1.2, 'Medan Satria': 1.2, 'Pondok Gede': 1.15 },
};

/** Roads each kecamatan is known by (as residents name them; for descriptions and addresses, not routing). */
export const ROADS: Record<KecamatanName, readonly string[]> = {
  Bantargebang: ['Jl. Raya Narogong', 'Jl. Pangkalan V', 'Jl. Raya Ciketing Udik'],
  'Bekasi Barat': ['Jl. Ahmad Yani', 'Jl. KH Noer Ali (Kalimalang)', 'Jl. Sultan Agung', 'Jl. Kartini'],
  'Bekasi Selatan': ['Jl. Ahmad Yani', 'Jl. Pekayon Raya', 'Jl. Jend. Sudirman', 'Jl. Veteran'],
  'Bekasi Timur': ['Jl. Ir. H. Juanda', 'Jl. Cut Mutia', 'Jl. Pahlawan', 'Jl. Chairil Anwar'],
  'Bekasi Utara': ['Jl. Perjuangan', 'Jl. Raya Kaliabang', 'Jl. Pejuang Jaya', 'Jl. Raya Babelan'],
  Jatiasih: ['Jl. Raya Jatiasih', 'Jl. Wibawa Mukti', 'Jl. Raya Jatikramat', 'Jl. Swatantra'],
  Jatisampurna: ['Jl. Raya Kranggan', 'Jl. Raya Jatisampurna', 'Jl. Raya Hankam'],
  'Medan Satria': ['Jl. Sultan Agung', 'Jl. Harapan Indah Boulevard', 'Jl. Raya Pejuang'],
  'Mustika Jaya': ['Jl. Raya Mustikasari', 'Jl. Raya Narogong', 'Jl. Pedurenan'],
  'Pondok Gede': ['Jl. Raya Jatiwaringin', 'Jl. Raya Jatimakmur', 'Jl. Raya Pondok Gede'],
  'Pondok Melati': ['Jl. Raya Hankam', 'Jl. Raya Jatiwarna', 'Jl. Jatimurni'],
  Rawalumbu: ['Jl. Raya Narogong', 'Jl. Kemang Pratama Raya', 'Jl. Bojong Menteng'],
};

export interface Place {
  latitude: number;
  longitude: number;
  kecamatan: KecamatanName;
  road: string;
}

type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const METRES_PER_DEGREE = 111_320;

/**
 * Points inside the shipped kecamatan map: a point is drawn in a kecamatan's bounding box and
 * kept only when the map itself (kecamatanAt) puts it in that kecamatan, so every location the
 * demo writes lands where siaga112 will say it is.
 */
export class Places {
  private readonly boxes = new Map<KecamatanName, Bbox>();

  constructor(private readonly map: KecamatanMap) {
    const collection = kecamatanCollectionSchema.parse(KOTA_BEKASI_KECAMATAN_GEOJSON);
    for (const item of collection.features) {
      const feature = kecamatanFeatureSchema.parse(item);
      const name = KECAMATAN_NAMES.find((n) => n === feature.properties.name);
      const rings = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates : feature.geometry.coordinates.flat();
      const positions = rings.flat();
      if (!name) continue;
      this.boxes.set(name, [
        Math.min(...positions.map((p) => p[0]!)), Math.min(...positions.map((p) => p[1]!)),
        Math.max(...positions.map((p) => p[0]!)), Math.max(...positions.map((p) => p[1]!)),
      ]);
    }
  }

  /** A kecamatan for an incident of `category` (or any call, without one). */
  kecamatanFor(rng: Random, category: Category | null): KecamatanName {
    const leaning = category ? LEANING[category] ?? {} : {};
    return rng.weighted(KECAMATAN_NAMES.map((name) => [name, POPULATION[name] * (leaning[name] ?? 1)] as const));
  }

  /** A point inside the kecamatan, on one of its roads. */
  pointIn(rng: Random, kecamatan: KecamatanName): Place {
    const [minLon, minLat, maxLon, maxLat] = this.boxes.get(kecamatan)!;
    // Each kecamatan fills a good part of its box: a few draws find a point, 10,000 misses mean a broken map.
    for (let attempt = 0; attempt < 10_000; attempt += 1) {
      const latitude = round6(rng.between(minLat, maxLat));
      const longitude = round6(rng.between(minLon, maxLon));
      if (this.map.kecamatanAt(latitude, longitude) === kecamatan) return { latitude, longitude, kecamatan, road: rng.pick(ROADS[kecamatan]) };
    }
    throw new Error(`no point of ${kecamatan} found in its bounding box: the kecamatan map and its boxes disagree`);
  }

  /**
   * A point about `spreadM` metres (normally distributed) from `around`, kept inside Kota Bekasi
   * (a report of a Bekasi incident that lands in Jakarta would only confuse the demo's maps).
   */
  near(rng: Random, around: { latitude: number; longitude: number }, spreadM: number): { latitude: number; longitude: number } {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const latitude = round6(around.latitude + (standardNormal(rng) * spreadM) / METRES_PER_DEGREE);
      const longitude = round6(around.longitude + (standardNormal(rng) * spreadM) / (METRES_PER_DEGREE * Math.cos((around.latitude * Math.PI) / 180)));
      if (this.map.kecamatanAt(latitude, longitude) !== null) return { latitude, longitude };
    }
    return { latitude: around.latitude, longitude: around.longitude };
  }

  /** The kecamatan of a point, as siaga112 will see it. */
  kecamatanAt(latitude: number, longitude: number): KecamatanName | null {
    return this.map.kecamatanAt(latitude, longitude);
  }
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
