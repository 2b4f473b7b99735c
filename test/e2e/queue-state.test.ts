import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallbackJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, API_TOKEN, LAB_ROOT, e2eEnabled, pressKey, pressKeys, sipp, startService, stopAll, stopService, trunkPeer, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';

const SETTINGS = { SIAGA112_RING_TIMEOUT_MS: '3000', SIAGA112_WRAPUP_MS: '1500', SIAGA112_CALLBACK_MIN_WAIT_MS: '1000' };

/** Queue state across a restart, the live stream, and callbacks, on the lab Asterisk. */
describe.runIf(e2eEnabled)('queue state, restart and callbacks on the lab Asterisk', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  const { phone, reachable, loginWhenFree, callOf, detail, operatorState } = desk;
  afterEach(async () => {
    await desk.reset();
    await stopService(service);
  });
  afterAll(stopAll);

  it('given siaga112 killed while op001 talks and another caller waits, then after the restart op001 is still busy on that call, the waiting caller is still queued, and gets op001 after the wrap-up', async () => {
    service = await startService(SETTINGS);
    await phone('op001');
    await reachable('op001');
    await loginWhenFree('op001');
    const talking = uniqueCaller();
    const waiting = uniqueCaller();
    const first = sipp({ number: '112', caller: talking, holdMs: 12_000, ...pressKey('2', 500) });
    await waitFor(async () => (await callOf(talking))?.state === 'connected', 'first call connected', 15_000);
    const second = sipp({ number: '112', caller: waiting, holdMs: 20_000, ...pressKey('3', 500) });
    await waitFor(async () => (await callOf(waiting))?.state === 'queued', 'second call queued', 15_000);

    service.proc.kill('SIGKILL');
    await service.exited;
    service = await startService(SETTINGS, { dbPath: service.dbPath });

    expect(await operatorState('op001')).toMatchObject({ state: 'busy' });
    await waitFor(async () => (await callOf(waiting))?.state === 'queued', 'second call queued again', 5000);
    expect((await callOf(talking))).toMatchObject({ state: 'connected', operatorId: 'op001' });
    await first.done;
    await waitFor(async () => (await callOf(talking))?.endedAt, 'first call ended', 5000);
    expect((await operatorState('op001')).state).toBe('wrapup');
    const answered = await waitFor(async () => (await callOf(waiting))?.state === 'connected' && callOf(waiting), 'second call connected after the wrap-up', 10_000);
    expect(answered!.operatorId).toBe('op001');
    const types = (await detail(answered!.id)).events.map((e) => e.type);
    expect(types.filter((t) => t === 'connected')).toHaveLength(1);
    second.proc.kill('SIGTERM');
    await second.done;
  });

  it('given a supervisor\'s stream of the queue, then a caller joining the queue and being answered shows up as it happens', async () => {
    service = await startService(SETTINGS);
    const response = await fetch(`http://127.0.0.1:${service.port}/api/queue/stream`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const frames: Array<{ depth: number; operators: Record<string, number> }> = [];
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString('utf8');
        for (const block of text.split('\n\n').slice(0, -1)) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) frames.push(JSON.parse(data.slice(6)));
        }
        text = text.slice(text.lastIndexOf('\n\n') + 2);
      }
    })();
    await waitFor(() => frames.length >= 1, 'first frame', 2000);
    expect(frames[0]).toMatchObject({ depth: 0 });
    await phone('op001');
    await reachable('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 5000, ...pressKey('2', 500) });
    await waitFor(() => frames.some((f) => f.depth === 1), 'a frame with the caller waiting', 15_000);
    await loginWhenFree('op001');
    await waitFor(() => frames.some((f) => f.depth === 0 && f.operators.busy === 1), 'a frame with the caller answered', 10_000);
    await reader.cancel();
    await reading.catch(() => undefined);
    await run.done;
  });

  it('given a caller who gave up in the queue, when op001 calls them back, then op001\'s phone rings first and the citizen behind the trunk is connected to it', async () => {
    service = await startService(SETTINGS);
    const trunk = trunkPeer();
    const caller = uniqueCaller();
    await sipp({ number: '112', caller, holdMs: 3500, ...pressKey('2', 500) }).done;
    const gaveUp = await waitFor(async () => (await callOf(caller))?.state === 'abandoned' && callOf(caller), 'abandoned', 5000);
    const list = await service.operator<CallbackJson[]>('op001', 'GET', '/api/callbacks');
    const owed = list.body.find((c) => c.callId === gaveUp!.id);
    expect(owed).toMatchObject({ number: caller, status: 'open' });
    const op1 = await phone('op001');
    await reachable('op001');
    await loginWhenFree('op001');
    const started = await service.operator<CallbackJson>('op001', 'POST', `/api/callbacks/${owed!.id}`);
    expect(started).toMatchObject({ status: 202, body: { status: 'calling' } });
    await waitFor(async () => (await callOf(caller))?.state === 'callback', 'citizen answered the callback', 10_000);
    await waitFor(() => op1.count('CALL_ESTABLISHED') === 1, 'op001 talking', 2000);
    expect((await operatorState('op001')).state).toBe('busy');
    op1.command('hangup');
    await waitFor(async () => (await callOf(caller))?.state === 'ended', 'callback over', 5000);
    await waitFor(async () => (await operatorState('op001')).state === 'available', 'op001 free after the wrap-up', 5000);
    const events = (await detail(gaveUp!.id)).events.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['caller-hangup', 'called-back']));
    trunk.proc.kill('SIGTERM');
    await trunk.done;
  });

  it('given nobody free, then the waiting caller hears their position in their language, and past the overflow time the other centre behind the trunk takes the call', async () => {
    service = await startService({ ...SETTINGS, SIAGA112_ANNOUNCE_INTERVAL_MS: '2000', SIAGA112_OVERFLOW_AFTER_MS: '5000', SIAGA112_OVERFLOW_NUMBER: '0219999' });
    const trunk = trunkPeer();
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 25_000, ...pressKeys('9', 300, '2', 2000) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'queued' && callOf(caller), 'queued', 20_000);
    const announced = await waitFor(async () => (await detail(call!.id)).events.find((e) => e.type === 'position-announced'), 'position announced', 5000);
    expect(announced.detail).toMatchObject({ position: 1 });
    const media = announced.detail!.media as string[];
    // English was chosen (9, then 2 for fire): the announcement is in English, and Asterisk has the audio.
    expect(media[0]).toMatch(/^sound:siaga112\/en\/queue-position-1-/);
    for (const sound of media) expect(existsSync(`${LAB_ROOT}/rootfs/usr/share/asterisk/sounds/${sound.slice('sound:'.length)}.alaw`)).toBe(true);
    const overflowed = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected to the overflow centre', 15_000);
    expect(overflowed!.operatorId).toBe('overflow');
    const types = (await detail(call!.id)).events.map((e) => e.type);
    expect(types.indexOf('overflow')).toBeLessThan(types.indexOf('connected'));
    await run.done;
    trunk.proc.kill('SIGTERM');
    await trunk.done;
  });
});
