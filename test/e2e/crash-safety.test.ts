import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, ari, e2eEnabled, pressKey, sipp, sippCounts, startService, stopAll, stopService, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';

const SETTINGS = { SIAGA112_RING_TIMEOUT_MS: '3000', SIAGA112_WRAPUP_MS: '1500', SIAGA112_ANNOUNCE_INTERVAL_MS: '0', SIAGA112_CALLBACK_MIN_WAIT_MS: '600000' };

/** The bridges of ours (holding and call bridges) that Asterisk still has. */
async function ourBridges(): Promise<string[]> {
  return (await ari<Array<{ id: string }>>('/bridges')).map((b) => b.id).filter((id) => /^(hold|call|monitor|callback)-/.test(id));
}

/** A sipp caller, and the moment its process ended (it sent BYE and had the 200 OK). */
function caller(holdMs: number, key = '2') {
  const number = uniqueCaller();
  const run = sipp({ number: '112', caller: number, holdMs, ...pressKey(key, 500) });
  const hungUpAt = run.done.then(() => Date.now());
  return { number, run, hungUpAt };
}

/**
 * Issue 8's scenario on the lab Asterisk: siaga112 killed with callers waiting and one talking,
 * every caller hangs up while it is down, and it starts again.
 */
describe.runIf(e2eEnabled)('crash safety on the lab Asterisk', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  const { phone, reachable, loginWhenFree, callOf, operatorState } = desk;
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      process.stderr.write(`${service.stdout.filter((l) => !l.includes('"reqId"')).slice(-60).join('\n')}\n`);
      process.stderr.write(`${JSON.stringify((await service.api('/api/queue')).body)}\n${JSON.stringify((await service.api('/api/calls?limit=3')).body)}\n`);
    }
    await desk.reset();
    await stopService(service);
  });
  afterAll(stopAll);

  it('given op001 talking and five callers waiting, when siaga112 is killed and they all hang up before it is back, then op001 is free within seconds, no bridge is left, each call ends when it really ended, and new callers reach op001', async () => {
    service = await startService(SETTINGS);
    await phone('op001');
    await reachable('op001');
    await loginWhenFree('op001');
    const talking = caller(9000);
    const talkingCall = await waitFor(async () => (await callOf(talking.number))?.state === 'connected' && callOf(talking.number), 'first caller talking to op001', 15_000);
    const waiting = Array.from({ length: 5 }, () => caller(6000, '3'));
    for (const c of waiting) await waitFor(async () => (await callOf(c.number))?.state === 'queued', 'caller queued', 15_000);

    service.proc.kill('SIGKILL');
    await service.exited;
    const ends = await Promise.all([talking, ...waiting].map((c) => c.hungUpAt));
    // op001's phone is still up in the call's bridge, talking to nobody.
    expect(await ourBridges()).toContain(`call-${talkingCall!.id}`);

    service = await startService(SETTINGS, { dbPath: service.dbPath });
    const restartedAt = Date.now();
    await waitFor(async () => (await operatorState('op001')).state !== 'busy', 'op001 no longer busy', 5000);
    await waitFor(async () => (await ourBridges()).length === 0, 'no bridge of ours left in Asterisk', 5000);
    const freedWithinMs = Date.now() - restartedAt;
    expect(freedWithinMs).toBeLessThan(5000);

    const first = (await callOf(talking.number))!;
    expect(first).toMatchObject({ endReason: 'ended-while-down', operatorId: 'op001' });
    expect(['wrapup', 'ended']).toContain(first.state);
    expect(Math.abs(Date.parse(first.endedAt!) - ends[0]!)).toBeLessThan(1000);
    for (const [i, c] of waiting.entries()) {
      const row = (await callOf(c.number))!;
      expect(row, c.number).toMatchObject({ state: 'abandoned', endReason: 'ended-while-down' });
      expect(Math.abs(Date.parse(row.endedAt!) - ends[i + 1]!), `${c.number}'s end`).toBeLessThan(1000);
      expect(row.queueWaitMs, `${c.number}'s wait`).toBeGreaterThan(3000);
    }

    // Callers after the restart are offered to op001 as usual, one after the other.
    for (let i = 0; i < 2; i += 1) {
      const next = caller(2000);
      await waitFor(async () => (await callOf(next.number))?.state === 'connected', 'a new caller talking to op001', 20_000);
      expect((await callOf(next.number))!.operatorId).toBe('op001');
      await next.run.done;
    }
  });

  it('given op001\'s softphone killed mid-call (no BYE), then within seconds the caller is back in line and talking to op002, never cut off', async () => {
    service = await startService(SETTINGS);
    const op1 = await phone('op001');
    await phone('op002');
    await reachable('op001');
    await reachable('op002');
    await loginWhenFree('op001');
    const c = caller(20_000);
    const call = await waitFor(async () => (await callOf(c.number))?.state === 'connected' && callOf(c.number), 'talking to op001', 15_000);
    expect(call!.operatorId).toBe('op001');
    await loginWhenFree('op002');
    await op1.kill();
    const killedAt = Date.now();
    await waitFor(async () => (await callOf(c.number))?.operatorId === 'op002', 'the caller talking to op002', 10_000);
    const backAfterMs = Date.now() - killedAt;
    expect(backAfterMs).toBeLessThan(8000);
    const events = (await desk.detail(call!.id)).events.map((e) => e.type);
    expect(events.filter((t) => t === 'operator-lost')).toHaveLength(1);
    expect(events.filter((t) => t === 'connected')).toHaveLength(2);
    const { output } = await c.run.done;
    expect(sippCounts(output)).toMatchObject({ successful: 1, failed: 0 });
  });

  it('given another process holding the database\'s write lock for 10 s, then a caller is answered and reaches op001 meanwhile, /health says so, and the call\'s record is complete once the lock is gone', async () => {
    service = await startService(SETTINGS);
    await phone('op001');
    await reachable('op001');
    await loginWhenFree('op001');
    const locker = new Database(service.dbPath);
    locker.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
    try {
      const c = caller(2500);
      const { output } = await c.run.done;
      expect(sippCounts(output)).toMatchObject({ successful: 1, failed: 0 });
      const health = await fetch(`http://127.0.0.1:${service.port}/health`).then((r) => r.json() as Promise<{ database: { ok: boolean; pendingWrites: number } }>);
      expect(health.database.ok).toBe(false);
      expect(health.database.pendingWrites).toBeGreaterThan(0);
      expect(service.stdout.some((line) => line.includes('DATABASE LOCKED'))).toBe(true);
      expect(await callOf(c.number)).toBeUndefined();
      await waitFor(() => Date.now() - lockedAt >= 10_000, 'ten seconds of lock', 12_000, 250);
      locker.exec('ROLLBACK');
      const row = await waitFor(async () => (await callOf(c.number))?.endedAt && callOf(c.number), 'the record written', 5000);
      expect(row).toMatchObject({ operatorId: 'op001', endReason: 'caller-hangup' });
      expect(['wrapup', 'ended']).toContain(row!.state);
      expect(Date.parse(row!.endedAt!)).toBeLessThan(lockedAt + 10_000);
    } finally {
      locker.close();
    }
  });
});
