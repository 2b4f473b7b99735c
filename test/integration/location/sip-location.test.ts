import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';

let harness: ReturnType<typeof coreHarness>;
let server: Server | undefined;
afterEach(async () => {
  harness?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** What Asterisk 22.10 answers for a caller whose INVITE carried a PIDF-LO circle (seen on the lab Asterisk). */
const CIRCLE = {
  'GEOLOC_PROFILE(format)': 'GML', GEOLOCPROFILESTATUS: '0',
  'GEOLOC_PROFILE(location_info)': 'shape="Circle",crs="2d",pos="-6.2383 106.9756",radius="35"', 'GEOLOC_PROFILE(method)': 'GPS',
};

/** A caller's channel arriving with these geolocation values, answered through the greeting. */
async function callWith(variables: Record<string, string>, callerNumber = '081234567890') {
  const channel = harness.telephony.arrive({ callerNumber }, ['dialled=112'], variables);
  const call = harness.repo.findByChannelId(channel.id)!;
  return { channel, call };
}

describe('caller location from SIP (PIDF-LO read over ARI)', () => {
  it('given a caller whose INVITE carried a circle, then the call has a GNSS fix with its accuracy and kecamatan, read in one ARI request after the answer', async () => {
    harness = coreHarness();
    const { channel, call } = await callWith(CIRCLE);
    const { fixes } = await waitFor(() => harness.location.service.locationOf(call.id).fixes.length > 0 && harness.location.service.locationOf(call.id), 'the SIP fix');
    expect(fixes).toEqual([expect.objectContaining({
      source: 'sip-pidf', shape: 'circle', latitude: -6.2383, longitude: 106.9756, accuracyM: 35, method: 'gnss', number: '+6281234567890',
      kecamatan: expect.stringMatching(/^(Bekasi Selatan|Bekasi Barat)$/),
    })]);
    // One request, once the call was answered: never before the answer.
    const answer = harness.telephony.commands.findIndex((c) => c.op === 'answer' && c.channelId === channel.id);
    const reads = harness.telephony.variableReads.filter((r) => r.channelId === channel.id);
    expect(answer).toBeGreaterThanOrEqual(0);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.afterCommands).toBeGreaterThan(answer);
  });

  it('given a caller without location, then one request finds none and nothing is recorded', async () => {
    harness = coreHarness();
    const { channel, call } = await callWith({ GEOLOCPROFILESTATUS: '-2' });
    await waitFor(() => harness.telephony.variableReads.some((r) => r.channelId === channel.id), 'the read');
    await harness.location.service.settled();
    expect(harness.location.service.locationOf(call.id)).toEqual({ fixes: [], best: null });
    expect(harness.location.repo.rejections(10, 0).total).toBe(0);
  });

  it('given a civic-only PIDF-LO, then the fix carries the address and no point', async () => {
    harness = coreHarness();
    const { call } = await callWith({
      'GEOLOC_PROFILE(format)': 'civicAddress', GEOLOCPROFILESTATUS: '0',
      'GEOLOC_PROFILE(location_info)': 'country="ID",A1="Jawa Barat",A2="Kota Bekasi",A3="Bekasi Selatan",RD="Jl. Ahmad Yani",HNO="1"',
    });
    const fix = await waitFor(() => harness.location.service.locationOf(call.id).fixes[0], 'the civic fix');
    expect(fix).toMatchObject({ shape: 'civic', latitude: null, kecamatan: null, civic: { A3: 'Bekasi Selatan', RD: 'Jl. Ahmad Yani', HNO: '1' } });
  });

  it('given a PIDF-LO Asterisk parsed but whose values are nonsense, then the call goes on, no fix is written, and the rejection is recorded', async () => {
    harness = coreHarness();
    const { call, channel } = await callWith({ ...CIRCLE, 'GEOLOC_PROFILE(location_info)': 'shape="Circle",crs="2d",pos="not numbers",radius="35"' });
    const rejection = await waitFor(() => harness.location.repo.rejections(10, 0).items[0], 'the rejection');
    expect(rejection).toMatchObject({ intake: 'sip-pidf', callId: call.id, sender: '+6281234567890' });
    expect(rejection.reason).toMatch(/pos/);
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([]);
    expect(harness.telephony.commandsFor(channel.id)).toContain('play');
  });

  it('given a location by reference on an allowed server, then siaga112 fetches and parses it', async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/pidf+xml' });
      response.end(`<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" entity="pres:caller@example.net"><tuple id="t1"><status><gp:geopriv><gp:location-info><gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-6.3480 106.9990</gml:pos></gml:Point></gp:location-info><gp:usage-rules/><gp:method>Cell</gp:method></gp:geopriv></status><timestamp>2026-12-02T06:00:00Z</timestamp></tuple></presence>`);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    harness = coreHarness({ pidfRefHosts: [host] });
    const { call } = await callWith({ 'GEOLOC_PROFILE(format)': 'URI', GEOLOCPROFILESTATUS: '0', 'GEOLOC_PROFILE(location_info)': `URI="http://${host}/loc/abc"` });
    const fix = await waitFor(() => harness.location.service.locationOf(call.id).fixes[0], 'the referenced fix', 5000);
    expect(fix).toMatchObject({ source: 'sip-pidf-ref', shape: 'point', latitude: -6.348, longitude: 106.999, method: 'cell', kecamatan: 'Bantargebang', fixedAt: '2026-12-02T06:00:00.000Z' });
  });

  it('given a location by reference on a server nobody configured, then nothing is fetched and the refusal is recorded', async () => {
    harness = coreHarness({ pidfRefHosts: ['127.0.0.1:1'] });
    const { call } = await callWith({ 'GEOLOC_PROFILE(format)': 'URI', GEOLOCPROFILESTATUS: '0', 'GEOLOC_PROFILE(location_info)': 'URI="https://evil.example/loc"' });
    const rejection = await waitFor(() => harness.location.repo.rejections(10, 0).items[0], 'the rejection');
    expect(rejection).toMatchObject({ intake: 'sip-pidf-ref', callId: call.id, reason: 'location server evil.example is not in SIAGA112_PIDF_REF_HOSTS' });
  });

  it('given a call refused by admission, then it is handed to the fallback first and its location read afterwards', async () => {
    harness = coreHarness({ maxLiveCalls: 0 });
    const { channel, call } = await callWith(CIRCLE);
    await waitFor(() => harness.location.service.locationOf(call.id).fixes.length === 1, 'the fix after the hand-off');
    expect(harness.telephony.commandsFor(channel.id)).toEqual(['continue']);
    const handOff = harness.telephony.commands.findIndex((c) => c.op === 'continue' && c.channelId === channel.id);
    expect(handOff).toBeGreaterThanOrEqual(0);
    expect(harness.telephony.variableReads.filter((r) => r.channelId === channel.id)).toEqual([expect.objectContaining({ afterCommands: handOff + 1 })]);
    expect(harness.repo.findById(call.id)).toMatchObject({ state: 'fallback', fallbackReason: 'admission' });
  });

  it('given a caller who hangs up before the answer, then nothing is asked of Asterisk about their location', async () => {
    harness = coreHarness();
    harness.telephony.failNext('answer', 404);
    const { channel, call } = await callWith(CIRCLE);
    harness.telephony.callerHangsUp(channel.id);
    await waitFor(() => harness.repo.findById(call.id)?.endedAt, 'the end');
    await harness.location.service.settled();
    expect(harness.telephony.variableReads.filter((r) => r.channelId === channel.id)).toEqual([]);
  });

  it('given SIP location switched off (production without citizens-geolocation.conf), then calls cost no ARI request for it', async () => {
    harness = coreHarness({ sipLocation: false });
    const { channel, call } = await callWith(CIRCLE);
    await waitFor(() => harness.telephony.commandsFor(channel.id).includes('play'), 'the greeting');
    await harness.location.service.settled();
    expect(harness.telephony.variableReads).toEqual([]);
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([]);
  });
});
