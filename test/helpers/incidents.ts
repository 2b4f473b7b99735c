import type { coreHarness } from './core.js';
import { waitFor } from './wait-for.js';

type Harness = ReturnType<typeof coreHarness>;

/** Channel variables Asterisk's res_geolocation leaves on a call whose INVITE carried a PIDF-LO circle. */
export function pidfCircle(latitude: number, longitude: number, radiusM: number): Record<string, string> {
  return {
    'GEOLOC_PROFILE(format)': 'GML', GEOLOCPROFILESTATUS: '0',
    'GEOLOC_PROFILE(location_info)': `shape="Circle",crs="2d",pos="${latitude} ${longitude}",radius="${radiusM}"`, 'GEOLOC_PROFILE(method)': 'GPS',
  };
}

/**
 * A call `operatorId` is talking to, as the switchboard leaves it, with the SIP fix of `location`
 * (or none) read before it returns.
 */
export async function handledCall(h: Harness, operatorId: string, callerNumber: string, location?: Record<string, string>) {
  const channel = h.telephony.arrive({ callerNumber }, ['dialled=112'], location ?? {});
  const call = h.repo.findByChannelId(channel.id)!;
  h.repo.change(call.id, { state: 'connected', operatorId, connectedAt: h.clock.now() }, { type: 'connected', at: h.clock.now() });
  if (location) await waitFor(() => h.location.service.locationOf(call.id).fixes.length === 1, 'the SIP fix');
  return { callId: call.id, channelId: channel.id };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
