import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, type HarnessOptions } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ringingAt } from '../../helpers/queue.js';
import { CallRecord } from '../../../src/calls/call-record.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

function start(options: HarnessOptions = {}) {
  h = coreHarness({ queue: true, ...options });
  return h;
}

/** A caller arrives, hears the greeting and is queued; resolves with the call id. */
async function queuedCaller(callerNumber = '0811111', priority?: number) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  if (priority !== undefined) h.repo.change(callId, { priority }, { type: 'test-priority', at: h.clock.now() });
  const playbackId = await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting');
  h.telephony.finishPlayback(playbackId);
  await waitFor(() => h.telephony.bridges.get(`hold-${callId}`)?.channels.has(channel.id), 'caller in the holding bridge');
  return { channelId: channel.id, callId };
}

/** The offer legs originated to an operator so far, or false while there are none. */
const ringsAt = (operatorId: string) => ringingAt(h, `PJSIP/${operatorId}`);
const row = (callId: string) => h.repo.findById(callId)!;
const operator = (id: string) => h.parts.board.get(id)!;

/** Logs operators in one after another, a millisecond apart, so that idle order is the order given. */
async function login(...ids: string[]) {
  for (const id of ids) {
    h.parts.operators.login(id);
    await h.clock.advance(1);
  }
}

