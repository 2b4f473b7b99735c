// Builds APPROXIMATE kecamatan polygons for Kota Bekasi. Official boundaries (BPS / BIG) cannot be
// downloaded on the machines this project runs on, and caller location needs *some* kecamatan map
// from day one, so this script derives one honestly from hand-placed points: the Voronoi cells of
// approximate kecamatan centres, clipped to an approximate city outline. The result is good for
// "which kecamatan is this caller roughly in" and for picking the nearby kecamatan a dispatcher
// should think about; it is not a legal boundary. Replace it through the admin upload with the
// official boundaries as soon as they are available.
//
// Run: node scripts/kecamatan/build-approximate-kecamatan.mjs
// Writes src/location/kecamatan/kota-bekasi-kecamatan.geojson (the human-readable artifact) and
// src/location/kecamatan/kota-bekasi-kecamatan.ts (the same data as a module: tsc copies only .ts
// to dist/, so the running server reads this one).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { featureCollection, point, polygon } from '@turf/helpers';
import { voronoi } from '@turf/voronoi';
import { intersect } from '@turf/intersect';

/**
 * Kota Bekasi's limits, hand-drawn [lon, lat] from memory of the map: Jakarta (Cakung, Duren
 * Sawit, Makasar, Cipayung) to the west, Kabupaten Bekasi (Tarumajaya, Babelan, Tambun, Setu) to
 * the north and east, Kabupaten Bogor (Gunung Putri, Cileungsi, Klapanunggal) and Depok to the
 * south. The notch in the south is Kabupaten Bogor's Bojong Kulur / Cibubur reaching north between
 * Jatisampurna and Bantargebang.
 */
const OUTLINE = [
  [106.956, -6.184], // north-west: Medan Satria against Cakung / Tarumajaya
  [106.970, -6.178],
  [106.985, -6.176], // Pejuang, north of Harapan Indah
  [106.998, -6.170], // northern tip: Kaliabang Tengah
  [107.010, -6.174],
  [107.019, -6.185],
  [107.026, -6.196], // Harapan Baru
  [107.031, -6.212], // Teluk Pucung
  [107.034, -6.228],
  [107.038, -6.243], // Bekasi Timur against Tambun
  [107.037, -6.262],
  [107.046, -6.280], // Mustika Jaya against Tambun Selatan / Setu
  [107.049, -6.298],
  [107.044, -6.316],
  [107.030, -6.332], // Bantargebang against Setu
  [107.016, -6.348],
  [107.001, -6.360], // Bantargebang against Klapanunggal / Cileungsi
  [106.990, -6.350],
  [106.981, -6.330], // the Bojong Kulur notch (Kabupaten Bogor)
  [106.966, -6.313],
  [106.951, -6.325],
  [106.945, -6.348],
  [106.939, -6.369], // Jatisampurna against Gunung Putri
  [106.923, -6.372],
  [106.911, -6.358], // Cibubur
  [106.907, -6.340],
  [106.904, -6.315], // Pondok Melati against Cipayung
  [106.903, -6.290],
  [106.906, -6.266], // Pondok Gede (Jatiwaringin) against Makasar / Pondok Kelapa
  [106.914, -6.253],
  [106.928, -6.246],
  [106.942, -6.238], // Bintara Jaya against Duren Sawit
  [106.947, -6.218], // Bintara against Pulo Gebang
  [106.952, -6.198],
];

/**
 * Approximate centre of each kecamatan [lat, lon], placed among its kelurahan. Each cell's
 * boundary is the perpendicular bisector between neighbouring centres, so a centre is nudged where
 * a known landmark must fall on its side (Summarecon Mall Bekasi in Marga Mulya, Bekasi Utara,
 * just north of the railway that divides Bekasi Utara from Bekasi Timur).
 */
const CENTRES = {
  'Medan Satria': [-6.195, 106.974], // Harapan Mulya, Kalibaru, Medan Satria, Pejuang
  'Bekasi Utara': [-6.207, 107.008], // Harapan Jaya, Kaliabang Tengah, Perwira, Marga Mulya, Teluk Pucung
  'Bekasi Barat': [-6.231, 106.961], // Bintara, Bintara Jaya, Kranji, Kota Baru, Jakasampurna
  'Bekasi Timur': [-6.250, 107.024], // Aren Jaya, Bekasi Jaya, Duren Jaya, Margahayu
  'Bekasi Selatan': [-6.256, 106.986], // Marga Jaya, Kayuringin Jaya, Pekayon Jaya, Jaka Setia, Jaka Mulya
  'Rawalumbu': [-6.278, 107.010], // Bojong Rawalumbu, Bojong Menteng, Pengasinan, Sepanjang Jaya
  'Mustika Jaya': [-6.300, 107.032], // Mustika Jaya, Mustika Sari, Padurenan, Cimuning
  'Bantargebang': [-6.345, 107.005], // Bantargebang, Cikiwul, Ciketing Udik, Sumur Batu
  'Jatiasih': [-6.291, 106.958], // Jatiasih, Jatikramat, Jatimekar, Jatirasa, Jatiluhur, Jatisari
  'Pondok Gede': [-6.266, 106.922], // Jatibening, Jatibening Baru, Jatimakmur, Jaticempaka, Jatiwaringin
  'Pondok Melati': [-6.305, 106.920], // Jatiwarna, Jatimelati, Jatimurni, Jatirahayu
  'Jatisampurna': [-6.358, 106.928], // Jatisampurna, Jatikarya, Jatiranggon, Jatiraden, Jatirangga
};

