import type { NewFixRow } from '../db/location-repository.js';
import { emptyReading, type FixReading } from '../geo/fix.js';
import { parseAmlForm } from '../location/aml/aml-https.js';
import { fixRowOf } from '../location/fix-rows.js';
import type { KecamatanMap } from '../location/kecamatan/kecamatan-map.js';
import { readingFromProfile } from '../location/pidf/location-info.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import { logNormalBetween } from './distributions.js';
import type { Place, Places } from './places.js';
import type { Random } from './random.js';

/** Android's Emergency Location Service on most handsets sold in Indonesia: an AML message for most mobile calls. */
const AML_SHARE = 0.6;
/** Networks that put the caller's position (mostly the cell's) in the INVITE as a PIDF-LO. */
const SIP_SHARE = 0.35;

/** How handsets fix their position, and how good each is (median accuracy, m). */
const AML_METHODS: ReadonlyArray<readonly [{ word: string; medianM: number }, number]> = [
  [{ word: 'GPS', medianM: 9 }, 55], [{ word: 'WIFI', medianM: 30 }, 25], [{ word: 'NETWORK', medianM: 60 }, 15], [{ word: 'CELL', medianM: 900 }, 5],
];
const HANDSETS = ['SM-A145F', 'SM-A057F', 'Redmi 13C', 'Redmi Note 13', 'CPH2591', 'V2333', 'RMX3834', 'Infinix X6528'];

export interface CallForLocation {
  callId: string;
  callerNumber: string;
  dialled: string;
  mobile: boolean;
  place: Place;
  arrivedAt: number;
  answeredAt: number;
}

/**
 * The fixes a call's own signalling and handset send: the network's circle in the INVITE (read
 * just after the answer) and the handset's AML message some seconds in, each read by siaga112's
 * own parser (readingFromProfile, parseAmlForm) from the text the source would send, and stored
 * as fixRowOf stores it, so rows, raw text and kecamatan are what the service would have written.
 */
export function callFixes(rng: Random, call: CallForLocation, places: Places, map: KecamatanMap): NewFixRow[] {
  if (!call.mobile || call.callerNumber === '') return [];
  const number = normaliseNumber(call.callerNumber);
  const rows: NewFixRow[] = [];
  if (rng.chance(SIP_SHARE)) {
    const gps = rng.chance(0.3);
    const radius = Math.round(gps ? rng.between(15, 60) : logNormalBetween(rng, 700, 0.5, 150, 3000));
    const at = places.near(rng, call.place, radius / 2);
    const values = {
      'GEOLOC_PROFILE(format)': 'GML', GEOLOCPROFILESTATUS: '0',
      'GEOLOC_PROFILE(location_info)': `shape="Circle",crs="2d",pos="${at.latitude} ${at.longitude}",radius="${radius}"`,
      'GEOLOC_PROFILE(method)': gps ? 'GPS' : 'Cell',
    };
    const parsed = readingFromProfile({ format: values['GEOLOC_PROFILE(format)'], locationInfo: values['GEOLOC_PROFILE(location_info)'], method: values['GEOLOC_PROFILE(method)'] });
    if (parsed.ok && parsed.value.kind === 'reading') {
      rows.push(row(rng, parsed.value.reading, { callId: call.callId, number, receivedAt: Math.round(call.answeredAt + rng.between(30, 150)), raw: JSON.stringify(values) }, map));
    }
  }
  if (rng.chance(AML_SHARE)) {
    const method = rng.weighted(AML_METHODS);
    const accuracy = logNormalBetween(rng, method.medianM, 0.6, 3, 5000);
    const at = places.near(rng, call.place, accuracy / 1.5);
    const receivedAt = Math.round(call.arrivedAt + rng.between(3000, 25_000));
    const body = new URLSearchParams({
      v: '3', emergency_number: call.dialled, source: 'call', time: String(receivedAt - rng.intBetween(80, 900)),
      location_time: String(receivedAt - rng.intBetween(1000, 6000)), location_latitude: at.latitude.toFixed(6), location_longitude: at.longitude.toFixed(6),
      location_accuracy: accuracy.toFixed(1), ...(method.word === 'GPS' ? { location_altitude: rng.between(12, 40).toFixed(1), location_vertical_accuracy: rng.between(3, 15).toFixed(1) } : {}),
      location_source: method.word, location_confidence: '68', device_number: number, device_model: rng.pick(HANDSETS),
    }).toString();
    const parsed = parseAmlForm(body);
    if (parsed.ok) rows.push(row(rng, parsed.value.reading, { callId: call.callId, number, receivedAt, raw: body }, map));
  }
  return rows;
}

/** The operator's entry of where the caller says they are (a caller without a usable fix): a point near it and the road. */
export function enteredFix(rng: Random, call: { callId: string; callerNumber: string; place: Place }, by: string, at: number, map: KecamatanMap): NewFixRow {
  const reading: FixReading = {
    ...emptyReading('operator'), method: 'manual', shape: 'circle',
    latitude: call.place.latitude, longitude: call.place.longitude, accuracyM: Math.round(rng.between(50, 200)),
    civic: { country: 'ID', A1: 'Jawa Barat', A2: 'Kota Bekasi', A3: call.place.kecamatan, RD: call.place.road },
  };
  return row(rng, reading, { callId: call.callId, number: normaliseNumber(call.callerNumber), receivedAt: at, raw: '', enteredBy: by }, map);
}

/** The operator's confirmation of one of the call's fixes: a copy from source operator that names it (the demo's fixes are circles: no ellipse, polygon or address to copy). */
export function confirmedFix(rng: Random, fix: NewFixRow, by: string, at: number, map: KecamatanMap): NewFixRow {
  const reading: FixReading = {
    ...emptyReading('operator'), shape: fix.shape as FixReading['shape'], latitude: fix.latitude ?? null, longitude: fix.longitude ?? null,
    accuracyM: fix.accuracyM ?? null, confidencePct: fix.confidencePct ?? null, altitudeM: fix.altitudeM ?? null,
    verticalAccuracyM: fix.verticalAccuracyM ?? null, method: fix.method as FixReading['method'], fixedAt: fix.fixedAt ?? null,
  };
  return row(rng, reading, { callId: fix.callId, number: fix.number, receivedAt: at, raw: '', enteredBy: by, confirmsFixId: fix.id ?? null }, map);
}

/** fixRowOf's row, with an id from the demo's stream instead of randomUUID (same seed, same ids). */
function row(rng: Random, reading: FixReading, context: Parameters<typeof fixRowOf>[1], map: KecamatanMap): NewFixRow {
  return { ...fixRowOf(reading, context, map), id: rng.uuid() };
}
