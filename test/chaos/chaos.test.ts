import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallListJson, OperatorJson, QueueJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, e2eEnabled, labAsterisk, pressKey, sipp, startGuardian, startService, stopAll, stopService, trunkPeer } from '../e2e/lab.js';
import { type Softphone, startSoftphone } from '../e2e/softphone.js';
import { ariProxy, captureCallerAudio, FAULTS, type Fault, lockDatabase } from './faults.js';
import { type ChaosCaller, OPERATORS, orderProblems, settledProblems, silences, waitingProblems } from './invariants.js';
import { seeded } from './random.js';
import { packetTimesByPort } from './rtp-gaps.js';

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000));
/**
 * Caller numbers are unique to this run (a replay too): the lab's CDR file outlives runs, and a
 * fresh database imports the fallback calls of earlier ones.
 */
const RUN = String(Math.floor(Date.now() / 1000) % 100_000).padStart(5, '0');
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? FAULTS.length);
const rnd = seeded(SEED);
// Every round's fault is drawn up front, so a seed names the whole run.
const plan = Array.from({ length: ROUNDS }, (_, i) => ({ round: i + 1, fault: ROUNDS >= FAULTS.length && i < FAULTS.length ? FAULTS[i]! : rnd.pick(FAULTS) }));
console.log(`chaos: seed ${SEED}, ${ROUNDS} rounds (replay: npm run test:chaos -- --seed ${SEED} --rounds ${ROUNDS})`);

const SETTINGS = {
  SIAGA112_RING_TIMEOUT_MS: '3000', SIAGA112_WRAPUP_MS: '1500', SIAGA112_ANNOUNCE_INTERVAL_MS: '0', SIAGA112_CALLBACK_MIN_WAIT_MS: '600000',
  SIAGA112_SELF_CHECK_MS: '2000',
};
const GUARDIAN = { SIAGA112_GUARDIAN_POLL_MS: '250', SIAGA112_GUARDIAN_AFTER_MS: '2500', SIAGA112_GUARDIAN_HOLDING_AFTER_MS: '15000' };
const SILENCE_LIMIT_MS = 5000;

/**
 * The chaos suite: seeded rounds against the real lab Asterisk, each a random mix of sipp callers
 * (in the IVR, waiting, ringing, talking, in a conference with an agency) and one random fault,
 * then the invariants of issue 8. A failing round prints what broke, naming the call or operator.
 */
