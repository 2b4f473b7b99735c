import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBehindOf } from '../../../src/db/write-behind.js';
import { coreHarness } from '../../helpers/core.js';
import { ringingAt } from '../../helpers/queue.js';
import { waitFor } from '../../helpers/wait-for.js';

let h: ReturnType<typeof coreHarness>;
let other: Database.Database | undefined;
afterEach(() => {
  other?.close();
  other = undefined;
  h?.close();
});

/** Another process's connection holding the database's write lock until released. */
function lockDatabase(path: string): () => void {
  other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return () => other!.exec('ROLLBACK');
}

describe('a database locked by another process', () => {
  it('given the write lock held elsewhere, then a caller is still answered, queued and offered without the event loop stalling, and once the lock is gone the record is written complete and in order', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'siaga112-lock-')), 'siaga112.db');
    h = coreHarness({ queue: true, dbPath });
    h.parts.operators.login('op001');
    const release = lockDatabase(dbPath);

    const started = performance.now();
    const channel = h.telephony.arrive({ callerNumber: '0811999000' });
    const stalledMs = performance.now() - started;
    expect(stalledMs).toBeLessThan(200);
    const greeting = await waitFor(() => h.telephony.lastPlayback(channel.id), 'greeting played');
    // The greeting plays a moment, shorter than one retry of the write-behind queue.
    await h.clock.advance(200);
    h.telephony.finishPlayback(greeting);
    const [leg] = await ringingAt(h, 'PJSIP/op001');
    expect(h.telephony.commandsFor(channel.id)).toEqual(expect.arrayContaining(['answer', 'play']));
    expect(h.repo.findByChannelId(channel.id)).toBeUndefined();
    expect(writeBehindOf(h.database.db).pending).toBeGreaterThan(3);

    const releasedAt = h.clock.now();
    release();
    await h.clock.advance(250);
    await waitFor(() => writeBehindOf(h.database.db).pending === 0, 'delayed writes flushed');
    const row = h.repo.findByChannelId(channel.id)!;
    expect(row).toMatchObject({ callerNumber: '0811999000', state: 'offered' });
    const events = h.repo.events(row.id);
    expect(events.map((e) => e.type)).toEqual(['arrived', 'answered', 'prompt-started', 'prompt-finished', 'enqueued', 'offered']);
    // The times are those of the moments they happened, not of the flush.
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
    expect(events.at(-1)!.at).toBeLessThanOrEqual(releasedAt);
    expect(h.parts.offers.byChannel(leg!)).toMatchObject({ callId: row.id, target: 'op001' });
  });
});
