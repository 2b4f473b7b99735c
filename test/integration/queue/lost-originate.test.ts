import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

describe('an offer whose originate got no answer', () => {
  it('given the link cut while Asterisk placed the ring, then siaga112 hangs that channel up (no phone rings for nobody) and the caller is back in line', async () => {
    h = coreHarness({ queue: true, ringTimeoutMs: 15_000 });
    h.parts.operators.login('op001');
    h.telephony.loseNextOriginateAnswer();
    const channel = h.telephony.arrive({ callerNumber: '0811999000' });
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    const lost = await waitFor(() => h.telephony.commands.find((c) => c.op === 'originate')?.channelId, 'the first originate');
    await waitFor(() => h.telephony.commands.some((c) => c.op === 'hangup' && c.channelId === lost), 'the lost ring hung up');
    expect(h.telephony.ringing.has(lost)).toBe(false);
    const callId = h.repo.findByChannelId(channel.id)!.id;
    // The caller is back in line; op001, whose ring failed, is paused as for any failed ring.
    await waitFor(() => h.repo.findById(callId)!.state === 'queued', 'the caller back in line');
    expect(h.parts.board.get('op001')!.state).toBe('paused');
  });
});
