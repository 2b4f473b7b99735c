import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness } from '../../helpers/core.js';
import { connectedCall } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

describe('the periodic self-check', () => {
  it('given op001 left busy on a call nobody has, then the first check only notices, the second frees op001, and the repair is counted', async () => {
    h = coreHarness({ queue: true, wrapupMs: 10_000 });
    h.parts.board.apply('op001', 'login');
    h.parts.board.apply('op001', 'offer', { callId: 'c-stale' });
    h.parts.board.apply('op001', 'answer', { callId: 'c-stale' });
    await h.reconciler.run('check');
    expect(h.parts.board.get('op001')!.state).toBe('busy');
    await h.reconciler.run('check');
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    await h.clock.advance(10_000);
    await waitFor(() => h.parts.board.get('op001')!.state === 'available', 'op001 free after the wrap-up');
    expect(h.reconciler.report()).toMatchObject({ runs: 2, repairs: { 'free-operator': 1, 'resume-wrapup': 1 } });
  });

  it('given a connected call whose operator leg vanished without a word from Asterisk, then two checks later the caller is back in line at the head and op001 is wrapping up', async () => {
    h = coreHarness({ queue: true, wrapupMs: 60_000 });
    const call = await connectedCall(h, 'op001', '0811333');
    // The leg is gone, and its events were lost with the link.
    h.telephony.channels.delete(call.operatorLeg);
    h.telephony.bridges.get(`call-${call.callId}`)!.channels.delete(call.operatorLeg);
    await h.reconciler.run('check');
    expect(h.repo.findById(call.callId)!.state).toBe('connected');
    await h.reconciler.run('check');
    await waitFor(() => h.telephony.bridges.get(`hold-${call.callId}`)?.channels.has(call.callerChannel), 'caller back in the holding bridge');
    expect(h.repo.findById(call.callId)).toMatchObject({ state: 'queued', endedAt: null });
    expect(h.parts.switchboard.queueOrder()[0]).toMatchObject({ callId: call.callId, headOfLine: true });
    expect(h.telephony.bridges.has(`call-${call.callId}`)).toBe(false);
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    expect(h.repo.events(call.callId).map((e) => e.type)).toContain('operator-lost');
  });

  it('given callers being offered and talking normally, then checks change nothing', async () => {
    h = coreHarness({ queue: true });
    const call = await connectedCall(h, 'op001', '0811444');
    h.parts.operators.login('op002');
    const waiting = h.telephony.arrive({ callerNumber: '0811555' });
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(waiting.id), 'greeting'));
    await waitFor(() => h.telephony.originatedTo('PJSIP/op002').length === 1, 'op002 ringing');
    const before = h.telephony.commands.length;
    for (let i = 0; i < 3; i += 1) await h.reconciler.run('check');
    expect(h.telephony.commands.length).toBe(before);
    expect(h.reconciler.report().repairs).toEqual({});
    expect(h.parts.board.get('op001')).toMatchObject({ state: 'busy', callId: call.callId });
    expect(h.parts.board.get('op002')!.state).toBe('offered');
  });
});

describe('a softphone that dies mid-call', () => {
  it('given op001\'s leg ended by Asterisk for lack of audio (cause 44), then the caller is not cut off: back in line at the head, and op002 rings for them', async () => {
    h = coreHarness({ queue: true, wrapupMs: 60_000 });
    const call = await connectedCall(h, 'op001', '0811666');
    h.parts.operators.login('op002');
    h.telephony.channels.delete(call.operatorLeg);
    h.telephony.bridges.get(`call-${call.callId}`)!.channels.delete(call.operatorLeg);
    h.telephony.emit({ type: 'ChannelDestroyed', channelId: call.operatorLeg, cause: 44, causeText: 'Requested channel not available', timestamp: new Date(h.clock.now()).toISOString() });
    const [leg] = await waitFor(() => h.telephony.originatedTo('PJSIP/op002').length > 0 && h.telephony.originatedTo('PJSIP/op002'), 'op002 ringing');
    expect(h.parts.offers.byChannel(leg!)!.callId).toBe(call.callId);
    expect(h.telephony.channels.has(call.callerChannel)).toBe(true);
    expect(h.telephony.bridges.get(`hold-${call.callId}`)?.channels.has(call.callerChannel)).toBe(true);
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    h.telephony.answerOriginated(leg!);
    await waitFor(() => h.repo.findById(call.callId)!.state === 'connected', 'connected again');
    expect(h.repo.findById(call.callId)!.operatorId).toBe('op002');
  });

  it('given op001 hanging up normally (cause 16), then the call ends for the caller too', async () => {
    h = coreHarness({ queue: true });
    const call = await connectedCall(h, 'op001', '0811667');
    h.telephony.legHangsUp(call.operatorLeg);
    await waitFor(() => h.repo.findById(call.callId)!.endedAt !== null, 'call ended');
    expect(h.repo.findById(call.callId)!.endReason).toBe('operator-hangup');
    expect(h.telephony.channels.has(call.callerChannel)).toBe(false);
  });
});
