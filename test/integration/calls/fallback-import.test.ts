import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FallbackImporter } from '../../../src/calls/fallback-import.js';
import { coreHarness } from '../../helpers/core.js';

let harness: ReturnType<typeof coreHarness>;
afterEach(() => harness?.close());

const cdr = (uniqueid: string, extra: Record<string, unknown> = {}) => `${JSON.stringify({
  uniqueid, linkedid: uniqueid, channel: 'PJSIP/citizens-1', dstchannel: '', start: 1795823756.1, answer: 1795823756.2,
  end: 1795823758.5, src: '0812', clid: '"Ani" <0812>', dst: 's', dcontext: 'emergency-fallback',
  disposition: 'ANSWERED', userfield: 'fallback', dialled: '112', ...extra,
})}\n`;

function setup() {
  harness = coreHarness();
  const path = join(mkdtempSync(join(tmpdir(), 'siaga112-cdr-')), 'siaga112.jsonl');
  return { path, importer: new FallbackImporter(path, harness.database.db, harness.repo, harness.log, harness.events) };
}

describe('import of calls the dialplan fallback handled', () => {
  it('given fallback records, then each becomes a call with reason fallback, once', async () => {
    const { path, importer } = setup();
    writeFileSync(path, cdr('100.1') + cdr('100.2', { userfield: '' }) + cdr('100.3', { src: '0899', dialled: '110' }));
    expect(await importer.importNew()).toBe(2);
    expect(harness.repo.findByChannelId('100.1')).toMatchObject({
      callerNumber: '0812', callerName: 'Ani', dialledNumber: '112', state: 'fallback', endReason: 'fallback',
      arrivedAt: 1795823756100, answeredAt: 1795823756200, endedAt: 1795823758500,
    });
    expect(harness.repo.findByChannelId('100.2')).toBeUndefined();
    expect(harness.repo.findByChannelId('100.3')).toMatchObject({ dialledNumber: '110' });
    expect(await importer.importNew()).toBe(0);
    expect(harness.repo.list({ limit: 10, offset: 0 }).total).toBe(2);
  });

  it('given a line still being written, then it is imported only once complete', async () => {
    const { path, importer } = setup();
    const line = cdr('200.1');
    writeFileSync(path, line.slice(0, 40));
    expect(await importer.importNew()).toBe(0);
    appendFileSync(path, line.slice(40));
    expect(await importer.importNew()).toBe(1);
  });

  it('given a malformed line between good ones, then the good ones are imported', async () => {
    const { path, importer } = setup();
    writeFileSync(path, `${cdr('300.1')}{"broken\n${cdr('300.2')}`);
    expect(await importer.importNew()).toBe(2);
  });

  it('given a call siaga112 itself handed to the fallback, then no duplicate is made and its real end time is kept', async () => {
    const { path, importer } = setup();
    const channel = harness.telephony.arrive();
    // A drain with no time left hands the live call to the fallback, as on shutdown.
    await harness.service.drain(0);
    const row = harness.repo.findByChannelId(channel.id)!;
    expect(row.state).toBe('fallback');
    const realEnd = (row.endedAt! + 60_000) / 1000;
    writeFileSync(path, cdr(channel.id, { end: realEnd }));
    expect(await importer.importNew()).toBe(0);
    expect(harness.repo.findByChannelId(channel.id)?.endedAt).toBe(Math.round(realEnd * 1000));
    expect(harness.repo.events(row.id).at(-1)?.type).toBe('ended-in-fallback');
  });

  it('given a waiting caller closed as ended while down at the moment siaga112 found out, when Asterisk\'s record of their channel arrives, then the end and the wait become the true ones', async () => {
    const { path, importer } = setup();
    const now = harness.clock.now();
    harness.repo.create({ id: 'a0000000-0000-4000-8000-000000000001', channelId: '400.1', callerNumber: '0811', dialledNumber: '112', state: 'abandoned', arrivedAt: now - 60_000 }, { type: 'arrived', at: now - 60_000 });
    harness.repo.change('a0000000-0000-4000-8000-000000000001', { enqueuedAt: now - 50_000, endedAt: now, endReason: 'ended-while-down', queueWaitMs: 50_000 }, { type: 'caller-hangup', at: now });
    writeFileSync(path, cdr('400.1', { end: (now - 30_000) / 1000, userfield: '' }));
    expect(await importer.importNew()).toBe(0);
    expect(harness.repo.findByChannelId('400.1')).toMatchObject({ endedAt: now - 30_000, channelEndedAt: now - 30_000, queueWaitMs: 20_000, endReason: 'ended-while-down' });
  });

  it('given a caller the guardian handed over who hung up while siaga112 was down, then the open call is closed as a hand-over by the guardian at its true end', async () => {
    const { path, importer } = setup();
    const now = harness.clock.now();
    harness.repo.create({ id: 'a0000000-0000-4000-8000-000000000002', channelId: '400.2', callerNumber: '0811', dialledNumber: '112', state: 'ivr', arrivedAt: now - 20_000 }, { type: 'arrived', at: now - 20_000 });
    writeFileSync(path, cdr('400.2', { end: (now - 5000) / 1000, handover: 'guardian' }));
    await importer.importNew();
    expect(harness.repo.findByChannelId('400.2')).toMatchObject({ state: 'fallback', fallbackReason: 'guardian', endReason: 'fallback', endedAt: now - 5000 });
  });

  it('given a call that ended normally, then its CDR line changes nothing', async () => {
    const { path, importer } = setup();
    const channel = harness.telephony.arrive();
    harness.telephony.callerHangsUp(channel.id);
    const before = harness.repo.findByChannelId(channel.id)!;
    writeFileSync(path, cdr(channel.id, { end: (before.endedAt! + 400) / 1000, userfield: '' }));
    await importer.importNew();
    expect(harness.repo.findByChannelId(channel.id)).toEqual(before);
    expect(harness.repo.events(before.id).map((e) => e.type)).not.toContain('channel-ended');
  });

  it('given no CDR file yet, then nothing happens', async () => {
    const { importer } = setup();
    expect(await importer.importNew()).toBe(0);
  });
});
