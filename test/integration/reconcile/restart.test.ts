import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FallbackImporter } from '../../../src/calls/fallback-import.js';
import { coreHarness } from '../../helpers/core.js';
import { connectedCall, ringingAt } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

/** A caller who heard the greeting and waits in their holding bridge. */
async function waitingCaller(callerNumber: string) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  await waitFor(() => h.telephony.bridges.get(`hold-${callId}`)?.channels.has(channel.id), 'in the holding bridge');
  return { callId, channelId: channel.id };
}

/** Asterisk's CDR line for a caller's channel that ended at `endMs`. */
const cdrLine = (uniqueid: string, endMs: number) => `${JSON.stringify({
  uniqueid, start: endMs / 1000 - 30, answer: endMs / 1000 - 29, end: endMs / 1000, src: '0811', dcontext: 'emergency', disposition: 'ANSWERED',
})}\n`;

describe('reconciliation after siaga112 was killed', () => {
  it('given op001 talking and a caller waiting, when both callers hang up while siaga112 is down, then after the restart op001 is free, nothing of ours is left in Asterisk and both calls end when they really ended', async () => {
    h = coreHarness({ queue: true, wrapupMs: 10_000 });
    const talking = await connectedCall(h, 'op001', '0811000001');
    const waiting = await waitingCaller('0811000002');
    // The true ends, as Asterisk's CDR has them: not the moment siaga112 found out.
    const endedAt = h.repo.findById(waiting.callId)!.enqueuedAt! + 200;
    h.crashAndRestart(() => {
      // The callers hang up; op001's phone stays up in the call's bridge, talking to nobody.
      h.telephony.callerHangsUp(talking.callerChannel);
      h.telephony.callerHangsUp(waiting.channelId);
    });
    const cdrPath = join(mkdtempSync(join(tmpdir(), 'siaga112-cdr-')), 'siaga112.jsonl');
    writeFileSync(cdrPath, cdrLine(talking.callerChannel, endedAt) + cdrLine(waiting.channelId, endedAt + 500));
    // As main.ts does: the CDR import runs before the first reconciliation.
    await new FallbackImporter(cdrPath, h.database.db, h.repo, h.log, h.events).importNew();
    await h.reconciler.run('full');

    expect(h.telephony.channels.has(talking.operatorLeg)).toBe(false);
    expect([...h.telephony.bridges.keys()]).toEqual([]);
    expect(h.repo.findById(talking.callId)).toMatchObject({ state: 'wrapup', endReason: 'ended-while-down', endedAt });
    expect(h.repo.findById(waiting.callId)).toMatchObject({ state: 'abandoned', endReason: 'ended-while-down', endedAt: endedAt + 500 });
    expect(h.repo.findById(waiting.callId)!.queueWaitMs).toBe(endedAt + 500 - h.repo.findById(waiting.callId)!.enqueuedAt!);
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    await h.clock.advance(10_000);
    await waitFor(() => h.parts.board.get('op001')!.state === 'available', 'op001 free after the wrap-up');
    expect(h.repo.findById(talking.callId)!.state).toBe('ended');

    // The next caller rings op001 at once.
    await waitingCaller('0811000003');
    await ringingAt(h, 'PJSIP/op001');
  });

  it('given a call whose operator\'s phone died while siaga112 was down, then the caller goes back in line ahead of a fire call already waiting, and op001 can log out', async () => {
    h = coreHarness({ queue: true, wrapupMs: 60_000 });
    const lost = await connectedCall(h, 'op001', '0811000011');
    const fire = await waitingCaller('0811000010');
    h.repo.change(fire.callId, { priority: 90 }, { type: 'test-priority', at: h.clock.now() });
    h.crashAndRestart(() => h.telephony.legHangsUp(lost.operatorLeg));
    await h.reconciler.run('full');
    expect(h.repo.findById(lost.callId)).toMatchObject({ state: 'queued', endedAt: null });
    expect(h.telephony.bridges.get(`hold-${lost.callId}`)?.channels.has(lost.callerChannel)).toBe(true);
    expect(h.telephony.bridges.has(`call-${lost.callId}`)).toBe(false);
    expect(h.parts.switchboard.queueOrder().map((c) => c.callId)).toEqual([lost.callId, fire.callId]);
    expect(h.parts.board.get('op001')!.state).toBe('wrapup');
    h.parts.operators.logout('op001');
    h.parts.operators.login('op002');
    const [leg] = await ringingAt(h, 'PJSIP/op002');
    expect(h.parts.offers.byChannel(leg!)!.callId).toBe(lost.callId);
  });

  it('given a connected call whose caller and operator are both still there, then it is re-attached: op001 stays busy and the caller hanging up later ends it', async () => {
    h = coreHarness({ queue: true, wrapupMs: 10_000 });
    const call = await connectedCall(h, 'op001', '0811000020');
    h.crashAndRestart();
    await h.reconciler.run('full');
    await waitFor(() => h.parts.connected.get(call.callId), 're-attached');
    expect(h.parts.board.get('op001')!.state).toBe('busy');
    expect(h.telephony.bridges.get(`call-${call.callId}`)?.channels.size).toBe(2);
    h.telephony.callerHangsUp(call.callerChannel);
    await waitFor(() => h.repo.findById(call.callId)!.state === 'wrapup', 'call in wrap-up');
    await h.clock.advance(10_000);
    await waitFor(() => h.repo.findById(call.callId)!.state === 'ended', 'call ended after the wrap-up');
    expect(h.repo.findById(call.callId)!.endReason).toBe('caller-hangup');
    expect(h.telephony.channels.has(call.operatorLeg)).toBe(false);
  });
});

