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
  await waitFor(() => h.repo.findById(callId)!.state === 'queued' && h.telephony.bridges.get(`hold-${callId}`)?.moh, 'queued, on hold with music');
  return { callId, channelId: channel.id };
}

describe('overflow and position announcements', () => {
  it('given nobody free for longer than the overflow time, then the overflow centre rings too, and answering connects the caller there', async () => {
    h = coreHarness({ queue: true, overflowAfterMs: 60_000 });
    const { callId, channelId } = await queuedCaller('0811000111');
    await h.clock.advance(59_999);
    expect(h.telephony.originatedTo('PJSIP/0219999@trunk')).toEqual([]);
    await h.clock.advance(1);
    const [leg] = await ringingAt(h, 'PJSIP/0219999@trunk');
    expect(h.repo.events(callId).map((e) => e.type)).toContain('overflow');
    expect(h.repo.findById(callId)!.state).toBe('offered');
    h.telephony.answerOriginated(leg!);
    await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 2, 'bridged with the overflow centre');
    expect(h.repo.findById(callId)).toMatchObject({ state: 'connected', operatorId: 'overflow' });
    expect([...h.telephony.bridges.get(`call-${callId}`)!.channels].sort()).toEqual([channelId, leg].sort());
  });

  it('given an operator who becomes free while the overflow rings, then the operator is offered the call too and the first to answer takes it', async () => {
    h = coreHarness({ queue: true, overflowAfterMs: 60_000 });
    const { callId } = await queuedCaller('0811000112');
    await h.clock.advance(60_000);
    const [overflowLeg] = await ringingAt(h, 'PJSIP/0219999@trunk');
    h.parts.operators.login('op001');
    const [operatorLeg] = await ringingAt(h, 'PJSIP/op001');
    h.telephony.answerOriginated(operatorLeg!);
    await waitFor(() => h.repo.findById(callId)!.state === 'connected', 'connected');
    expect(h.repo.findById(callId)!.operatorId).toBe('op001');
    expect(h.telephony.ringing.has(overflowLeg!)).toBe(false);
  });

  it('given two callers waiting, then each hears their own position over their holding bridge, in their language, worded as an estimate', async () => {
    h = coreHarness({ queue: true, announceIntervalMs: 30_000 });
    const first = await queuedCaller('0811000113');
    h.repo.change(first.callId, { priority: 90 }, { type: 'test', at: h.clock.now() });
    await h.clock.advance(1000);
    const second = await queuedCaller('0811000114');
    expect(h.telephony.commands.filter((c) => c.op === 'bridge-play')).toEqual([]);
    await h.clock.advance(30_000);
    const played = await waitFor(() => {
      const plays = h.telephony.commands.filter((c) => c.op === 'bridge-play');
      const forFirst = plays.find((c) => 'bridgeId' in c && c.bridgeId === `hold-${first.callId}`);
      const forSecond = plays.find((c) => 'bridgeId' in c && c.bridgeId === `hold-${second.callId}`);
      return forFirst && forSecond && { forFirst, forSecond };
    }, 'announcements to both callers');
    const media = (c: typeof played.forFirst) => ('media' in c ? c.media : []);
    expect(media(played.forFirst)[0]).toMatch(/^sound:siaga112\/id\/queue-position-1-/);
    expect(media(played.forSecond)[0]).toMatch(/^sound:siaga112\/id\/queue-position-2-/);
    expect(media(played.forSecond).at(-1)).toMatch(/queue-stay-/);
    const note = h.repo.events(second.callId).find((e) => e.type === 'position-announced');
    expect(JSON.parse(note!.detail!)).toMatchObject({ position: 2, phrasing: 'unknown' });
  });
});
