import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallDetailJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, ari, e2eEnabled, pressKey, sipp, sippCounts, startGuardian, startService, stopAll, stopService, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';

const GUARDIAN = { SIAGA112_GUARDIAN_POLL_MS: '250', SIAGA112_GUARDIAN_AFTER_MS: '2000', SIAGA112_GUARDIAN_HOLDING_AFTER_MS: '6000' };

/** Where Asterisk has a channel now: inside siaga112's Stasis app, elsewhere, or gone. */
async function whereIs(channelId: string): Promise<'stasis' | 'dialplan' | 'gone'> {
  const channels = await ari<Array<{ id: string; dialplan: { app_name?: string } }>>('/channels');
  const channel = channels.find((c) => c.id === channelId);
  if (!channel) return 'gone';
  return channel.dialplan.app_name === 'Stasis' ? 'stasis' : 'dialplan';
}

/** The guardian against the real Asterisk: siaga112 killed, callers moved out of silence. */
describe.runIf(e2eEnabled)('the guardian on the lab Asterisk', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  afterEach(async () => stopService(service));
  afterAll(stopAll);

  it('given siaga112 killed with a caller in the IVR and one waiting on hold, then the guardian moves the IVR caller to the fallback within its limit, the waiting caller after the longer one, and siaga112 records both as handed over by the guardian', async () => {
    service = await startService({ SIAGA112_ANNOUNCE_INTERVAL_MS: '0', SIAGA112_CALLBACK_MIN_WAIT_MS: '600000' });
    const guardian = startGuardian(service.port, GUARDIAN);
    await waitFor(() => guardian.stdout.some((line) => line.includes('guardian watching siaga112')), 'guardian started', 5000);
    const waiting = uniqueCaller();
    const waitingRun = sipp({ number: '112', caller: waiting, holdMs: 14_000, ...pressKey('3', 500) });
    const waitingCall = await waitFor(async () => (await desk.callOf(waiting))?.state === 'queued' && desk.callOf(waiting), 'queued', 15_000);
    const inIvr = uniqueCaller();
    // Presses nothing: stays in the IVR's menu (its cap is 20 s).
    const ivrRun = sipp({ number: '112', caller: inIvr, holdMs: 12_000 });
    const ivrCall = await waitFor(async () => (await desk.callOf(inIvr))?.state === 'ivr' && desk.callOf(inIvr), 'in the IVR', 10_000);
    const channelOf = async (callId: string) => (await service.api<CallDetailJson>(`/api/calls/${callId}`)).body.channelId;
    const ivrChannel = await channelOf(ivrCall!.id);
    const waitingChannel = await channelOf(waitingCall!.id);

    service.proc.kill('SIGKILL');
    const killedAt = Date.now();
    await service.exited;
    // Asterisk runs the hand-over once the prompt playing now has finished: the caller goes from
    // the prompt straight into the fallback's music, with no silence between.
    await waitFor(async () => (await whereIs(ivrChannel)) === 'dialplan', 'IVR caller in the dialplan fallback', 15_000, 100);
    expect(await whereIs(waitingChannel)).toBe('stasis');
    await waitFor(async () => (await whereIs(waitingChannel)) === 'dialplan', 'waiting caller in the dialplan fallback', 8000, 100);
    const movedAfterMs = (channelId: string) => {
      const line = guardian.stdout.map((l) => JSON.parse(l) as { time: number; channelId?: string; msg: string })
        .find((l) => l.channelId === channelId && l.msg.includes('handing the caller to the dialplan fallback'));
      return line ? line.time - killedAt : Number.NaN;
    };
    expect(movedAfterMs(ivrChannel)).toBeGreaterThanOrEqual(1500);
    expect(movedAfterMs(ivrChannel)).toBeLessThan(3000);
    expect(movedAfterMs(waitingChannel)).toBeGreaterThanOrEqual(5500);
    expect(movedAfterMs(waitingChannel)).toBeLessThan(7000);

    service = await startService({ SIAGA112_ANNOUNCE_INTERVAL_MS: '0' }, { dbPath: service.dbPath });
    for (const number of [inIvr, waiting]) {
      await waitFor(async () => (await desk.callOf(number))?.state === 'fallback', `${number} recorded`, 5000);
      expect(await desk.callOf(number), number).toMatchObject({ state: 'fallback', endReason: 'fallback' });
      const detail = await service.api<CallDetailJson>(`/api/calls/${(await desk.callOf(number))!.id}`);
      expect(detail.body.fallbackReason).toBe('guardian');
    }
    for (const run of [ivrRun, waitingRun]) {
      const { output } = await run.done;
      expect(sippCounts(output)).toMatchObject({ successful: 1, failed: 0 });
    }
    guardian.proc.kill('SIGTERM');
    expect(await guardian.exited).toBe(0);
  });
});
