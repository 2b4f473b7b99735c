import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { connectedCall, ringingAt } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness> | undefined;
afterEach(() => h?.close());

/** Node's timers alive now (the HTTP layer's are real; the domain's run on the harness's virtual clock). */
const liveTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('teardown', () => {
  it('given a running app with a call connected, a caller waiting and ringing, and a queue stream open, when the app closes, then no Asterisk subscriber, timer or stream of ours is left', async () => {
    const timersBefore = liveTimers();
    h = coreHarness({ queue: true, announceIntervalMs: 20_000, overflowAfterMs: 60_000, ringTimeoutMs: 30_000, wrapupMs: 30_000 });
    const app = await testApp(h);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/api/supervisor/queue/stream`, { headers: { authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` } });
    const reader = response.body!.getReader();
    await reader.read();

    const talking = await connectedCall(h, 'op001', '0812000333');
    h.telephony.legHangsUp(talking.operatorLeg);
    await waitFor(() => h!.parts.board.get('op001')?.state === 'wrapup', 'op001 wrapping up');
    h.parts.operators.login('op002');
    const waiting = h.telephony.arrive({ callerNumber: '0812000444' });
    h.telephony.finishPlayback(await waitFor(() => h!.telephony.lastPlayback(waiting.id), 'greeting'));
    await ringingAt(h, 'PJSIP/op002');
    expect(h.clock.pending).toBeGreaterThan(0);
    expect(h.telephony.subscriberCount).toBeGreaterThan(0);

    await app.close();
    expect(h.telephony.subscriberCount).toBe(0);
    expect(h.clock.pending).toBe(0);
    expect(liveTimers()).toBeLessThanOrEqual(timersBefore);
    expect((await reader.read()).done).toBe(true);
  });
});
