import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { ReportWorker } from '../../../src/reports/report-worker.js';

let worker: ReportWorker | undefined;
afterEach(async () => {
  await worker?.close();
});

function database(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'siaga112-report-worker-')), 'siaga112.db');
  openDatabase(path).close();
  return path;
}

/** Counting to a billion in a recursive CTE: a query that runs for minutes. */
const ENDLESS = { name: 'endless', sql: 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 1000000000) SELECT count(*) AS n FROM r', params: {} };
const QUICK = { name: 'quick', sql: 'SELECT count(*) AS n FROM calls WHERE arrived_at >= @from', params: { from: 0 } };

describe('the report thread', () => {
  it('given a query, then it runs on another thread, read-only, and answers its rows', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 5000, maxQueued: 4 });
    const run = await worker.run([QUICK]);
    expect(run.results).toEqual({ quick: [{ n: 0 }] });
    expect(run.threadId).not.toBe(threadId);
    await expect(worker.run([{ name: 'write', sql: "INSERT INTO cdr_import (source, inode, offset) VALUES ('x', 1, 1) RETURNING source", params: {} }])).rejects.toMatchObject({ status: 500, errorId: 'report-failed', message: expect.stringMatching(/readonly/) });
  });

  it('given a report over its time, then it is refused 503 at once and the next report gets a fresh thread', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 1500, maxQueued: 4 });
    const started = performance.now();
    await expect(worker.run([ENDLESS])).rejects.toMatchObject({ status: 503, errorId: 'report-timeout' });
    expect(performance.now() - started).toBeLessThan(4000);
    expect((await worker.run([QUICK])).results.quick).toEqual([{ n: 0 }]);
  });

  it('given more reports waiting than allowed, then the extra one is refused 503 reports-busy', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 1500, maxQueued: 1 });
    const first = worker.run([ENDLESS]);
    const second = worker.run([QUICK]);
    await expect(worker.run([QUICK])).rejects.toMatchObject({ status: 503, errorId: 'reports-busy' });
    await expect(first).rejects.toMatchObject({ errorId: 'report-timeout' });
    expect((await second).results.quick).toEqual([{ n: 0 }]);
  });
});