describe('switchboard with a fake Asterisk', () => {
  it('given two free operators, when a caller is queued, then the longest idle one rings and answering bridges and records the call', async () => {
    start();
    await login('op002', 'op001');
    const { channelId, callId } = await queuedCaller();
    expect(h.telephony.bridges.get(`hold-${callId}`)).toMatchObject({ type: 'holding', moh: true });
    const [leg] = await ringsAt('op002');
    expect(h.telephony.originatedTo('PJSIP/op001')).toEqual([]);
    expect(h.telephony.ringing.get(leg!)?.callerId).toBe('"OTHER 0811111" <0811111>');
    expect(operator('op002').state).toBe('offered');
    expect(row(callId).state).toBe('offered');

    h.telephony.answerOriginated(leg!);
    await waitFor(() => row(callId).recordingName, 'recording started');
    const bridge = h.telephony.bridges.get(`call-${callId}`)!;
    expect(bridge.type).toBe('mixing');
    expect([...bridge.channels].sort()).toEqual([channelId, leg].sort());
    expect(h.telephony.bridges.has(`hold-${callId}`)).toBe(false);
    expect(row(callId)).toMatchObject({ state: 'connected', operatorId: 'op002', recordingName: `call-${callId}` });
    expect(row(callId).queueWaitMs).toBeGreaterThanOrEqual(0);
    expect(operator('op002')).toMatchObject({ state: 'busy', callId });
    expect(h.parts.offers.forCall(callId).map((o) => [o.target, o.outcome])).toEqual([['op002', 'answered']]);
  });

  it('given an operator who does not answer within the ring timeout, then they are paused (no-answer) and the call rings the other', async () => {
    start({ ringTimeoutMs: 15_000 });
    await login('op001', 'op002');
    const { callId } = await queuedCaller();
    const [first] = await ringsAt('op001');
    await h.clock.advance(14_999);
    expect(h.telephony.originatedTo('PJSIP/op002')).toEqual([]);
    await h.clock.advance(1);
    const [second] = await ringsAt('op002');
    expect(operator('op001')).toMatchObject({ state: 'paused', pauseReason: 'no-answer' });
    expect(h.telephony.ringing.has(first!)).toBe(false);
    expect(h.parts.offers.forCall(callId).map((o) => o.outcome)).toEqual(['no-answer', null]);
    h.telephony.answerOriginated(second!);
    await waitFor(() => row(callId).state === 'connected', 'connected to op002');
  });

  it('given a busy switchboard, when a higher-priority caller arrives later, then they are answered first', async () => {
    start();
    const early = await queuedCaller('0811000001', 1);
    const urgent = await queuedCaller('0811000002', 9);
    await login('op001');
    const [leg] = await ringsAt('op001');
    expect(h.parts.offers.byChannel(leg!)?.callId).toBe(urgent.callId);
    expect(row(early.callId).state).toBe('queued');
    expect(h.parts.feed.state().waiting.map((w) => w.callId)).toEqual([urgent.callId, early.callId]);
  });

  it('given a caller who hangs up while an operator rings, then the ring is cancelled at once and the call is abandoned with its wait', async () => {
    start();
    await login('op001');
    const { channelId, callId } = await queuedCaller();
    const [leg] = await ringsAt('op001');
    h.telephony.callerHangsUp(channelId);
    await waitFor(() => row(callId).endedAt, 'call end');
    expect(row(callId)).toMatchObject({ state: 'abandoned', endReason: 'caller-hangup' });
    expect(row(callId).queueWaitMs).toBeGreaterThanOrEqual(0);
    expect(h.telephony.ringing.has(leg!)).toBe(false);
    expect(h.telephony.commands).toContainEqual({ op: 'hangup', channelId: leg });
    expect(h.parts.offers.byChannel(leg!)?.outcome).toBe('cancelled');
    expect(operator('op001').state).toBe('available');
  });

  it('given an operator who hangs up, then the caller is hung up, the operator wraps up and gets no call until the wrap-up is over', async () => {
    start({ wrapupMs: 10_000 });
    await login('op001');
    const first = await queuedCaller('0811000001');
    const [leg] = await ringsAt('op001');
    h.telephony.answerOriginated(leg!);
    await waitFor(() => row(first.callId).state === 'connected', 'connected');
    h.telephony.legHangsUp(leg!);
    await waitFor(() => row(first.callId).state === 'wrapup', 'call in wrap-up');
    expect(row(first.callId).endReason).toBe('operator-hangup');
    expect(h.telephony.commands).toContainEqual({ op: 'hangup', channelId: first.channelId });
    expect(operator('op001').state).toBe('wrapup');

    h.telephony.callerHangsUp(first.channelId);
    const second = await queuedCaller('0811000002');
    expect(h.telephony.originatedTo('PJSIP/op001')).toHaveLength(1);
    await h.clock.advance(9_999);
    expect(h.telephony.originatedTo('PJSIP/op001')).toHaveLength(1);
    await h.clock.advance(1);
    await waitFor(() => h.telephony.originatedTo('PJSIP/op001').length === 2, 'offer after the wrap-up');
    expect(row(first.callId).state).toBe('ended');
    expect(h.parts.offers.byChannel(h.telephony.originatedTo('PJSIP/op001')[1]!)?.callId).toBe(second.callId);
  });

  it('given op001 unregistered and op002 registered, then the call rings op002 and op001 never', async () => {
    start();
    h.reachable.delete('op001');
    await login('op001', 'op002');
    await queuedCaller();
    await waitFor(() => h.telephony.originatedTo('PJSIP/op002').length === 1, 'offer to op002');
    expect(h.telephony.originatedTo('PJSIP/op001')).toEqual([]);
    expect(h.parts.feed.state().operators).toMatchObject({ available: 1, offered: 1, unreachable: 1 });
  });

  it('given ringall, then every free operator rings and the first to answer wins while the others are released', async () => {
    start({ strategy: 'ringall' });
    await login('op001', 'op002', 'op003');
    const { callId } = await queuedCaller();
    const legs = await waitFor(() => {
      const all = ['op001', 'op002', 'op003'].flatMap((id) => h.telephony.originatedTo(`PJSIP/${id}`));
      return all.length === 3 && all;
    }, 'three offers');
    h.telephony.answerOriginated(legs[1]!);
    await waitFor(() => row(callId).state === 'connected', 'connected');
    expect(row(callId).operatorId).toBe('op002');
    expect(operator('op001').state).toBe('available');
    expect(operator('op003').state).toBe('available');
    expect(h.telephony.ringing.size).toBe(0);
  });

  it('given a failed originate, then the operator is paused and the call goes to the next operator', async () => {
    start();
    await login('op001', 'op002');
    h.telephony.failNext('originate', 500);
    await queuedCaller();
    await waitFor(() => h.telephony.originatedTo('PJSIP/op002').length === 1, 'offer to op002');
    expect(operator('op001')).toMatchObject({ state: 'paused', pauseReason: 'no-answer' });
  });

  it('given operators left ringing and busy by a crash with no live call for them, when siaga112 starts again, then the ring is cancelled, nobody stays stuck, and the waiting caller rings again', async () => {
    start();
    await login('op001', 'op002');
    const { callId } = await queuedCaller();
    const [leg] = await ringsAt('op001');
    h.parts.board.apply('op002', 'offer', { callId });
    h.parts.board.apply('op002', 'answer', { callId });
    h.crashAndRestart();
    await h.reconciler.run('full');
    expect(h.parts.offers.byChannel(leg!)!.outcome).toBe('cancelled');
    expect(h.telephony.ringing.has(leg!)).toBe(false);
    expect(h.parts.board.get('op002')!.state).toBe('wrapup');
    // op001 never answered: free again, and the caller, still waiting, rings them again.
    const again = await waitFor(() => h.telephony.originatedTo('PJSIP/op001').filter((id) => id !== leg).at(0), 'a new ring to op001');
    expect(h.parts.offers.byChannel(again)?.callId).toBe(callId);
    expect(row(callId).state).toBe('offered');
  });

  it('given a call left in wrap-up by a stop and nobody wrapping it up any more, when the switchboard starts again, then the call is closed as ended', async () => {
    start();
    const now = h.clock.now();
    h.repo.create({ id: 'c0ffee00-0000-4000-8000-000000000001', channelId: 'gone-1', callerNumber: '0811', dialledNumber: '112', state: 'wrapup', arrivedAt: now - 9000 }, { type: 'arrived', at: now - 9000 });
    await h.crashAndRestart().reconciler.run('full');
    expect(h.repo.findById('c0ffee00-0000-4000-8000-000000000001')!.state).toBe('ended');
  });
});