describe('callers the guardian moved to the fallback', () => {
  it('given a caller in the IVR that the guardian continued while siaga112 was frozen, when its StasisEnd arrives, then the call is a hand-over with reason guardian, not a hang-up', async () => {
    h = coreHarness({ queue: true });
    const channel = h.telephony.arrive({ callerNumber: '0811000030' });
    await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting');
    h.telephony.variables.set(`${channel.id}/SIAGA112_HANDOVER`, 'guardian');
    h.telephony.continueInDialplanAlive(channel.id);
    h.telephony.emit({ type: 'StasisEnd', channelId: channel.id, timestamp: new Date(h.clock.now()).toISOString() });
    await waitFor(() => h.repo.findByChannelId(channel.id)!.state === 'fallback', 'recorded as fallback');
    expect(h.repo.findByChannelId(channel.id)).toMatchObject({ endReason: 'fallback', fallbackReason: 'guardian' });
    expect(h.service.liveCalls).toBe(0);
  });

  it('given a waiting caller the guardian continued while siaga112 was down, then after the restart the call is recorded as handed over by the guardian and nobody is offered it', async () => {
    h = coreHarness({ queue: true });
    const waiting = await waitingCaller('0811000031');
    h.crashAndRestart(() => {
      h.telephony.variables.set(`${waiting.channelId}/SIAGA112_HANDOVER`, 'guardian');
      h.telephony.continueInDialplanAlive(waiting.channelId);
    });
    h.parts.operators.login('op001');
    await h.reconciler.run('full');
    expect(h.repo.findById(waiting.callId)).toMatchObject({ state: 'fallback', fallbackReason: 'guardian' });
    expect(h.telephony.bridges.has(`hold-${waiting.callId}`)).toBe(false);
    expect(h.telephony.originatedTo('PJSIP/op001')).toEqual([]);
  });
});

describe('conversations that go on across a restart', () => {
  it('given a caller handed over to Damkar (the operator left), when siaga112 restarts, then the caller stays with the agency, and the agency hanging up ends the call', async () => {
    h = coreHarness({ queue: true });
    const call = await connectedCall(h, 'op001', '0811000040');
    await h.parts.transfers.transfer('op001', 'damkar', false);
    const agencyLeg = h.telephony.originatedTo('PJSIP/113@trunk')[0]!;
    h.telephony.answerOriginated(agencyLeg);
    await waitFor(() => !h.telephony.channels.has(call.operatorLeg), 'operator left');
    h.crashAndRestart();
    await h.reconciler.run('full');
    await waitFor(() => h.parts.connected.get(call.callId), 're-attached to the agency');
    expect(h.telephony.channels.has(agencyLeg)).toBe(true);
    expect(h.telephony.bridges.get(`call-${call.callId}`)?.channels).toEqual(new Set([call.callerChannel, agencyLeg]));
    expect(h.repo.findById(call.callId)!.state).toBe('connected');
    h.telephony.legHangsUp(agencyLeg);
    await waitFor(() => h.repo.findById(call.callId)!.endedAt !== null, 'call ended');
    expect(h.telephony.channels.has(call.callerChannel)).toBe(false);
  });

  it('given a caller who lost op001 and was answered by op002, when siaga112 restarts, then the call is re-attached to op002, not to op001\'s dead leg', async () => {
    h = coreHarness({ queue: true, wrapupMs: 60_000 });
    const call = await connectedCall(h, 'op001', '0811000041');
    h.parts.operators.login('op002');
    h.telephony.channels.delete(call.operatorLeg);
    h.telephony.emit({ type: 'ChannelDestroyed', channelId: call.operatorLeg, cause: 44, causeText: 'Requested channel not available', timestamp: new Date(h.clock.now()).toISOString() });
    const [leg] = await ringingAt(h, 'PJSIP/op002');
    h.telephony.answerOriginated(leg!);
    await waitFor(() => h.telephony.bridges.get(`call-${call.callId}`)?.channels.size === 2, 'bridged with op002');
    h.crashAndRestart();
    await h.reconciler.run('full');
    await waitFor(() => h.parts.connected.get(call.callId), 're-attached');
    expect(h.parts.connected.get(call.callId)).toMatchObject({ operatorId: 'op002', operatorChannelId: leg });
    expect(h.parts.board.get('op002')!.state).toBe('busy');
    expect(h.telephony.channels.has(leg!)).toBe(true);
  });
});
