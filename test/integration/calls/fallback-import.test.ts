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
  return { path, importer: new FallbackImporter(path, harness.database.db, harness.repo, harness.log) };
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

  it('given no CDR file yet, then nothing happens', async () => {
    const { importer } = setup();
    expect(await importer.importNew()).toBe(0);
  });
});