describe('switchboard races', () => {
  it('given a fire call still being seated in its holding bridge, when an operator logs in, then the crime call behind it is not answered first', async () => {
    start();
    const crime = await queuedCaller('0811000301', 60);
    h.telephony.bridgeCreateDelayMs = 100;
    const channel = h.telephony.arrive({ callerNumber: '0811000302' });
    const fireId = h.repo.findByChannelId(channel.id)!.id;
    h.repo.change(fireId, { priority: 90 }, { type: 'test-priority', at: h.clock.now() });
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    await waitFor(() => row(fireId).state === 'queued', 'fire call queued');
    await login('op001');
    // The fire call's holding bridge is ready only now.
    await h.clock.advance(100);
    const [leg] = await ringsAt('op001');
    expect(h.parts.offers.byChannel(leg!)?.callId).toBe(fireId);
    expect(row(crime.callId).state).toBe('queued');
  });

  it('given an operator who logs out while their phone rings, then the ring stops and the call rings the next operator', async () => {
    start();
    await login('op001', 'op002');
    const { callId } = await queuedCaller();
    const [first] = await ringsAt('op001');
    h.parts.operators.logout('op001');
    expect(h.telephony.ringing.has(first!)).toBe(false);
    expect(h.parts.offers.byChannel(first!)?.outcome).toBe('cancelled');
    const [second] = await ringsAt('op002');
    expect(h.parts.offers.byChannel(second!)?.callId).toBe(callId);
    expect(operator('op001').state).toBe('offline');
  });
});

describe('a connected call adopted after a restart', () => {
  it('given an agency still in the call bridge, when the caller hangs up, then the agency and the operator are hung up too', async () => {
    start();
    const caller = h.telephony.arrive({ callerNumber: '0811999' });
    const callId = h.repo.findByChannelId(caller.id)!.id;
    h.parts.board.apply('op001', 'login');
    h.parts.board.apply('op001', 'offer', { callId });
    h.parts.board.apply('op001', 'answer', { callId });
    for (const id of ['leg-op', 'leg-agency']) h.telephony.channels.set(id, { ...caller, id, name: `PJSIP/${id}` });
    await h.telephony.createBridge(`call-${callId}`, 'mixing');
    await h.telephony.addToBridge(`call-${callId}`, [caller.id, 'leg-op', 'leg-agency']);
    h.repo.change(callId, { state: 'connected' }, { type: 'test', at: h.clock.now() });
    const record = new CallRecord(callId, 'connected', h.repo, h.clock, h.events);
    await h.parts.connected.adopt({
      callId, channelId: caller.id, callerNumber: '0811999', priority: 0, arrivedAt: h.clock.now(), enqueuedAt: h.clock.now(),
      language: 'id', category: 'other', record, log: h.log, ended: () => undefined, failed: () => undefined,
    }, 'op001', 'leg-op');
    expect(h.parts.connected.byLeg('leg-agency')?.call.callId).toBe(callId);
    h.parts.connected.callerLeft(callId, 'caller-hangup', 'caller-hangup', {});
    const hungUp = h.telephony.commands.filter((c) => c.op === 'hangup').map((c) => c.channelId).sort();
    expect(hungUp).toEqual(['leg-agency', 'leg-op']);
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
  });
});

describe('switchboard and the link to Asterisk', () => {
  it('given a ring lost with an Asterisk restart, when the link comes back, then the ring is cancelled and the operator is not paused', async () => {
    start();
    await login('op002');
    const other = await queuedCaller('0811000222');
    const [stillRinging] = await ringsAt('op002');
    await login('op001');
    const { callId } = await queuedCaller();
    const [leg] = await ringsAt('op001');
    h.telephony.ringing.delete(leg!);
    h.telephony.link({ type: 'disconnected', reason: 'test' });
    h.telephony.link({ type: 'connected', reconnect: true });
    await waitFor(() => h.parts.offers.byChannel(leg!)?.outcome === 'cancelled', 'ring cancelled');
    expect(operator('op001').state).not.toBe('paused');
    expect(h.parts.offers.forCall(callId).length).toBeGreaterThanOrEqual(1);
    // A ring Asterisk still has is left alone.
    expect(h.parts.offers.byChannel(stillRinging!)).toMatchObject({ callId: other.callId, outcome: null });
  });
});
