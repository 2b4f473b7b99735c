import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TransferJson } from '../helpers/api-types.js';
import { waitFor } from '../helpers/wait-for.js';
import { type Service, ari, asteriskCli, e2eEnabled, pressKey, sipp, startService, stopAll, trunkPeer, uniqueCaller } from './lab.js';
import { operatorDesk } from './operators.js';

/**
 * The switchboard against the real Asterisk: sipp callers, operators on real baresip softphones
 * (registered with digest auth, auto-answering or left ringing).
 */
describe.runIf(e2eEnabled)('switchboard on the lab Asterisk with baresip operators', () => {
  let service: Service;
  const desk = operatorDesk(() => service);
  const { phone, reachable, loginWhenFree, callOf, detail, operatorState } = desk;
  beforeAll(async () => {
    service = await startService({ SIAGA112_RING_TIMEOUT_MS: '3000', SIAGA112_WRAPUP_MS: '2500', SIAGA112_ANNOUNCE_INTERVAL_MS: '0' });
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      process.stderr.write(`${service.stdout.filter((l) => /"level":(40|50|60)|offer|switchboard/.test(l)).slice(-30).join('\n')}\n`);
    }
    await desk.reset();
  });
  afterAll(stopAll);

  it('given two registered softphones, then the longest-idle operator\'s phone rings and answers, and after the call they wrap up', async () => {
    const op1 = await phone('op001');
    const op2 = await phone('op002');
    await reachable('op001');
    await reachable('op002');
    await loginWhenFree('op002');
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 4000, ...pressKey('2', 500) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected call', 15_000);
    expect(call!.operatorId).toBe('op002');
    await waitFor(() => op2.count('CALL_ESTABLISHED') === 1, 'op002 talking', 2000);
    expect(op1.count('CALL_INCOMING') + op1.count('CALL_ESTABLISHED')).toBe(0);
    expect(op2.events.find((e) => e.type === 'CALL_ESTABLISHED')?.peerdisplayname).toBe(`FIRE ${caller}`);
    await run.done;
    const ended = await waitFor(async () => (await callOf(caller))?.endedAt && callOf(caller), 'call end', 10_000);
    expect(ended).toMatchObject({ endReason: 'caller-hangup', operatorId: 'op002' });
    expect((await operatorState('op002')).state).toBe('wrapup');
    await waitFor(async () => (await operatorState('op002')).state === 'available', 'op002 available after wrap-up', 5000);
    expect((await callOf(caller))!.state).toBe('ended');
    const types = (await detail(call!.id)).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['enqueued', 'offered', 'connected', 'recording-started', 'caller-hangup', 'wrapup-done']));
  });

  it('given an operator whose phone rings unanswered, then after the ring timeout they are paused (no-answer) and the other operator takes the call', async () => {
    const op1 = await phone('op001', { answer: 'manual' });
    const op2 = await phone('op002');
    await reachable('op001');
    await reachable('op002');
    await loginWhenFree('op001');
    await loginWhenFree('op002');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 9000, ...pressKey('2', 500) });
    await waitFor(() => op1.count('CALL_INCOMING') === 1, 'op001 ringing', 15_000);
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected to op002', 10_000);
    expect(call!.operatorId).toBe('op002');
    expect(await operatorState('op001')).toMatchObject({ state: 'paused', pauseReason: 'no-answer' });
    expect(op1.count('CALL_CLOSED')).toBe(1);
    await waitFor(() => op2.count('CALL_ESTABLISHED') === 1, 'op002 talking', 2000);
    await run.done;
  });

  it('given op001 signed out of SIP and op002 registered, then the call rings op002 and op001\'s phone receives no INVITE', async () => {
    const op1 = await phone('op001', { register: false });
    const op2 = await phone('op002');
    await reachable('op002');
    await loginWhenFree('op001');
    await loginWhenFree('op002');
    expect((await operatorState('op001')).reachable).toBe(false);
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 3000, ...pressKey('2', 500) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected', 15_000);
    expect(call!.operatorId).toBe('op002');
    await waitFor(() => op2.count('CALL_ESTABLISHED') === 1, 'op002 talking', 2000);
    await run.done;
    expect(op1.events.filter((e) => e.type.startsWith('CALL_'))).toEqual([]);
  });

  it('given a crime call waiting and a fire call arriving later, when an operator logs in, then the fire call is answered first', async () => {
    await phone('op001');
    await reachable('op001');
    const crime = uniqueCaller();
    const fire = uniqueCaller();
    const first = sipp({ number: '112', caller: crime, holdMs: 12_000, ...pressKey('5', 500) });
    await waitFor(async () => (await callOf(crime))?.state === 'queued', 'crime call queued', 15_000);
    const second = sipp({ number: '112', caller: fire, holdMs: 6000, ...pressKey('2', 500) });
    await waitFor(async () => (await callOf(fire))?.state === 'queued', 'fire call queued', 15_000);
    await loginWhenFree('op001');
    const answered = await waitFor(async () => (await callOf(fire))?.state === 'connected' && callOf(fire), 'fire call connected', 10_000);
    expect(answered!.operatorId).toBe('op001');
    expect(await callOf(crime)).toMatchObject({ state: 'queued', operatorId: null });
    await Promise.all([first.done, second.done]);
  });

  it('given a caller who hangs up while the operator\'s phone rings, then the ring stops at once and the call is abandoned with its wait', async () => {
    const op1 = await phone('op001', { answer: 'manual' });
    await reachable('op001');
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 2000, ...pressKey('2', 500) });
    await waitFor(() => op1.count('CALL_INCOMING') === 1, 'op001 ringing', 15_000);
    await run.done;
    const call = await waitFor(async () => (await callOf(caller))?.endedAt && callOf(caller), 'call end', 5000);
    expect(call).toMatchObject({ state: 'abandoned', endReason: 'caller-hangup' });
    expect(call!.queueWaitMs).toBeGreaterThan(0);
    await waitFor(() => op1.count('CALL_CLOSED') === 1, 'ring cancelled on the phone', 3000);
    expect((await operatorState('op001')).state).toBe('available');
  });

  it('given an answered call, then its recording lasts as long as the bridged call (within 1 s), carries the operator\'s voice, and downloads in ranges', async () => {
    const voice = join(mkdtempSync(join(tmpdir(), 'siaga112-voice-')), 'voice.wav');
    execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', voice, 'synth', '30', 'sine', '300-900', 'vol', '0.5']);
    await phone('op001', { speakFile: voice });
    await reachable('op001');
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 7000, ...pressKey('2', 500) });
    await run.done;
    const call = await waitFor(async () => (await callOf(caller))?.endedAt && callOf(caller), 'call end', 10_000);
    expect(call!.recording).toBe(`call-${call!.id}`);
    const bridgedMs = Date.parse(call!.endedAt!) - Date.parse(call!.connectedAt!);
    const download = await waitFor(async () => {
      const r = await service.supervisor(`/api/supervisor/recordings/${call!.id}`);
      return r.status === 200 && r.bytes.length > 44 && r;
    }, 'recording download', 5000);
    const audio = pcm16(download.bytes);
    const recordedMs = (audio.length / 8000) * 1000;
    expect(Math.abs(recordedMs - bridgedMs)).toBeLessThan(1000);
    expect(rms(audio)).toBeGreaterThan(500);
    const part = await service.supervisor(`/api/supervisor/recordings/${call!.id}`, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(download.bytes.subarray(0, 100))).toBe(true);
  });

  it('given a call with an operator, when the operator conferences Damkar, then the agency behind the trunk answers and all three share the bridge', async () => {
    const trunk = trunkPeer();
    await phone('op001');
    await reachable('op001');
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 8000, ...pressKey('2', 500) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected', 15_000);
    const transfer = await service.operator<TransferJson>('op001', 'POST', '/api/operator/transfer', { agency: 'damkar' });
    expect(transfer.status).toBe(202);
    expect(transfer.body.number).toBe('113');
    await waitFor(async () => (await detail(call!.id)).events.some((e) => e.type === 'agency-joined'), 'agency joined', 10_000);
    const bridge = await ari<{ channels: string[] }>(`/bridges/call-${call!.id}`);
    expect(bridge.channels).toHaveLength(3);
    const names = await Promise.all(bridge.channels.map(async (id) => (await ari<{ name: string }>(`/channels/${id}`)).name));
    expect(names.filter((n) => n.startsWith('PJSIP/trunk-'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('PJSIP/op001-'))).toHaveLength(1);
    await run.done;
    await waitFor(async () => (await callOf(caller))?.endedAt, 'call end', 5000);
    // The caller's hang-up ends the call for everyone: the agency line is cleared too.
    await waitFor(async () => (await ari<Array<{ name: string }>>('/channels')).every((c) => !c.name.startsWith('PJSIP/trunk-')), 'agency leg gone', 5000);
    trunk.proc.kill('SIGTERM');
  });

  it('given a live call, when a supervisor listens from sup001, then their softphone answers and Asterisk bridges it with a snoop on the operator\'s channel', async () => {
    await phone('op001');
    const sup = await phone('sup001');
    await reachable('op001');
    await waitFor(() => /sup001\/sip:sup001/.test(asteriskCli('pjsip show contacts')), 'sup001 registered', 10_000);
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 9000, ...pressKey('2', 500) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected', 15_000);
    const response = await service.supervisorPost<{ channelId: string }>(`/api/supervisor/calls/${call!.id}/monitor`, { endpoint: 'sup001', mode: 'listen' });
    expect(response.status).toBe(202);
    await waitFor(() => sup.count('CALL_ESTABLISHED') === 1, 'supervisor phone answered', 5000);
    const bridge = await waitFor(async () => {
      const b = await ari<{ channels: string[] } | { message: string }>(`/bridges/monitor-${response.body.channelId}`);
      return 'channels' in b && b.channels.length === 2 && b;
    }, 'monitor bridge with two channels', 5000);
    const names = await Promise.all(bridge.channels.map(async (id) => (await ari<{ name: string }>(`/channels/${id}`)).name));
    expect(names.some((n) => n.startsWith('Snoop/'))).toBe(true);
    expect(names.some((n) => n.startsWith('PJSIP/sup001-'))).toBe(true);
    expect((await ari<{ channels: string[] }>(`/bridges/call-${call!.id}`)).channels).toHaveLength(2);
    await run.done;
    await waitFor(() => sup.count('CALL_CLOSED') === 1, 'supervisor released when the call ends', 5000);
  });

  it('given a live call, when a supervisor barges from sup002, then their softphone joins the call\'s own bridge with caller and operator', async () => {
    await phone('op001');
    const sup = await phone('sup002');
    await reachable('op001');
    await waitFor(() => /sup002\/sip:sup002/.test(asteriskCli('pjsip show contacts')), 'sup002 registered', 10_000);
    await loginWhenFree('op001');
    const caller = uniqueCaller();
    const run = sipp({ number: '112', caller, holdMs: 8000, ...pressKey('2', 500) });
    const call = await waitFor(async () => (await callOf(caller))?.state === 'connected' && callOf(caller), 'connected', 15_000);
    const response = await service.supervisorPost(`/api/supervisor/calls/${call!.id}/monitor`, { endpoint: 'sup002', mode: 'barge' });
    expect(response.status).toBe(202);
    const bridge = await waitFor(async () => {
      const b = await ari<{ channels: string[] }>(`/bridges/call-${call!.id}`);
      return b.channels.length === 3 && b;
    }, 'three parties in the call bridge', 5000);
    const names = await Promise.all(bridge.channels.map(async (id) => (await ari<{ name: string }>(`/channels/${id}`)).name));
    expect(names.filter((n) => n.startsWith('PJSIP/sup002-'))).toHaveLength(1);
    expect(sup.count('CALL_ESTABLISHED')).toBe(1);
    await run.done;
    await waitFor(() => sup.count('CALL_CLOSED') === 1, 'supervisor released when the caller hangs up', 5000);
  });
});

/** The samples of a 16-bit PCM WAV file (Asterisk's "wav" format: 8 kHz mono signed linear). */
function pcm16(file: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'data') {
      const data = file.subarray(offset + 8, offset + 8 + Math.min(size, file.length - offset - 8));
      return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the recording');
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
