import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.js';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_API_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';

let harness: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  harness?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const CIRCLE = {
  'GEOLOC_PROFILE(format)': 'GML', GEOLOCPROFILESTATUS: '0',
  'GEOLOC_PROFILE(location_info)': 'shape="Circle",crs="2d",pos="-6.2383 106.9756",radius="900"', 'GEOLOC_PROFILE(method)': 'Cell',
};

/** A call op001 is talking to (as the switchboard leaves it), with a cell fix from SIP. */
async function callOfOp001() {
  harness = coreHarness();
  app = await testApp(harness);
  await app.ready();
  const channel = harness.telephony.arrive({ callerNumber: '081255500011' }, ['dialled=112'], CIRCLE);
  const call = harness.repo.findByChannelId(channel.id)!;
  harness.repo.change(call.id, { state: 'connected', operatorId: 'op001', connectedAt: harness.clock.now() }, { type: 'connected', at: harness.clock.now() });
  await waitFor(() => harness.location.service.locationOf(call.id).fixes.length === 1, 'the SIP fix');
  return call;
}

describe('the operator and the caller\'s location', () => {
  it('given op001\'s call, then op001 reads its fixes and best location, op002 is refused, and supervisors and the API read it too', async () => {
    const call = await callOfOp001();
    const mine = await app.inject({ method: 'GET', url: `/api/calls/${call.id}/location`, headers: bearer(operatorToken('op001')) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ fixes: [{ source: 'sip-pidf', accuracyM: 900, method: 'cell' }], best: { rule: 'most-accurate-recent' } });
    expect((await app.inject({ method: 'GET', url: `/api/calls/${call.id}/location`, headers: bearer(operatorToken('op002')) })).statusCode).toBe(403);
    for (const token of [TEST_SUPERVISOR_TOKEN, TEST_API_TOKEN]) {
      expect((await app.inject({ method: 'GET', url: `/api/calls/${call.id}/location`, headers: bearer(token) })).statusCode).toBe(200);
    }
  });

  it('given op001\'s call with a fix, then the call itself (GET /api/calls/:id) carries its fixes and best location, for op001 and supervisors', async () => {
    const call = await callOfOp001();
    for (const token of [operatorToken('op001'), TEST_SUPERVISOR_TOKEN]) {
      const detail = await app.inject({ method: 'GET', url: `/api/calls/${call.id}`, headers: bearer(token) });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({ id: call.id, location: { fixes: [{ source: 'sip-pidf', accuracyM: 900 }], best: { rule: 'most-accurate-recent', fix: { source: 'sip-pidf' } } } });
    }
    expect((await app.inject({ method: 'GET', url: `/api/calls/${call.id}`, headers: bearer(operatorToken('op002')) })).statusCode).toBe(403);
  });

  it('given op001 confirms the SIP fix, then it becomes the best location, with who and when on the call\'s trail; the original fix is unchanged', async () => {
    const call = await callOfOp001();
    const sipFix = harness.location.service.locationOf(call.id).fixes[0]!;
    const confirmed = await app.inject({ method: 'POST', url: `/api/calls/${call.id}/location/confirm`, headers: bearer(operatorToken('op001')), payload: { fixId: sipFix.id } });
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json()).toMatchObject({ source: 'operator', confirmsFixId: sipFix.id, enteredBy: 'operator:op001', latitude: sipFix.latitude, accuracyM: 900 });
    const { fixes, best } = harness.location.service.locationOf(call.id);
    expect(fixes).toHaveLength(2);
    expect(fixes[0]).toEqual(sipFix);
    expect(best).toMatchObject({ rule: 'operator-confirmed', fix: { id: confirmed.json().id } });
    expect(harness.repo.events(call.id).at(-1)).toMatchObject({ type: 'location-confirmed', at: harness.clock.now() });
    expect(JSON.parse(harness.repo.events(call.id).at(-1)!.detail!)).toMatchObject({ confirms: sipFix.id, by: 'operator:op001' });
  });

  it('given op001 corrects the location with what the caller says, then the correction wins over an earlier confirmation', async () => {
    const call = await callOfOp001();
    const sipFix = harness.location.service.locationOf(call.id).fixes[0]!;
    await app.inject({ method: 'POST', url: `/api/calls/${call.id}/location/confirm`, headers: bearer(operatorToken('op001')), payload: { fixId: sipFix.id } });
    await harness.clock.advance(20_000);
    const entered = await app.inject({
      method: 'POST', url: `/api/calls/${call.id}/location`, headers: bearer(operatorToken('op001')),
      payload: { latitude: -6.348, longitude: 106.999, accuracyM: 50, civic: { text: 'depan TPST Bantargebang' } },
    });
    expect(entered.statusCode).toBe(201);
    expect(entered.json()).toMatchObject({ source: 'operator', method: 'manual', shape: 'circle', kecamatan: 'Bantargebang', confirmsFixId: null });
    expect(harness.location.service.locationOf(call.id).best).toMatchObject({ rule: 'operator-confirmed', fix: { id: entered.json().id } });
  });

  it('given bad entries, then 400 names the rule and nothing is written', async () => {
    const call = await callOfOp001();
    const bad = [{ latitude: -6.3 }, { latitude: 95, longitude: 107 }, {}, { civic: { unknownField: 'x' } }, { latitude: '-6.3', longitude: 107 }];
    for (const payload of bad) {
      const response = await app.inject({ method: 'POST', url: `/api/calls/${call.id}/location`, headers: bearer(operatorToken('op001')), payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const unknownFix = await app.inject({ method: 'POST', url: `/api/calls/${call.id}/location/confirm`, headers: bearer(operatorToken('op001')), payload: { fixId: '7f0c6c36-7d0e-4f57-9a55-3e7b0c1b2a11' } });
    expect(unknownFix.statusCode).toBe(404);
    expect(harness.location.service.locationOf(call.id).fixes).toHaveLength(1);
  });

  it('given a fix, then only an admin reads what it arrived as', async () => {
    const call = await callOfOp001();
    const fix = harness.location.service.locationOf(call.id).fixes[0]!;
    const raw = await app.inject({ method: 'GET', url: `/api/admin/location/fixes/${fix.id}/raw`, headers: bearer(TEST_ADMIN_TOKEN) });
    expect(raw.json()).toMatchObject({ source: 'sip-pidf', raw: expect.stringContaining('radius=\\"900\\"') });
    expect((await app.inject({ method: 'GET', url: `/api/admin/location/fixes/${fix.id}/raw`, headers: bearer(operatorToken('op001')) })).statusCode).toBe(403);
  });
});
