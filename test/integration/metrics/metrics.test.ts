import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, type HarnessOptions, TEST_AML_SENDER, TEST_AML_TOKEN, TEST_API_TOKEN, TEST_METRICS_TOKEN, testApp } from '../../helpers/core.js';
import { parseExposition } from '../../helpers/prometheus-text.js';
import { ringingAt } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let app: FastifyInstance;
afterEach(async () => {
  await app?.close();
  h?.close();
});

/** 10:00 in Jakarta (03:00 UTC): the whole test falls on one local day. */
const MORNING_IN_JAKARTA = Date.parse('2026-03-10T10:00:00+07:00');

async function start(options: HarnessOptions = {}) {
  h = coreHarness({ queue: true, clockStart: MORNING_IN_JAKARTA, ...options });
  app = await testApp(h);
  await app.ready();
}

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TEST_METRICS_TOKEN}` }, remoteAddress?: string) =>
  app.inject({ method: 'GET', url: '/metrics', headers, ...(remoteAddress ? { remoteAddress } : {}) });

async function samples() {
  const response = await scrape();
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { ...parseExposition(response.body), body: response.body };
}

const row = (callId: string) => h.repo.findById(callId)!;

/** A caller arrives and is seated in the queue after the greeting. */
async function queuedCaller(callerNumber: string) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  await waitFor(() => h.telephony.bridges.get(`hold-${callId}`)?.channels.has(channel.id), 'caller in the holding bridge');
  return { channelId: channel.id, callId };
}

/** The caller is offered to `operatorId`, who answers `afterMs` after the caller arrived. */
async function answeredBy(operatorId: string, callerNumber: string, afterMs: number) {
  const caller = await queuedCaller(callerNumber);
  const [leg] = await ringingAt(h, `PJSIP/${operatorId}`);
  await h.clock.advance(afterMs);
  h.telephony.answerOriginated(leg!);
  await waitFor(() => row(caller.callId).state === 'connected', `${callerNumber} connected`);
  return caller;
}

describe('GET /metrics after calls pass through the switchboard', () => {
  it('given answered, waiting, refused, abandoned, handed-over and greeted callers, then the live gauges and the counters show exactly them, and no call id or number', async () => {
    await start({ maxLiveCalls: 3 });
    for (const id of ['op001', 'op002']) {
      h.parts.operators.login(id);
      await h.clock.advance(1);
    }
    const first = await answeredBy('op001', '0811000001', 3_000);
    await answeredBy('op002', '0811000002', 14_000);
    const waiting = await queuedCaller('0811000003');
    // Three calls live (two connected, one waiting): admission sends the fourth to the fallback.
    const refused = h.telephony.arrive({ callerNumber: '0811000004' });
    await waitFor(() => h.repo.findByChannelId(refused.id)?.fallbackReason === 'admission', 'refused by admission');
    await h.clock.advance(7_000);
    h.telephony.callerHangsUp(first.channelId);
    await waitFor(() => h.parts.board.get('op001')?.state === 'wrapup' && h.service.liveCalls === 2, 'op001 wrapping up, the caller gone');
    const gaveUp = await queuedCaller('0811000005');
    h.telephony.callerHangsUp(gaveUp.channelId);
    await waitFor(() => row(gaveUp.callId).state === 'abandoned' && h.service.liveCalls === 2, 'abandoned, the caller gone');
    // The guardian continued a caller in the greeting while siaga112 was frozen.
    const frozen = h.telephony.arrive({ callerNumber: '0811000006' });
    await waitFor(() => h.telephony.lastPlayback(frozen.id), 'greeting');
    h.telephony.variables.set(`${frozen.id}/SIAGA112_HANDOVER`, 'guardian');
    h.telephony.continueInDialplanAlive(frozen.id);
    h.telephony.emit({ type: 'StasisEnd', channelId: frozen.id, timestamp: new Date(h.clock.now()).toISOString() });
    await waitFor(() => h.repo.findByChannelId(frozen.id)?.fallbackReason === 'guardian' && h.service.liveCalls === 2, 'handed over by the guardian');
    const greeted = h.telephony.arrive({ callerNumber: '0811000007' });
    await waitFor(() => h.telephony.lastPlayback(greeted.id), 'greeting');

    const { samples: got, types, body } = await samples();
    expect(Object.fromEntries([...got].filter(([name]) => name.startsWith('siaga112_') && !name.startsWith('siaga112_ari_')))).toEqual({
      siaga112_queue_calls_waiting: 1,
      siaga112_queue_longest_wait_seconds: (h.clock.now() - row(waiting.callId).arrivedAt) / 1000,
      siaga112_queue_calls_connected: 1,
      siaga112_offers_ringing: 0,
      'siaga112_operators{state="offline"}': 1,
      'siaga112_operators{state="available"}': 0,
      'siaga112_operators{state="offered"}': 0,
      'siaga112_operators{state="busy"}': 1,
      'siaga112_operators{state="wrapup"}': 1,
      'siaga112_operators{state="paused"}': 0,
      siaga112_operators_unreachable: 0,
      'siaga112_calls_live{state="arriving"}': 0,
      'siaga112_calls_live{state="ivr"}': 1,
      'siaga112_calls_live{state="queued"}': 1,
      'siaga112_calls_live{state="offered"}': 0,
      'siaga112_calls_live{state="connected"}': 1,
      siaga112_admission_accepting: 0,
      // Answered 3 s and 14 s after arriving: one of two within 10 s.
      siaga112_calls_answered_today: 2,
      siaga112_calls_answered_in_time_today: 1,
      siaga112_service_level_today_ratio: 0.5,
      siaga112_webhook_outbox_pending: 0,
      siaga112_webhook_outbox_dead: 0,
      siaga112_reconcile_runs_total: 0,
      siaga112_calls_arrived_total: 7,
      'siaga112_calls_ended_total{state="wrapup",end_reason="caller-hangup"}': 1,
      'siaga112_calls_ended_total{state="fallback",end_reason="fallback"}': 2,
      'siaga112_calls_ended_total{state="abandoned",end_reason="caller-hangup"}': 1,
      'siaga112_calls_fallback_total{reason="admission"}': 1,
      'siaga112_calls_fallback_total{reason="draining"}': 0,
      'siaga112_calls_fallback_total{reason="error"}': 0,
      'siaga112_calls_fallback_total{reason="orphaned"}': 0,
      'siaga112_calls_fallback_total{reason="not-running"}': 0,
      'siaga112_calls_fallback_total{reason="guardian"}': 1,
      siaga112_guardian_handovers_total: 1,
      'siaga112_admission_refusals_total{limit="draining"}': 0,
      'siaga112_admission_refusals_total{limit="live-calls"}': 1,
      'siaga112_admission_refusals_total{limit="ari-latency"}': 0,
      'siaga112_offers_total{target="operator",outcome="answered"}': 2,
      'siaga112_offers_total{target="operator",outcome="no-answer"}': 0,
      'siaga112_offers_total{target="operator",outcome="cancelled"}': 0,
      'siaga112_offers_total{target="operator",outcome="failed"}': 0,
      'siaga112_offers_total{target="overflow",outcome="answered"}': 0,
      'siaga112_offers_total{target="overflow",outcome="no-answer"}': 0,
      'siaga112_offers_total{target="overflow",outcome="cancelled"}': 0,
      'siaga112_offers_total{target="overflow",outcome="failed"}': 0,
    });
    expect(got.get('siaga112_queue_longest_wait_seconds')).toBe(7);
    expect(got.get('siaga112_ari_connected')).toBe(1);
    expect(got.get('siaga112_ari_requests_in_flight')).toBe(0);
    expect(types.get('siaga112_calls_ended_total')).toBe('counter');
    expect(types.get('siaga112_queue_calls_waiting')).toBe('gauge');
    // The process's own figures come with every scrape.
    expect(got.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(got.has('nodejs_eventloop_lag_seconds')).toBe(true);
    // Bounded labels: nothing that names a call, a channel or a caller.
    const calls = h.repo.list({ limit: 100, offset: 0 }).items;
    expect(calls).toHaveLength(7);
    for (const call of calls) {
      for (const value of [call.id, call.channelId, call.callerNumber, call.callerNumber.slice(1)]) expect(body, value).not.toContain(value);
    }
  });

  it('given a call answered before midnight in Jakarta, then the next morning\'s service level no longer counts it', async () => {
    await start({ clockStart: Date.parse('2026-03-10T23:59:40+07:00') });
    h.parts.operators.login('op001');
    const caller = await answeredBy('op001', '0811000011', 2_000);
    expect((await samples()).samples.get('siaga112_calls_answered_today')).toBe(1);
    h.telephony.callerHangsUp(caller.channelId);
    await h.clock.advance(30_000);
    const after = (await samples()).samples;
    expect(after.get('siaga112_calls_answered_today')).toBe(0);
    expect(after.get('siaga112_service_level_today_ratio')).toBeNaN();
  });

  it('given AML messages attached, held and malformed, then the intake is counted by sender and outcome', async () => {
    await start();
    const amlForm = (deviceNumber: string) => new URLSearchParams({
      v: '3', emergency_number: '112', source: 'call', time: String(h.clock.now()), location_time: String(h.clock.now() - 4000),
      location_latitude: '-6.24756', location_longitude: '107.01570', location_accuracy: '12.5', location_source: 'GPS', device_number: deviceNumber,
    }).toString();
    const post = (payload: string) => app.inject({
      method: 'POST', url: '/api/aml/https', payload,
      headers: { authorization: `Bearer ${TEST_AML_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    h.telephony.arrive({ callerNumber: '081298765432' });
    expect((await post(amlForm('+6281298765432'))).json()).toMatchObject({ status: 'attached' });
    expect((await post(amlForm('+6281211112222'))).json()).toEqual({ status: 'held' });
    expect((await post('v=3&location_latitude=north')).statusCode).toBe(400);
    const got = (await samples()).samples;
    for (const [outcome, count] of [['attached', 1], ['held', 1], ['rejected', 1]] as const) {
      expect(got.get(`siaga112_aml_intake_total{intake="aml-https",sender="${TEST_AML_SENDER}",outcome="${outcome}"}`), outcome).toBe(count);
    }
  });

  it('given the ARI link lost and back, then the disconnect and the reconnect are counted', async () => {
    await start();
    h.telephony.link({ type: 'disconnected', reason: 'socket closed' });
    h.telephony.link({ type: 'connected', reconnect: true });
    const got = (await samples()).samples;
    expect(got.get('siaga112_ari_disconnects_total')).toBe(1);
    expect(got.get('siaga112_ari_reconnects_total')).toBe(1);
  });
});

describe('who may scrape GET /metrics', () => {
  it('given loopback mode off, then no token is 401 even from 127.0.0.1, the scraper\'s token passes and another principal\'s is 403', async () => {
    await start();
    const none = await scrape({});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await scrape({ authorization: 'Bearer not-a-token' })).statusCode).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TEST_API_TOKEN}` })).statusCode).toBe(403);
    expect((await scrape()).statusCode).toBe(200);
  });

  it('given loopback mode on, then 127.0.0.1 and ::1 need no token, any other address does, and a wrong token is refused wherever it comes from', async () => {
    await start({ metricsLoopback: true });
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await scrape({}, address)).statusCode, address).toBe(200);
    for (const address of ['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7']) {
      expect((await scrape({}, address)).statusCode, address).toBe(401);
      expect((await scrape(undefined, address)).statusCode, `${address} with the token`).toBe(200);
    }
    expect((await scrape({ authorization: 'Bearer not-a-token' }, '127.0.0.1')).statusCode).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TEST_API_TOKEN}` }, '127.0.0.1')).statusCode).toBe(403);
  });
});
