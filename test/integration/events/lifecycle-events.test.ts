import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness } from '../../helpers/core.js';
import { connectedCall } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';
import { domainEventSchemas } from '../../../src/domain-events.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

/** Every domain event in the order published, as `type` (and, for operators, `from→to`). */
function recordEvents() {
  const seen: string[] = [];
  for (const type of Object.keys(domainEventSchemas) as Array<keyof typeof domainEventSchemas>) {
    h.events.subscribe(type, (payload) => {
      seen.push('operatorId' in payload && 'to' in payload ? `${type} ${payload.operatorId} ${payload.from}→${payload.to}` : type);
    });
  }
  return seen;
}

describe('call lifecycle events', () => {
  it('given a caller answered by op001 who then hangs up, then arrived, answered, enqueued, offered, the ring ending, connected and ended are published in that order, with op001 ringing, talking and wrapping up', async () => {
    h = coreHarness({ queue: true });
    const seen = recordEvents();
    const { callId, callerChannel } = await connectedCall(h, 'op001', '0812000111');
    h.telephony.callerHangsUp(callerChannel);
    await waitFor(() => h.repo.findById(callId)?.endedAt, 'the call ended');
    expect(seen).toEqual([
      'operator.state-changed op001 offline→available',
      'call.arrived', 'call.answered', 'call.enqueued',
      'operator.state-changed op001 available→offered', 'call.offered',
      'offer.ended', 'operator.state-changed op001 offered→busy', 'call.connected',
      'call.ended', 'operator.state-changed op001 busy→wrapup',
    ]);
  });

  it('given a caller waiting, when op001 logs in and is offered the call at once, then op001\'s changes are published in the order they happened', async () => {
    h = coreHarness({ queue: true });
    const channel = h.telephony.arrive({ callerNumber: '0812000555' });
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    await waitFor(() => h.repo.findByChannelId(channel.id)?.state === 'queued', 'queued');
    const seen = recordEvents();
    h.parts.operators.login('op001');
    expect(seen.filter((e) => e.startsWith('operator.'))).toEqual([
      'operator.state-changed op001 offline→available', 'operator.state-changed op001 available→offered',
    ]);
  });

  it('given a subscriber that throws, then the call is still answered and queued and the other subscribers still hear every event', async () => {
    h = coreHarness({ queue: true });
    h.events.subscribe('call.arrived', () => {
      throw new Error('a buggy subscriber');
    });
    const arrivals: string[] = [];
    h.events.subscribe('call.arrived', ({ callId }) => arrivals.push(callId));
    const channel = h.telephony.arrive({ callerNumber: '0812000222' });
    const callId = h.repo.findByChannelId(channel.id)!.id;
    h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
    await waitFor(() => h.repo.findById(callId)?.state === 'queued', 'queued');
    expect(arrivals).toEqual([callId]);
  });
});
