import type { coreHarness } from './core.js';
import { waitFor } from './wait-for.js';

type Harness = ReturnType<typeof coreHarness>;

/** Waits until something rings at an endpoint; resolves with the legs originated to it so far. */
export function ringingAt(h: Harness, endpoint: string, timeoutMs?: number): Promise<string[]> {
  return waitFor(() => {
    const legs = h.telephony.originatedTo(endpoint);
    return legs.length > 0 && legs;
  }, `a ring at ${endpoint}`, timeoutMs);
}

/** A caller connected to `operatorId` (logged in here), through the greeting and the queue. */
export async function connectedCall(h: Harness, operatorId: string, callerNumber: string) {
  h.parts.operators.login(operatorId);
  const channel = h.telephony.arrive({ callerNumber });
  const callId = h.repo.findByChannelId(channel.id)!.id;
  h.telephony.finishPlayback(await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting'));
  const [leg] = await ringingAt(h, `PJSIP/${operatorId}`);
  h.telephony.answerOriginated(leg!);
  await waitFor(() => h.telephony.bridges.get(`call-${callId}`)?.channels.size === 2, 'bridged');
  return { callId, callerChannel: channel.id, operatorLeg: leg! };
}
