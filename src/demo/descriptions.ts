import type { Category } from '../ivr/flow-schema.js';
import type { Random } from './random.js';

/**
 * What operators type about an incident, in Bahasa Indonesia as they would, per subcategory of
 * the shipped list (DEFAULT_SUBCATEGORIES) and one line for an incident without subcategory.
 * `{road}` and `{kec}` are filled with the place.
 */
const TEXTS: Record<string, readonly string[]> = {
  'traffic/collision': ['Tabrakan mobil dan motor di {road}, pengendara motor terluka', 'Kecelakaan beruntun tiga kendaraan di {road} arah Jakarta', 'Mobil menabrak pembatas jalan di {road}'],
  'traffic/motorcycle': ['Motor tergelincir di {road}, pengendara jatuh', 'Dua motor bertabrakan di {road} dekat lampu merah', 'Pengendara ojol jatuh di {road}, kaki luka'],
  'traffic/pedestrian-hit': ['Pejalan kaki tertabrak motor saat menyeberang di {road}', 'Anak tertabrak motor di depan sekolah, {road}'],
  'traffic/': ['Kecelakaan lalu lintas di {road}, kec. {kec}', 'Laka lantas di {road}, lalu lintas macet'],
  'fire/house-fire': ['Rumah terbakar di gang dekat {road}, api membesar', 'Kebakaran rumah tinggal di {road}, warga mencoba memadamkan', 'Korsleting listrik, dapur rumah terbakar di {road}'],
  'fire/market-fire': ['Kios di pasar dekat {road} terbakar', 'Kebakaran deretan ruko di {road}'],
  'fire/vehicle-fire': ['Mobil terbakar di pinggir {road}', 'Motor terbakar di SPBU {road}'],
  'fire/land-fire': ['Lahan kosong terbakar di belakang perumahan, {road}', 'Sampah dan ilalang terbakar dekat {road}, asap tebal'],
  'fire/': ['Kebakaran di {road}, kec. {kec}', 'Asap tebal dan api terlihat dari bangunan di {road}'],
  'medical/unconscious': ['Lansia pingsan di rumah, {road}', 'Pria tidak sadarkan diri di trotoar {road}', 'Dugaan serangan jantung, korban tidak sadar, {road}'],
  'medical/breathing': ['Anak sesak napas berat, {road}', 'Pasien asma sesak napas, minta ambulans ke {road}'],
  'medical/injury': ['Pekerja jatuh dari perancah di {road}, kepala luka', 'Warga terluka terkena pecahan kaca di {road}'],
  'medical/childbirth': ['Ibu hamil akan melahirkan, butuh ambulans ke {road}', 'Ketuban pecah, minta ambulans segera, {road}'],
  'medical/': ['Warga butuh ambulans di {road}, kec. {kec}', 'Kondisi medis darurat di {road}'],
  'disaster/flood': ['Banjir setinggi lutut di permukiman dekat {road}', 'Luapan Kali Bekasi, air masuk rumah warga di {kec}', 'Banjir di {road}, warga lansia perlu dievakuasi'],
  'disaster/fallen-tree': ['Pohon tumbang menutup {road}', 'Pohon tumbang menimpa mobil di {road}', 'Pohon besar tumbang setelah hujan angin, {road}'],
  'disaster/small-landslide': ['Tebing kali longsor di belakang rumah warga, {kec}', 'Tanah longsor kecil di tepi kali dekat {road}'],
  'disaster/': ['Hujan angin, atap rumah warga rusak di {road}', 'Bencana lokal di {kec}, warga butuh bantuan'],
  'crime/theft': ['Pencurian motor di parkiran {road}, pelaku kabur', 'Jambret di {road}, korban perempuan', 'Rumah dibobol maling di {road}'],
  'crime/assault': ['Penganiayaan di {road}, korban luka di kepala', 'Keributan, seorang warga dipukul di {road}'],
  'crime/brawl': ['Tawuran pelajar di {road}, membawa senjata tajam', 'Tawuran antar kelompok di {road}'],
  'crime/': ['Gangguan ketertiban di {road}, kec. {kec}', 'Warga melaporkan orang mencurigakan di {road}'],
  'other/wild-animal': ['Ular kobra masuk rumah warga di {road}', 'Sarang tawon di atap rumah, {road}', 'Biawak masuk permukiman di {kec}'],
  'other/fallen-cable': ['Kabel fiber optik menjuntai rendah di {road}', 'Kabel putus melintang jalan di {road}, membahayakan pengendara'],
  'other/': ['Kucing terjebak di saluran air, {road}', 'Gorong-gorong tersumbat, air meluap ke {road}', 'Warga terkunci di dalam rumah, {road}'],
};

/** The incident's description, as an operator writes it. */
export function describe(rng: Random, category: Category, subcategory: string | null, place: { road: string; kecamatan: string }): string {
  const texts = TEXTS[`${category}/${subcategory ?? ''}`] ?? TEXTS[`${category}/`]!;
  return rng.pick(texts).replace('{road}', place.road).replace('{kec}', place.kecamatan);
}

/** Notes operators add to incidents after the call, from what the agencies say on the radio. */
export const INCIDENT_NOTES: Record<Category, readonly string[]> = {
  traffic: ['Korban dibawa ke RSUD dr. Chasbullah Abdulmadjid', 'Satlantas sudah mengatur lalu lintas', 'Kendaraan sudah dievakuasi dari badan jalan'],
  fire: ['Damkar mengerahkan 3 unit', 'Api berhasil dilokalisir', 'Pendinginan selesai, tidak ada korban jiwa'],
  medical: ['Pasien dibawa ke IGD RSUD Kota Bekasi', 'Keluarga mendampingi pasien di ambulans'],
  disaster: ['BPBD mendirikan posko pengungsian', 'Air mulai surut', 'Jalan sudah bisa dilalui kembali'],
  crime: ['Pelaku diamankan Polsek setempat', 'Korban diarahkan membuat laporan di Polres Metro Bekasi Kota'],
  other: ['Hewan sudah dievakuasi petugas', 'Petugas sudah di lokasi'],
};

/** Why an agency is called off, as the operator records it. */
export const CANCEL_REASONS: Record<Category, readonly string[]> = {
  traffic: ['Korban sudah dibawa warga ke rumah sakit', 'Laporan ganda, sudah ditangani unit lain'],
  fire: ['Api sudah dipadamkan warga', 'Ternyata asap pembakaran sampah, tidak ada kebakaran'],
  medical: ['Pasien sudah dibawa keluarga ke rumah sakit', 'Pasien sudah sadar, menolak dibawa'],
  disaster: ['Situasi sudah aman, air surut', 'Pohon sudah disingkirkan warga'],
  crime: ['Situasi sudah kondusif', 'Pelapor membatalkan laporan'],
  other: ['Sudah ditangani warga', 'Tidak ditemukan kejadian di lokasi'],
};

/** What operators sometimes note with a disposition. */
export const DISPOSITION_NOTES: Record<'info' | 'prank' | 'test', readonly string[]> = {
  info: ['menanyakan nomor PLN 123', 'menanyakan cara lapor kehilangan KTP', 'menanyakan jadwal vaksin', 'menanyakan status laporan kemarin', 'menanyakan nomor Samsat'],
  prank: ['anak-anak, tertawa', 'memaki operator', 'pura-pura kebakaran, lalu tertawa', 'berulang kali menelepon'],
  test: ['uji jaringan operator seluler', 'uji handset', 'uji rutin pagi'],
};