describe.runIf(e2eEnabled)('chaos: one fault a round, and nobody stuck after it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siaga112-chaos-'));
  const dbPath = join(dir, 'siaga112.db');
  const pcap = join(dir, 'callers.pcap');
  const port = 3700 + Math.floor(Math.random() * 200);
  const phones = new Map<string, Softphone>();
  const summary = { faults: {} as Record<string, number>, failedRounds: [] as number[], longestSilenceMs: 0, longestSilenceAt: '' };
  let service: Service;
  let guardian: ReturnType<typeof startGuardian>;
  let proxy: Awaited<ReturnType<typeof ariProxy>>;
  let capture: Awaited<ReturnType<typeof captureCallerAudio>>;
  let env: Record<string, string>;

  const start = () => startService(env, { dbPath, port });
  const phone = async (operatorId: string) => {
    phones.set(operatorId, await startSoftphone(operatorId, { answer: operatorId === 'op003' ? 'manual' : 'auto' }));
  };
  const operatorState = async (operatorId: string) => (await service.operator<OperatorJson>(operatorId, 'GET', '/api/operator')).body;

  beforeAll(async () => {
    proxy = await ariProxy();
    capture = await captureCallerAudio(pcap);
    env = { ...SETTINGS, SIAGA112_ARI_URL: `http://127.0.0.1:${proxy.port}` };
    service = await start();
    guardian = startGuardian(port, GUARDIAN);
    trunkPeer();
    for (const operatorId of OPERATORS) await phone(operatorId);
  }, 120_000);

  afterAll(async () => {
    console.log(`chaos summary: ${JSON.stringify({ seed: SEED, rounds: ROUNDS, ...summary })}`);
    // Stopped, not killed: a softphone unregisters, so no contact of it outlives the run.
    await Promise.all([...phones.values()].map((p) => p.stop()));
    await capture?.stop();
    await proxy?.close();
    await stopAll();
  });

  /** Everyone who should take calls is registered and logged in (op003 rings but never answers). */
  async function staffed(): Promise<void> {
    for (const operatorId of OPERATORS) {
      if (!phones.has(operatorId)) await phone(operatorId);
      const available = () => waitFor(async () => {
        const state = await operatorState(operatorId);
        if (state.state === 'available' && state.reachable) return true;
        if (state.state === 'offline') await service.operator(operatorId, 'POST', '/api/operator/login');
        if (state.state === 'paused') await service.operator(operatorId, 'POST', '/api/operator/resume');
        return false;
      }, `${operatorId} available`, 15_000, 250);
      // A softphone whose registration Asterisk lost (it restarted) signs in again, as a real one
      // does on its next register interval.
      await available().catch(async () => {
        await phones.get(operatorId)?.stop();
        await phone(operatorId);
        await available();
      });
    }
  }

  async function healthy(): Promise<void> {
    await waitFor(async () => {
      const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json() as Promise<{ ari: { connected: boolean } }>).catch(() => null);
      return health?.ari.connected === true;
    }, 'siaga112 healthy', 30_000, 200);
  }

  async function inject(fault: Fault, random: ReturnType<typeof seeded>): Promise<string> {
    switch (fault) {
      case 'kill-siaga112': {
        const downMs = random.int(0, 8000);
        service.proc.kill('SIGKILL');
        await service.exited;
        await new Promise((resolve) => setTimeout(resolve, downMs));
        service = await start();
        return `down ${downMs} ms`;
      }
      case 'kill-guardian': {
        guardian.proc.kill('SIGKILL');
        await guardian.exited;
        await new Promise((resolve) => setTimeout(resolve, random.int(500, 3000)));
        guardian = startGuardian(port, GUARDIAN);
        return 'guardian restarted';
      }
      case 'restart-asterisk':
        labAsterisk('restart');
        return 'Asterisk restarted';
      case 'cut-ari':
        return `${proxy.cut()} ARI connections cut`;
      case 'lock-database': {
        const release = lockDatabase(dbPath);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        release();
        return 'locked 10 s';
      }
      case 'kill-softphone': {
        const busy = [];
        for (const operatorId of ['op001', 'op002']) if ((await operatorState(operatorId)).state === 'busy') busy.push(operatorId);
        const victim = busy.length > 0 ? random.pick(busy) : random.pick(['op001', 'op002']);
        await phones.get(victim)!.kill();
        phones.delete(victim);
        return `${victim}'s softphone killed`;
      }
    }
  }

  it('given a caller left alone in the IVR (siaga112 and its guardian both killed), then the silence meter hears the silence: it can fail', async () => {
    await healthy();
    const number = `0814${RUN}0000`;
    const run = sipp({ number: '112', caller: number, holdMs: 26_000 });
    const caller: ChaosCaller = { number, mediaPort: run.mediaPort, startedAt: Date.now(), endedAt: null, output: null };
    await waitFor(async () => (await service.api<CallListJson>('/api/calls?limit=20')).body.items
      .some((c) => c.callerNumber === number && c.state === 'ivr'), 'caller in the IVR', 10_000);
    guardian.proc.kill('SIGKILL');
    service.proc.kill('SIGKILL');
    await Promise.all([guardian.exited, service.exited]);
    // Longer than any prompt of the IVR: the prompt playing ends, then nothing.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    guardian = startGuardian(port, GUARDIAN);
    service = await start();
    caller.output = (await run.done).output;
    caller.endedAt = Date.now();
    const [heard] = silences(packetTimesByPort(pcap), [caller]);
    console.log(`chaos calibration: a caller left alone heard ${Math.round(heard!.gapMs)} ms of silence`);
    expect(heard!.gapMs).toBeGreaterThan(SILENCE_LIMIT_MS);
  });

  for (const { round, fault } of plan) {
    it(`round ${round}: ${fault}`, async () => {
      const random = seeded(SEED * 1000 + round);
      await healthy();
      await staffed();
      const callers: ChaosCaller[] = [];
      const runs: Array<Promise<void>> = [];
      const call = (holdMs: number, key: string | null) => {
        const number = `0813${RUN}${String(round).padStart(3, '0')}${callers.length}`;
        const run = sipp({ number: '112', caller: number, holdMs, ...(key ? pressKey(key, 500) : {}) });
        const caller: ChaosCaller = { number, mediaPort: run.mediaPort, startedAt: Date.now(), endedAt: null, output: null };
        callers.push(caller);
        runs.push(run.done.then(({ output }) => {
          caller.endedAt = Date.now();
          caller.output = output;
        }));
      };
      for (let i = random.int(3, 5); i > 0; i -= 1) {
        call(random.int(7000, 16_000), random.pick(['1', '2', '3', '4', '5']));
        await new Promise((resolve) => setTimeout(resolve, random.int(100, 900)));
      }
      await new Promise((resolve) => setTimeout(resolve, random.int(2500, 4500)));
      if (random.chance(0.4)) {
        const operatorId = random.pick(['op001', 'op002']);
        await service.operator(operatorId, 'POST', '/api/operator/transfer', { agency: 'damkar', stay: true });
      }
      // One caller arrives just as the fault strikes: still in the IVR.
      call(random.int(6000, 12_000), random.chance(0.5) ? '3' : null);
      const before = (await service.api<QueueJson>('/api/queue')).body.waiting.map((w) => w.callId);
      const what = await inject(fault, random);
      await healthy();
      const problems: string[] = [];
      const live = callers.filter((c) => c.endedAt === null);
      await waitFor(async () => (await waitingProblems(service, live)).length === 0, 'waiting callers in line', 10_000, 500)
        .catch(async () => problems.push(...await waitingProblems(service, live)));
      const after = (await service.api<QueueJson>('/api/queue')).body.waiting.map((w) => w.callId);
      if (fault !== 'restart-asterisk') problems.push(...orderProblems(before, after));
      await Promise.all(runs);
      const restarted = fault === 'restart-asterisk';
      let settled: string[] = [];
      await waitFor(async () => (settled = await settledProblems(service, callers, restarted)).length === 0, 'everything settled', 10_000, 500).catch(() => undefined);
      problems.push(...settled);
      const heard = silences(packetTimesByPort(pcap), callers);
      const longest = heard.reduce((max, h) => (h.gapMs > max.gapMs ? h : max), { number: '', gapMs: 0, at: 0 });
      if (!restarted) {
        for (const h of heard) if (h.gapMs > SILENCE_LIMIT_MS) problems.push(`caller ${h.number}: ${Math.round(h.gapMs)} ms of silence from ${new Date(h.at).toISOString()}`);
        if (longest.gapMs > summary.longestSilenceMs) Object.assign(summary, { longestSilenceMs: Math.round(longest.gapMs), longestSilenceAt: `round ${round} (${fault})` });
      }
      summary.faults[fault] = (summary.faults[fault] ?? 0) + 1;
      console.log(`chaos round ${round} ${fault} (${what}): ${callers.length} callers, longest silence ${Math.round(longest.gapMs)} ms, ${problems.length} problem(s)`);
      if (problems.length > 0) summary.failedRounds.push(round);
      expect(problems, `round ${round} (${fault}, seed ${SEED})`).toEqual([]);
    }, 180_000);
  }

  it('leaves siaga112 and its guardian running to the end, stopped by pid', async () => {
    expect(service.proc.exitCode).toBeNull();
    expect(guardian.proc.exitCode).toBeNull();
    await stopService(service);
  });
});
