import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ringingAt } from '../../helpers/queue.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

async function queuedCaller(callerNumber: string) {
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  await waitFor(() => h.repo.findById(callId)!.state === 'queued', 'queued');
  return { callId, channelId: channel.id };
}

describe('overflow and position announcements', () => {
  it('given nobody free for longer than the overflow time, then the overflow centre rings too, and answering connects the caller there', async () => {
    h = coreHarness({ queue: true, overflowAfterMs: 200 });
    const { callId, channelId } = await queuedCaller('0811000111');
    const [leg] = await ringingAt(h, 'PJSIP/0219999@trunk', 3000);
    expect(h.repo.events(callId).map((e) => e.type)).toContain('overflow');
    expect(h.repo.findById(callId)!.state).toBe('offered');
    h.telephony.answerOriginated(leg!);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 2, 'bridged with the overflow centre');
    expect(h.repo.findById(callId)).toMatchObject({ state: 'connected', operatorId: 'overflow' });
    expect([...h.telephony.bridges.get(`call-${callId}`)!.channels].sort()).toEqual([channelId, leg].sort());
  });

  it('given an operator who becomes free while the overflow rings, then the operator is offered the call too and the first to answer takes it', async () => {
    h = coreHarness({ queue: true, overflowAfterMs: 200 });
    const { callId } = await queuedCaller('0811000112');
    const [overflowLeg] = await ringingAt(h, 'PJSIP/0219999@trunk', 3000);
    h.parts.operators.login('op001');
    const [operatorLeg] = await ringingAt(h, 'PJSIP/op001');
    h.telephony.answerOriginated(operatorLeg!);
    await waitFor(() => h.repo.findById(callId)!.state === 'connected', 'connected');
    expect(h.repo.findById(callId)!.operatorId).toBe('op001');
    expect(h.telephony.ringing.has(overflowLeg!)).toBe(false);
  });

  it('given two callers waiting, then each hears their own position over their holding bridge, in their language, worded as an estimate', async () => {
    h = coreHarness({ queue: true, announceIntervalMs: 100 });
    const first = await queuedCaller('0811000113');
    h.repo.change(first.callId, { priority: 90 }, { type: 'test', at: Date.now() });
    const second = await queuedCaller('0811000114');
    const played = await waitFor(() => {
      const plays = h.telephony.commands.filter((c) => c.op === 'bridge-play');
      const forFirst = plays.find((c) => 'bridgeId' in c && c.bridgeId === `hold-${first.callId}`);
      const forSecond = plays.find((c) => 'bridgeId' in c && c.bridgeId === `hold-${second.callId}`);
      return forFirst && forSecond && { forFirst, forSecond };
    }, 'announcements to both callers', 3000);
    const media = (c: typeof played.forFirst) => ('media' in c ? c.media : []);
    expect(media(played.forFirst)[0]).toMatch(/^sound:siaga112\/id\/queue-position-1-/);
    expect(media(played.forSecond)[0]).toMatch(/^sound:siaga112\/id\/queue-position-2-/);
    expect(media(played.forSecond).at(-1)).toMatch(/queue-stay-/);
    const note = h.repo.events(second.callId).find((e) => e.type === 'position-announced');
    expect(JSON.parse(note!.detail!)).toMatchObject({ position: 2, phrasing: 'unknown' });
  });
});
