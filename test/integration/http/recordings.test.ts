import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreHarness, TEST_API_TOKEN, TEST_SUPERVISOR_TOKEN, testApp } from '../../helpers/core.js';
import { RecordingStore } from '../../../src/recordings/recording-store.js';
import { RecordingsRepository } from '../../../src/db/recordings-repository.js';

let h: ReturnType<typeof coreHarness>;
afterEach(() => h?.close());

const supervisor = { authorization: `Bearer ${TEST_SUPERVISOR_TOKEN}` };
const CALL_ID = '6f1c2b9e-0000-4000-8000-000000000001';

function recordedCall(dir: string, endedAt = h.clock.now()) {
  h.repo.create({ id: CALL_ID, channelId: 'chan-rec', callerNumber: '0811', dialledNumber: '112', state: 'ended', arrivedAt: endedAt - 60_000 }, { type: 'arrived', at: endedAt - 60_000 });
  h.repo.change(CALL_ID, { recordingName: `call-${CALL_ID}`, connectedAt: endedAt - 30_000, endedAt, operatorId: 'op001' }, { type: 'test', at: endedAt });
  const audio = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  writeFileSync(join(dir, `call-${CALL_ID}.wav`), audio);
  return audio;
}

describe('recordings API (supervisors)', () => {
  it('given a recorded call, then a supervisor lists it, downloads it whole, and gets any byte range as 206', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siaga112-rec-'));
    h = coreHarness({ recordingsDir: dir });
    const audio = recordedCall(dir);
    const app = await testApp(h);
    const list = await app.inject({ method: 'GET', url: '/api/supervisor/recordings', headers: supervisor });
    expect(list.json()).toMatchObject({ total: 1, items: [{ callId: CALL_ID, name: `call-${CALL_ID}`, operatorId: 'op001' }] });
    const whole = await app.inject({ method: 'GET', url: `/api/supervisor/recordings/${CALL_ID}`, headers: supervisor });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('audio/wav');
    expect(whole.rawPayload.equals(audio)).toBe(true);
    const part = await app.inject({ method: 'GET', url: `/api/supervisor/recordings/${CALL_ID}`, headers: { ...supervisor, range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect(part.rawPayload.equals(audio.subarray(100, 200))).toBe(true);
    const tail = await app.inject({ method: 'GET', url: `/api/supervisor/recordings/${CALL_ID}`, headers: { ...supervisor, range: 'bytes=-10' } });
    expect(tail.rawPayload.equals(audio.subarray(990))).toBe(true);
    const outside = await app.inject({ method: 'GET', url: `/api/supervisor/recordings/${CALL_ID}`, headers: { ...supervisor, range: 'bytes=5000-' } });
    expect(outside.statusCode).toBe(416);
    expect(outside.json().error).toBe('range-not-satisfiable');
    await app.close();
  });

  it('given the API token, an unknown call or a bad id, then the download is refused with the right status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siaga112-rec-'));
    h = coreHarness({ recordingsDir: dir });
    recordedCall(dir);
    const app = await testApp(h);
    expect((await app.inject({ method: 'GET', url: `/api/supervisor/recordings/${CALL_ID}`, headers: { authorization: `Bearer ${TEST_API_TOKEN}` } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/supervisor/recordings/6f1c2b9e-0000-4000-8000-000000000099', headers: supervisor })).statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/supervisor/recordings/..%2F..%2Fetc%2Fpasswd', headers: supervisor });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });

  it('given a recording older than the retention period, then the sweep deletes it in Asterisk and it is no longer listed', async () => {
    h = coreHarness();
    const dir = mkdtempSync(join(tmpdir(), 'siaga112-rec-'));
    recordedCall(dir, h.clock.now() - 10 * 86_400_000);
    const store = new RecordingStore(new RecordingsRepository(h.database.db), dir, h.telephony, h.clock, h.log);
    expect(await store.sweep(30 * 86_400_000)).toBe(0);
    expect(await store.sweep(7 * 86_400_000)).toBe(1);
    expect(h.telephony.deletedRecordings).toEqual([`call-${CALL_ID}`]);
    expect(store.list(10, 0).total).toBe(0);
    expect(h.repo.findById(CALL_ID)!.recordingDeletedAt).not.toBeNull();
  });
});
