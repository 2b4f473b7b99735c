import type { Clock } from '../clock.js';
import type { Telephony } from '../telephony/port.js';
import type { FixReading, ParseResult } from '../geo/fix.js';
import { fetchPidfReference, type ReferenceSettings } from './pidf-reference.js';
import { parsePidfLo } from './pidf/pidf-lo.js';
import { readingFromProfile } from './pidf/location-info.js';

/**
 * One request for everything: Asterisk evaluates the list in order, and GEOLOCPROFILESTATUS is
 * set only as a side effect of reading GEOLOC_PROFILE(), so the status follows the format. For a
 * call without location Asterisk answers status -2 with empty values (and logs a NOTICE per
 * GEOLOC_PROFILE read, which a second request would only double).
 */
export const GEOLOC_VARIABLES = [
  'GEOLOC_PROFILE(format)', 'GEOLOCPROFILESTATUS', 'GEOLOC_PROFILE(location_info)', 'GEOLOC_PROFILE(method)', 'GEOLOC_PROFILE(confidence)',
] as const;

/** What a call's SIP signalling said about where the caller is. */
export type SipLocation =
  | { kind: 'none' }
  | { kind: 'fixes'; readings: FixReading[]; raw: string }
  | { kind: 'refused'; source: 'sip-pidf' | 'sip-pidf-ref'; reason: string; raw: string };

/**
 * Reads the location Asterisk parsed from the caller's INVITE (PIDF-LO by value), or fetches it
 * when the caller gave a reference. Asterisk validates nothing, so every value is checked here.
 * Never throws: a channel already gone, or ARI refusing, is "no location".
 */
export async function readSipLocation(telephony: Telephony, channelId: string, reference: ReferenceSettings, clock: Clock): Promise<SipLocation> {
  const values = await telephony.getVariables(channelId, GEOLOC_VARIABLES).catch(() => undefined);
  if (!values || values.GEOLOCPROFILESTATUS !== '0') return { kind: 'none' };
  const raw = JSON.stringify(values);
  const profile = readingFromProfile({
    format: values['GEOLOC_PROFILE(format)'] ?? '', locationInfo: values['GEOLOC_PROFILE(location_info)'] ?? '',
    method: values['GEOLOC_PROFILE(method)'], confidence: values['GEOLOC_PROFILE(confidence)'],
  });
  if (!profile.ok) return { kind: 'refused', source: 'sip-pidf', reason: profile.reason, raw };
  if (profile.value.kind === 'reading') return { kind: 'fixes', readings: [profile.value.reading], raw };
  const fetched = await fetchPidfReference(profile.value.uri, reference, clock);
  if (!fetched.ok) return { kind: 'refused', source: 'sip-pidf-ref', reason: fetched.reason, raw: profile.value.uri };
  const parsed: ParseResult<FixReading[]> = parsePidfLo(fetched.value, 'sip-pidf-ref');
  if (!parsed.ok) return { kind: 'refused', source: 'sip-pidf-ref', reason: parsed.reason, raw: fetched.value };
  return parsed.value.length > 0 ? { kind: 'fixes', readings: parsed.value, raw: fetched.value } : { kind: 'refused', source: 'sip-pidf-ref', reason: 'no location in the document', raw: fetched.value };
}
