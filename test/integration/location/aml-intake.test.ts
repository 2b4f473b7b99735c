import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, operatorToken, TEST_ADMIN_TOKEN, TEST_AML_SENDER, TEST_AML_TOKEN, testApp } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';

let harness: ReturnType<typeof coreHarness>;
let app: Awaited<ReturnType<typeof testApp>>;
afterEach(async () => {
  await app?.close();
  harness?.close();
});

const NUMBER = '081298765432';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An AML HTTPS body as a handset posts it (ETSI TS 103 625 fields), for the caller's number. */
function amlBody(now: number, overrides: Record<string, string> = {}): string {
  return new URLSearchParams({
    v: '3', emergency_number: '112', source: 'call', time: String(now), location_time: String(now - 4000),
    location_latitude: '-6.24756', location_longitude: '107.01570', location_accuracy: '12.5', location_source: 'GPS',
    location_confidence: '68', device_number: '+6281298765432', device_model: 'SM-A525F', ...overrides,
  }).toString();
}

const post = (body: string, headers: Record<string, string> = bearer(TEST_AML_TOKEN)) =>
  app.inject({ method: 'POST', url: '/api/aml/https', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: body });

async function start(options: Parameters<typeof coreHarness>[0] = {}) {
  harness = coreHarness({ queue: true, ...options });
  app = await testApp(harness);
  await app.ready();
}

