import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, type HarnessOptions, operatorToken, testApp } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ringingAt } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const asOp = (id: string) => ({ authorization: `Bearer ${operatorToken(id)}` });
const WRAPUP_MS = 10_000;

/** A caller who waits 20 s in the queue (nobody logged in) and hangs up; resolves with the call id. */
async function abandonedCall(callerNumber: string) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  await waitFor(() => h.repo.findById(callId)!.state === 'queued', 'queued');
  await h.clock.advance(20_000);
  h.telephony.callerHangsUp(channel.id);
  await waitFor(() => h.repo.findById(callId)!.state === 'abandoned', 'abandoned');
  return callId;
}

async function start(options: HarnessOptions = {}) {
  h = coreHarness({ queue: true, wrapupMs: WRAPUP_MS, ...options });
  return testApp(h);
}

describe('callbacks', () => {
  it('given a caller who gave up in the queue, then an operator sees them owed a callback; below the minimum wait they are not', async () => {
    const app = await start({ callbackMinWaitMs: 5_000 });
    const callId = await abandonedCall('081234500001');
    const list = await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject([{ callId, number: '081234500001', status: 'open', attempts: 0 }]);
    h.close();
    const again = await start({ callbackMinWaitMs: 60_000 });
    await abandonedCall('081234500002');
    expect((await again.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json()).toEqual([]);
  });

  it('given a callback, when op001 asks for it, then op001 rings first, then the citizen is dialled through the trunk and both talk in one bridge', async () => {
    const app = await start();
    const callId = await abandonedCall('081234500003');
    const [owed] = (await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json();
    h.parts.operators.login('op001');
    const response = await app.inject({ method: 'POST', url: `/api/callbacks/${owed.id}`, headers: asOp('op001') });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'calling', operatorId: 'op001', attempts: 1 });
    const [operatorLeg] = h.telephony.originatedTo('PJSIP/op001');
    h.telephony.answerOriginated(operatorLeg!);
    const [citizenLeg] = await ringingAt(h, 'PJSIP/081234500003@trunk');
    h.telephony.answerOriginated(citizenLeg!);
    await waitFor(() => h.telephony.bridges.get(`callback-${owed.id}`)?.channels.size === 2, 'operator and citizen bridged');
    expect(h.repo.findById(callId)!.state).toBe('callback');
    expect(h.parts.board.get('op001')!.state).toBe('busy');
    expect((await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json()).toEqual([]);
    h.telephony.legHangsUp(citizenLeg!);
    await waitFor(() => h.repo.findById(callId)!.state === 'ended', 'call closed');
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    await h.clock.advance(WRAPUP_MS);
    await waitFor(() => h.parts.board.get('op001')!.state === 'available', 'op001 free after wrap-up');
  });

  it('given a busy citizen, then the callback stays owed with the outcome, and the operator is free again', async () => {
    const app = await start();
    await abandonedCall('081234500004');
    const [owed] = (await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op002') })).json();
    h.parts.operators.login('op002');
    await app.inject({ method: 'POST', url: `/api/callbacks/${owed.id}`, headers: asOp('op002') });
    h.telephony.answerOriginated(h.telephony.originatedTo('PJSIP/op002')[0]!);
    const [citizenLeg] = await ringingAt(h, 'PJSIP/081234500004@trunk');
    h.telephony.failOriginated(citizenLeg!, 17);
    await waitFor(() => h.parts.board.get('op002')!.state === 'wrapup', 'op002 wrapping up');
    await h.clock.advance(WRAPUP_MS);
    await waitFor(() => h.parts.board.get('op002')!.state === 'available', 'op002 free');
    expect((await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op002') })).json()).toMatchObject([{ id: owed.id, status: 'failed', outcome: 'busy', attempts: 1 }]);
  });

  it('given a number owed a callback that calls in again, then the callback is closed as matched to the new call', async () => {
    const app = await start();
    await abandonedCall('081234500005');
    const channel = h.telephony.arrive({ callerNumber: '+6281234500005' });
    const newCallId = h.repo.findByChannelId(channel.id)!.id;
    expect((await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json()).toEqual([]);
    const row = h.database.sqlite.prepare('SELECT status, matched_call_id AS matched FROM callbacks').get();
    expect(row).toEqual({ status: 'matched', matched: newCallId });
  });

  it('given an operator who is not available, or an unknown callback, then the request is refused and nothing rings', async () => {
    const app = await start();
    await abandonedCall('081234500006');
    const [owed] = (await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json();
    const offline = await app.inject({ method: 'POST', url: `/api/callbacks/${owed.id}`, headers: asOp('op001') });
    expect(offline.statusCode).toBe(409);
    expect(offline.json().error).toBe('operator-not-available');
    const unknown = await app.inject({ method: 'POST', url: '/api/callbacks/6f1c2b9e-0000-4000-8000-000000000001', headers: asOp('op001') });
    expect(unknown.statusCode).toBe(404);
    expect(h.telephony.commands.filter((c) => c.op === 'originate')).toEqual([]);
  });
});

describe('callbacks and forced states', () => {
  it('given op001\'s phone ringing for a callback, when a supervisor forces op001 to pause, then the ring stops and the callback is owed again; answering late leaves nobody on a dead line', async () => {
    const app = await start({ callbackMinWaitMs: 5_000 });
    const callId = await abandonedCall('081234500009');
    const owed = (await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json<Array<{ id: string; callId: string }>>().find((c) => c.callId === callId)!;
    h.parts.operators.login('op001');
    expect((await app.inject({ method: 'POST', url: `/api/callbacks/${owed.id}`, headers: asOp('op001') })).statusCode).toBe(202);
    const [leg] = await ringingAt(h, 'PJSIP/op001');
    h.parts.operators.force('op001', 'paused', 'supervisor', 'needed at the briefing');
    expect(h.telephony.ringing.has(leg!)).toBe(false);
    const row = (await app.inject({ method: 'GET', url: '/api/callbacks', headers: asOp('op001') })).json<Array<{ id: string; status: string; outcome: string }>>().find((c) => c.id === owed.id);
    expect(row).toMatchObject({ status: 'open', outcome: 'operator-left' });
    expect(h.parts.board.get('op001')!.state).toBe('paused');
    await app.close();
  });
});
