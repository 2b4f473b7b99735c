import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallJson, CallLocationJson, RejectionListJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { liveEventSchemas } from '../../src/live/live-events.js';
import { openEventStream, type StreamEvent } from './event-stream.js';
import { e2eEnabled, pressKey, type Service, sipp, sippCounts, startService, stopAll, stopService, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';
import { callerWithPidf, CIRCLE, CIVIC, pidf, POINT } from './pidf.js';


let locationServer: Server;
let locationHost = '';
beforeAll(async () => {
  locationServer = createServer((request, response) => {
    if (request.url !== '/held/caller-42') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/pidf+xml' });
    response.end(pidf(POINT, 'Cell'));
  });
  await new Promise<void>((resolve) => locationServer.listen(0, '127.0.0.1', resolve));
  locationHost = `127.0.0.1:${(locationServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => locationServer.close(() => resolve()));
});

describe.runIf(e2eEnabled)('caller location on the lab Asterisk', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  const location = async (callId: string) => (await service.api<CallLocationJson>(`/api/calls/${callId}/location`)).body;
  const callOf = (number: string) => waitFor(() => desk.callOf(number), `the call from ${number}`, 10_000) as Promise<CallJson>;
  afterEach(async () => {
    await desk.reset();
    await stopService(service);
  });
  afterAll(stopAll);

  it('given an INVITE with Geolocation and a multipart PIDF-LO circle, then the call has a GNSS fix with its accuracy and kecamatan', async () => {
    service = await startService();
    const c = callerWithPidf(pidf(CIRCLE));
    const call = await callOf(c.number);
    const { fixes, best } = await waitFor(async () => { const l = await location(call.id); return l.fixes.length > 0 && l; }, 'the SIP fix', 10_000);
    expect(fixes).toEqual([expect.objectContaining({ source: 'sip-pidf', shape: 'circle', latitude: -6.2383, longitude: 106.9756, accuracyM: 35, method: 'gnss', kecamatan: expect.any(String) })]);
    expect(fixes[0]!.kecamatan).not.toBe('outside Kota Bekasi');
    expect(best).toMatchObject({ rule: 'most-accurate-recent' });
    // The call's own record carries it too.
    expect((await desk.detail(call.id)).location).toMatchObject({ fixes: [{ id: fixes[0]!.id }], best: { fix: { id: fixes[0]!.id } } });
    expect(sippCounts((await c.run.done).output)).toMatchObject({ successful: 1, failed: 0 });
  });

  it('given a point, and a civic address only, then each is a fix of its own call', async () => {
    service = await startService();
    const point = callerWithPidf(pidf(POINT, 'Cell'));
    const civic = callerWithPidf(pidf(CIVIC, 'Manual'));
    const pointCall = await callOf(point.number);
    const civicCall = await callOf(civic.number);
    const pointFix = await waitFor(async () => (await location(pointCall.id)).fixes[0], 'the point fix', 10_000);
    expect(pointFix).toMatchObject({ shape: 'point', latitude: -6.348, longitude: 106.999, method: 'cell', kecamatan: 'Bantargebang' });
    const civicFix = await waitFor(async () => (await location(civicCall.id)).fixes[0], 'the civic fix', 10_000);
    expect(civicFix).toMatchObject({ shape: 'civic', latitude: null, method: 'manual', civic: expect.objectContaining({ A3: 'Rawalumbu', RD: 'Jl. Narogong', HNO: '17' }) });
    await Promise.all([point.run.done, civic.run.done]);
  });

  it('given a location by reference to the location server on loopback, then siaga112 fetches it and the fix is on the call', async () => {
    service = await startService({ SIAGA112_PIDF_REF_HOSTS: locationHost });
    const number = uniqueCaller();
    const run = sipp({ number: '112', caller: number, holdMs: 3000, scenario: 'caller-location-ref.xml', extraArgs: ['-set', 'geolocation', `http://${locationHost}/held/caller-42`] });
    const call = await callOf(number);
    const fix = await waitFor(async () => (await location(call.id)).fixes[0], 'the referenced fix', 10_000);
    expect(fix).toMatchObject({ source: 'sip-pidf-ref', shape: 'point', latitude: -6.348, method: 'cell', kecamatan: 'Bantargebang', fixedAt: '2026-12-02T06:00:00.000Z' });
    await run.done;
  });

  it('given a PIDF-LO with numbers that are not numbers, then the call goes on and reaches op001, no fix is stored, and the rejection is recorded', async () => {
    service = await startService();
    await desk.phone('op001');
    await desk.reachable('op001');
    await desk.loginWhenFree('op001');
    const c = callerWithPidf(pidf('<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>not numbers</gml:pos><gs:radius uom="urn:ogc:def:uom:EPSG::9001">35</gs:radius></gs:Circle>'), 8000);
    const call = await callOf(c.number);
    await waitFor(async () => (await desk.callOf(c.number))?.operatorId === 'op001', 'the caller talking to op001', 20_000);
    const rejections = await waitFor(async () => {
      const { body } = await service.admin<RejectionListJson>('GET', '/api/admin/location/rejections');
      return body.items.find((r) => r.callId === call.id);
    }, 'the rejection', 10_000);
    expect(rejections).toMatchObject({ intake: 'sip-pidf', reason: expect.stringMatching(/pos/) });
    expect((await location(call.id)).fixes).toEqual([]);
    expect(sippCounts((await c.run.done).output)).toMatchObject({ successful: 1, failed: 0 });
  });

  it('given op001 talking to a caller, when an AML HTTPS message for the caller\'s number arrives, then it lands on that call, op001\'s stream shows it at once, and op001\'s confirmation makes it the best location', async () => {
    service = await startService();
    await desk.phone('op001');
    await desk.reachable('op001');
    await desk.loginWhenFree('op001');
    const stream = await openEventStream(service.port, 'lab-operator-token-op001');
    try {
      const number = uniqueCaller();
      const run = sipp({ number: '112', caller: number, holdMs: 12_000, ...pressKey('2', 500) });
      const call = await waitFor(async () => { const c = await desk.callOf(number); return c?.operatorId === 'op001' && c; }, 'the caller talking to op001', 20_000);
      const now = Date.now();
      const response = await postAml(service.port, amlForm(number, now));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'attached', callId: call.id });
      const event = await stream.next((e) => fixOf(e)?.callId === call.id, 'the AML fix');
      expect(event.data).toMatchObject({ fix: { source: 'aml-https', latitude: -6.24756, longitude: 107.0157, accuracyM: 12.5, method: 'gnss', kecamatan: 'Bekasi Timur' } });
      const amlFixId = fixOf(event)!.fix.id;
      expect((await location(call.id)).best).toMatchObject({ rule: 'most-accurate-recent', fix: { id: amlFixId } });
      // op001 confirms it with the caller: the confirmation is on op001's stream and is the best location.
      const confirmed = await service.operator<CallLocationJson['fixes'][number]>('op001', 'POST', `/api/calls/${call.id}/location/confirm`, { fixId: amlFixId });
      expect(confirmed.status).toBe(201);
      await stream.next((e) => fixOf(e)?.fix.id === confirmed.body.id, 'the confirmation');
      expect((await location(call.id)).best).toMatchObject({ rule: 'operator-confirmed', fix: { id: confirmed.body.id, source: 'operator', confirmsFixId: amlFixId } });
      await run.done;
    } finally {
      await stream.close();
    }
  });

  it('given an AML message 30 s before the call, then it waits and is attached when the call arrives', async () => {
    service = await startService();
    const number = uniqueCaller();
    const response = await postAml(service.port, amlForm(number, Date.now()));
    expect(await response.json()).toEqual({ status: 'held' });
    // The scenario is the passing of time itself: the handset's message comes 30 s before its call.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const run = sipp({ number: '112', caller: number, holdMs: 2000 });
    const call = await callOf(number);
    const { fixes } = await location(call.id);
    expect(fixes).toEqual([expect.objectContaining({ source: 'aml-https', latitude: -6.24756, kecamatan: 'Bekasi Timur' })]);
    await run.done;
  }, 60_000);
});

/** A `location.fix` event's data, checked with the stream's own schema (undefined for other events). */
function fixOf(event: StreamEvent) {
  return event.event === 'location.fix' ? liveEventSchemas['location.fix'].parse(event.data) : undefined;
}

/** An AML HTTPS body as a handset posts it (ETSI TS 103 625), for a caller's number. */
function amlForm(number: string, now: number): string {
  return new URLSearchParams({
    v: '3', emergency_number: '112', source: 'call', time: String(now), location_time: String(now - 3000),
    location_latitude: '-6.24756', location_longitude: '107.01570', location_accuracy: '12.5', location_source: 'GPS', location_confidence: '68',
    device_number: `+62${number.slice(1)}`, device_model: 'SM-A525F',
  }).toString();
}

/** The lab AML gateway delivering a message. */
function postAml(port: number, body: string) {
  return fetch(`http://127.0.0.1:${port}/api/aml/https`, {
    method: 'POST', body, headers: { authorization: 'Bearer lab-aml-token-change-me', 'content-type': 'application/x-www-form-urlencoded' },
  });
}