describe('AML over HTTPS', () => {
  it('given a live call from the number, when its AML arrives, then it is attached to that call with accuracy, method, age and kecamatan, and published at once', async () => {
    await start();
    const published: unknown[] = [];
    harness.events.subscribe('location.fix', (event) => published.push(event));
    const channel = harness.telephony.arrive({ callerNumber: NUMBER });
    const call = harness.repo.findByChannelId(channel.id)!;
    const response = await post(amlBody(harness.clock.now()));
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'attached', callId: call.id });
    const { fixes, best } = harness.location.service.locationOf(call.id);
    expect(fixes).toEqual([expect.objectContaining({
      source: 'aml-https', shape: 'circle', latitude: -6.24756, longitude: 107.0157, accuracyM: 12.5, confidencePct: 68, method: 'gnss', kecamatan: 'Bekasi Timur',
    })]);
    expect(best).toMatchObject({ rule: 'most-accurate-recent', ageMs: 4000 });
    expect(published).toEqual([expect.objectContaining({ callId: call.id, fix: expect.objectContaining({ id: fixes[0]!.id }) })]);
  });

  it('given an AML 30 s before its call, then it is held and attached when the call arrives', async () => {
    await start();
    const response = await post(amlBody(harness.clock.now()));
    expect(response.json()).toEqual({ status: 'held' });
    await harness.clock.advance(30_000);
    const channel = harness.telephony.arrive({ callerNumber: '+62 812-9876-5432' });
    const call = harness.repo.findByChannelId(channel.id)!;
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([expect.objectContaining({ source: 'aml-https', latitude: -6.24756 })]);
  });

  it('given an AML older than the window before the call, then the call does not take it', async () => {
    await start();
    await post(amlBody(harness.clock.now()));
    await harness.clock.advance(61_000);
    const channel = harness.telephony.arrive({ callerNumber: NUMBER });
    expect(harness.location.service.locationOf(harness.repo.findByChannelId(channel.id)!.id).fixes).toEqual([]);
  });

  it('given a call that ended 5 minutes ago, then a late AML still lands on it; 11 minutes after, it is held', async () => {
    await start();
    const channel = harness.telephony.arrive({ callerNumber: NUMBER });
    const call = harness.repo.findByChannelId(channel.id)!;
    harness.telephony.callerHangsUp(channel.id);
    await waitFor(() => harness.repo.findById(call.id)?.endedAt, 'the end');
    await harness.clock.advance(300_000);
    expect((await post(amlBody(harness.clock.now()))).json()).toMatchObject({ status: 'attached', callId: call.id });
    await harness.clock.advance(360_000);
    expect((await post(amlBody(harness.clock.now()))).json()).toEqual({ status: 'held' });
  });

  it('given a call recorded before calls had a normalised number (an upgrade), then after a restart its AML still finds it', async () => {
    await start();
    const callId = '3b0a3a52-1f7e-4a51-9a55-3e7b0c1b2a99';
    harness.repo.create({ id: callId, channelId: 'old-channel', callerNumber: NUMBER, dialledNumber: '112', state: 'ivr', arrivedAt: harness.clock.now() }, { type: 'arrived', at: harness.clock.now() });
    expect(harness.repo.findById(callId)!.callerNumberKey).toBe('');
    await app.close();
    harness.crashAndRestart();
    app = await testApp(harness);
    await app.ready();
    expect(harness.repo.findById(callId)!.callerNumberKey).toBe('+6281298765432');
    expect((await post(amlBody(harness.clock.now()))).json()).toMatchObject({ status: 'attached', callId });
  });

  it('given no token, an operator\'s token or another sender\'s wrong HMAC, then 401/403 and nothing is stored', async () => {
    await start({ amlHmacKeys: { [TEST_AML_SENDER]: 'hmac-key-of-the-gateway' } });
    const body = amlBody(harness.clock.now());
    expect((await post(body, {})).statusCode).toBe(401);
    expect((await post(body, bearer(operatorToken('op001')))).statusCode).toBe(403);
    const unsigned = await post(body);
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json()).toMatchObject({ error: 'hmac-missing' });
    const forged = await post(`${body}&hmac=${'0'.repeat(40)}`);
    expect(forged.json()).toMatchObject({ error: 'hmac-invalid' });
    const signed = `${body}&hmac=${createHmac('sha1', 'hmac-key-of-the-gateway').update(body).digest('hex')}`;
    expect((await post(signed)).statusCode).toBe(202);
    const rejected = await app.inject({ method: 'GET', url: '/api/admin/location/rejections', headers: bearer(TEST_ADMIN_TOKEN) });
    expect(rejected.json()).toMatchObject({ total: 2, items: [{ intake: 'aml-https', sender: TEST_AML_SENDER, reason: 'hmac= does not match the message' }, { reason: expect.stringContaining('no hmac=') }] });
  });

  it('given malformed messages, then each gets a precise 400, lands in the rejected-intake log, and no fix or held message is written', async () => {
    await start();
    const channel = harness.telephony.arrive({ callerNumber: NUMBER });
    const call = harness.repo.findByChannelId(channel.id)!;
    const cases: Array<[string, RegExp]> = [
      [amlBody(harness.clock.now(), { location_latitude: '91' }), /location_latitude/],
      [amlBody(harness.clock.now(), { location_latitude: '-6,2' }), /comma/],
      [amlBody(harness.clock.now(), { device_number: '' }), /device_number/],
      ['not a form at all', /./],
    ];
    for (const [body, reason] of cases) {
      const response = await post(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().message).toMatch(reason);
    }
    expect(harness.location.repo.rejections(10, 0).total).toBe(cases.length);
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([]);
    expect(harness.location.repo.pendingFor('+6281298765432', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('given a body over 16 KiB, the wrong content type or an SMS without its sender, then 413, 415 or 400, each in the rejected-intake log', async () => {
    await start();
    expect((await post(`${amlBody(harness.clock.now())}&pad=${'x'.repeat(17_000)}`)).statusCode).toBe(413);
    const json = await app.inject({ method: 'POST', url: '/api/aml/https', headers: { ...bearer(TEST_AML_TOKEN), 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    const text = await app.inject({ method: 'POST', url: '/api/aml/https', headers: { ...bearer(TEST_AML_TOKEN), 'content-type': 'text/plain' }, payload: amlBody(harness.clock.now()) });
    expect(text.statusCode).toBe(415);
    const noSender = await app.inject({ method: 'POST', url: '/api/aml/sms', headers: bearer(TEST_AML_TOKEN), payload: { text: 'A"ML=1;lt=-6.3' } });
    expect(noSender.statusCode).toBe(400);
    const rejected = harness.location.repo.rejections(10, 0).items.map((r) => [r.intake, r.sender]);
    expect(rejected).toEqual([['aml-sms', TEST_AML_SENDER], ['aml-https', TEST_AML_SENDER], ['aml-https', TEST_AML_SENDER], ['aml-https', TEST_AML_SENDER]]);
  });

  it('given a sender over its rate, then 429 for it while another sender still gets through', async () => {
    await start({ amlRatePerMinute: 3 });
    const body = amlBody(harness.clock.now());
    for (let i = 0; i < 3; i += 1) expect((await post(body)).statusCode).toBe(202);
    expect((await post(body)).statusCode).toBe(429);
    expect((await post(body, bearer('other-gateway-token-1'))).statusCode).toBe(202);
  });
});

describe('AML over SMS', () => {
  it('given v2 and v1 texts forwarded by the gateway, then both land on the caller\'s live call', async () => {
    await start();
    const channel = harness.telephony.arrive({ callerNumber: NUMBER });
    const call = harness.repo.findByChannelId(channel.id)!;
    const et = Math.floor(harness.clock.now() / 1000);
    const v2 = `A"ML=2;en=112;et=${et};lo=-6.30500,107.03000,25;lt=5;lc=68;lz=40,10;ls=W;ei=356708041746734;nc=51010;hc=51010;lg=id`;
    const sms = (text: string) => app.inject({ method: 'POST', url: '/api/aml/sms', headers: bearer(TEST_AML_TOKEN), payload: { from: NUMBER, text } });
    const first = await sms(v2);
    expect(first.statusCode, first.body).toBe(202);
    const stamp = new Date(harness.clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const v1Body = `A"ML=1;lt=-6.34800;lg=106.99900;rd=50;top=${stamp};lc=68;pm=G;si=510101234567890;ei=356708041746734;mcc=510;mnc=10;ml=`;
    const v1 = `${v1Body}${[...v1Body].length + 3}`;
    const second = await sms(v1);
    expect(second.statusCode, second.body).toBe(202);
    expect(harness.location.service.locationOf(call.id).fixes).toEqual([
      expect.objectContaining({ source: 'aml-sms', method: 'wifi', latitude: -6.305, accuracyM: 25, altitudeM: 40, verticalAccuracyM: 10 }),
      expect.objectContaining({ source: 'aml-sms', method: 'gnss', latitude: -6.348, accuracyM: 50, kecamatan: 'Bantargebang' }),
    ]);
  });

  it('given a text with the wrong declared length, then 400 names both lengths', async () => {
    await start();
    const response = await app.inject({ method: 'POST', url: '/api/aml/sms', headers: bearer(TEST_AML_TOKEN), payload: { from: NUMBER, text: 'A"ML=1;lt=-6.3;lg=106.9;rd=50;top=20261202060000;lc=68;pm=G;ml=999' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/999/);
  });
});