const NOTE = 'APPROXIMATE boundaries: Voronoi cells of approximate kecamatan centres clipped to an approximate, '
  + 'hand-drawn outline of Kota Bekasi (scripts/kecamatan/build-approximate-kecamatan.mjs). Boundaries may be off '
  + 'by several hundred metres to about 1-2 km, more at the city limits. Not a legal boundary: replace with the '
  + 'official BPS/BIG kecamatan boundaries through the admin API.';

const round5 = (n) => Math.round(n * 1e5) / 1e5;

/** Rounds a ring to 5 decimals (about 1 m) and drops the consecutive repeats rounding can create. */
function roundRing(ring) {
  const out = [];
  for (const [lon, lat] of ring) {
    const p = [round5(lon), round5(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Planar shoelace area of a ring in km², good enough at this size and latitude. */
function areaKm2(ring) {
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i += 1) twice += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  const kmPerDegLat = 110.57;
  const kmPerDegLon = 111.32 * Math.cos((-6.27 * Math.PI) / 180);
  return Math.abs(twice / 2) * kmPerDegLat * kmPerDegLon;
}

function build() {
  const names = Object.keys(CENTRES).sort();
  const seeds = featureCollection(names.map((name) => point([CENTRES[name][1], CENTRES[name][0]], { name })));
  const cells = voronoi(seeds, { bbox: [106.8, -6.5, 107.2, -6.0] });
  const outline = polygon([[...OUTLINE, OUTLINE[0]]]);
  const features = cells.features.map((cell, i) => {
    const name = names[i];
    const clipped = intersect(featureCollection([cell, outline]));
    if (!clipped || clipped.geometry.type !== 'Polygon') throw new Error(`${name}: clipped cell is not one polygon`);
    const rings = clipped.geometry.coordinates.map(roundRing);
    return { type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: rings } };
  });
  return { type: 'FeatureCollection', properties: { note: NOTE }, features };
}

/** Refuses to write a map whose cells overlap or do not add up to the outline. */
function check(collection) {
  const outlineArea = areaKm2([...OUTLINE, OUTLINE[0]]);
  const polys = collection.features.map((f) => polygon(f.geometry.coordinates));
  let sum = 0;
  for (const [i, f] of collection.features.entries()) {
    const area = areaKm2(f.geometry.coordinates[0]);
    sum += area;
    console.log(`${f.properties.name.padEnd(15)} ${area.toFixed(1).padStart(5)} km²  ${f.geometry.coordinates[0].length} positions`);
    for (let j = i + 1; j < polys.length; j += 1) {
      const overlap = intersect(featureCollection([polys[i], polys[j]]));
      const overlapArea = overlap ? overlap.geometry.coordinates.flat(overlap.geometry.type === 'Polygon' ? 0 : 1)
        .reduce((a, ring) => a + areaKm2(ring), 0) : 0;
      if (overlapArea > 1e-4) throw new Error(`${f.properties.name} overlaps ${collection.features[j].properties.name}: ${overlapArea} km²`);
    }
  }
  console.log(`total ${sum.toFixed(1)} km², outline ${outlineArea.toFixed(1)} km² (official city area ≈ 210 km²)`);
  if (Math.abs(sum - outlineArea) > 0.01) throw new Error('cells do not tile the outline');
}

/** One feature per line: diffs stay readable when a centre moves. */
function toJsonText(collection) {
  const features = collection.features.map((f) => `    ${JSON.stringify(f)}`).join(',\n');
  return `{\n  "type": "FeatureCollection",\n  "properties": ${JSON.stringify(collection.properties)},\n  "features": [\n${features}\n  ]\n}\n`;
}

const collection = build();
check(collection);
const json = toJsonText(collection);
const dir = fileURLToPath(new URL('../../src/location/kecamatan/', import.meta.url));
writeFileSync(`${dir}kota-bekasi-kecamatan.geojson`, json);
writeFileSync(`${dir}kota-bekasi-kecamatan.ts`, `// GENERATED by scripts/kecamatan/build-approximate-kecamatan.mjs: do not edit; rerun the script.
// The same data as kota-bekasi-kecamatan.geojson, as a module, because the build copies only
// compiled .ts into dist/. Typed unknown on purpose: it goes through parseKecamatanGeoJson like
// any upload.

/** Approximate kecamatan of Kota Bekasi (see its properties.note). */
export const KOTA_BEKASI_KECAMATAN_GEOJSON: unknown = ${json.trimEnd()};
`);
console.log(`wrote ${dir}kota-bekasi-kecamatan.geojson and .ts`);
