import { afterEach, describe, expect, it } from 'vitest';
import type { CallJson, CallListJson, HealthJson, QueueJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, asteriskPid, e2eEnabled, labAsterisk, pressKey, sipp, sippCounts, startService, stopAll, stopService, uniqueCaller } from './lab.js';

async function callOf(service: Service, caller: string): Promise<CallJson | undefined> {
  const { body } = await service.api<CallListJson>('/api/calls?limit=500');
  return body.items.find((c) => c.callerNumber === caller);
}

describe.runIf(e2eEnabled)('a 112 caller is never dropped', () => {
  afterEach(async () => {
    await stopAll();
    // A test that paused Asterisk must never leave it paused.
    try {
      process.kill(asteriskPid(), 'SIGCONT');
    } catch {
      // not running: the next test's helpers start it
    }
    labAsterisk('start');
  });

  it('given siaga112 is not running, when a citizen calls, then the fallback answers and the call is imported with reason fallback', async () => {
    const caller = uniqueCaller();
    const { code, output } = await sipp({ number: '112', caller, holdMs: 1000 }).done;
    expect(sippCounts(output).successful).toBe(1);
    expect(code).toBe(0);
    const service = await startService();
    const call = await waitFor(() => callOf(service, caller), 'imported fallback call', 5000);
    expect(call).toMatchObject({ dialledNumber: '112', state: 'fallback', endReason: 'fallback', fallbackReason: 'not-running' });
    expect(call.answeredAt).not.toBeNull();
  });

  it('given siaga112 killed with SIGKILL while a caller waits, then within 5 s of the restart the same call is back in the queue, and it ends when the caller hangs up', async () => {
    const caller = uniqueCaller();
    const first = await startService();
    const call = sipp({ number: '112', caller, holdMs: 12_000, ...pressKey('3', 800) });
    const queued = await waitFor(async () => (await callOf(first, caller))?.state === 'queued' && callOf(first, caller), 'call queued', 10_000);
    first.proc.kill('SIGKILL');
    await first.exited;
    const restartedAt = Date.now();
    const second = await startService({}, { dbPath: first.dbPath });
    await waitFor(async () => {
      const { body: queue } = await second.api<QueueJson>('/api/queue');
      return queue.waiting.some((w) => w.callId === queued!.id);
    }, 'the call waiting in the restarted queue', 5000);
    expect(Date.now() - restartedAt).toBeLessThan(5000);
    expect(await callOf(second, caller)).toMatchObject({ id: queued!.id, state: 'queued', endedAt: null });
    const { body: health } = await second.api<HealthJson>('/health');
    expect(health.admission.liveCalls).toBe(1);
    // The caller was never cut off: sipp completes its call and hangs up itself.
    const { code } = await call.done;
    expect(code).toBe(0);
    const ended = await waitFor(async () => (await callOf(second, caller))?.endedAt && callOf(second, caller), 'end');
    expect(ended).toMatchObject({ id: queued!.id, state: 'abandoned', endReason: 'caller-hangup' });
  });

  it('given SIGTERM with a call in progress, then the call finishes, a new call goes to the fallback, and the process exits 0', async () => {
    const caller = uniqueCaller();
    const service = await startService();
    const live = sipp({ number: '112', caller, holdMs: 5000 });
    await waitFor(async () => (await callOf(service, caller))?.answeredAt, 'call answered', 10_000);
    service.proc.kill('SIGTERM');
    const lateCaller = uniqueCaller();
    await waitFor(() => service.stdout.some((l) => l.includes('draining')), 'drain started');
    const late = await sipp({ number: '112', caller: lateCaller, holdMs: 300 }).done;
    expect(late.code, late.output.slice(-2000)).toBe(0);
    expect((await live.done).code).toBe(0);
    expect(await service.exited).toBe(0);
    const after = await startService({}, { dbPath: service.dbPath });
    expect(await callOf(after, caller)).toMatchObject({ endReason: 'caller-hangup' });
    expect(await callOf(after, lateCaller)).toMatchObject({ state: 'fallback', fallbackReason: 'draining' });
  });

  it('given Asterisk frozen (SIGSTOP), then /health reports ARI down within the heartbeat interval, and the dead socket is replaced once it thaws', async () => {
    const service = await startService({ SIAGA112_ARI_HEARTBEAT_MS: '1000' });
    await waitFor(async () => (await service.api<HealthJson>('/health')).body.ari.connected, 'ARI up');
    const pid = asteriskPid();
    process.kill(pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    const health = await waitFor(async () => {
      const response = await service.api<HealthJson>('/health');
      return !response.body.ari.connected && response;
    }, 'ARI reported down', 5000, 50);
    const detectedMs = Date.now() - stoppedAt;
    // Within one heartbeat interval (1000 ms), plus one 50 ms poll of this test.
    expect(detectedMs).toBeLessThanOrEqual(1050);
    expect(health.status).toBe(503);
    // Silent for five heartbeats: the socket is treated as half-open and torn down.
    await waitFor(() => service.stdout.some((l) => l.includes('ARI WebSocket silent; reconnecting')), 'socket torn down', 8000);
    process.kill(pid, 'SIGCONT');
    await waitFor(() => service.stdout.some((l) => l.includes('"reconnect":true')), 'ARI reconnected', 10_000);
    const caller = uniqueCaller();
    expect((await sipp({ number: '112', caller, holdMs: 300 }).done).code).toBe(0);
    const call = await waitFor(async () => (await callOf(service, caller))?.endedAt && callOf(service, caller), 'call after reconnect', 10_000);
    expect(call).toMatchObject({ fallbackReason: null, endReason: 'caller-hangup' });
  });

  it('given a wrong ARI password, then siaga112 exits non-zero with one clear JSON error line', async () => {
    const service = await startService({ SIAGA112_ARI_PASSWORD: 'not-the-password' }, { waitReady: false });
    const code = await service.exited;
    expect(code).toBe(1);
    const lines = service.stdout.filter((l) => l.length > 0).map((l) => JSON.parse(l) as { level: number; msg: string });
    const fatal = lines.filter((l) => l.level >= 50);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toBe('ARI rejected user "siaga112" (HTTP 401): check SIAGA112_ARI_USER and SIAGA112_ARI_PASSWORD');
    expect(service.stdout.join('\n')).not.toContain('not-the-password');
  });

  it('given Asterisk restarted while siaga112 runs, then siaga112 reconnects and answers the next call', async () => {
    const service = await startService();
    labAsterisk('restart');
    await waitFor(() => service.stdout.some((l) => l.includes('"reconnect":true')), 'ARI reconnect', 15_000);
    const caller = uniqueCaller();
    const { code } = await sipp({ number: '112', caller, holdMs: 500 }).done;
    expect(code).toBe(0);
    const call = await waitFor(async () => (await callOf(service, caller))?.endedAt && callOf(service, caller), 'call handled', 10_000);
    expect(call).toMatchObject({ state: 'abandoned', endReason: 'caller-hangup', fallbackReason: null });
    await stopService(service);
  });
});
