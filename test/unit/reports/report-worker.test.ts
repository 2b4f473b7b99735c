import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { type ReportRun, ReportWorker } from '../../../src/reports/report-worker.js';
import { waitFor } from '../../helpers/wait-for.js';

let worker: ReportWorker | undefined;
afterEach(async () => {
  await worker?.close();
});

function database(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'siaga112-report-worker-')), 'siaga112.db');
  openDatabase(path).close();
  return path;
}

/** Counting to twenty million in a recursive CTE: a query of a few seconds that no terminate() interrupts. */
const SLOW = { name: 'slow', sql: 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 20000000) SELECT count(*) AS n FROM r', params: {} };
const QUICK = { name: 'quick', sql: 'SELECT count(*) AS n FROM calls WHERE arrived_at >= @from', params: { from: 0 } };

describe('the report thread', () => {
  it('given a query, then it runs on another thread, read-only, and a failure names no SQLite internals', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 5000, maxQueued: 4 });
    const run = await worker.run([QUICK]);
    expect(run.results).toEqual({ quick: [{ n: 0 }] });
    expect(run.threadId).not.toBe(threadId);
    const write = worker.run([{ name: 'write', sql: "INSERT INTO cdr_import (source, inode, offset) VALUES ('x', 1, 1) RETURNING source", params: {} }]);
    await expect(write).rejects.toMatchObject({ status: 500, errorId: 'report-failed', message: 'the report could not be computed; the log has why', cause: { message: expect.stringMatching(/readonly/) } });
  });

  it('given a report over its time, then it is refused 503 at once, nothing new starts while its thread still runs, and reports work again once it has stopped', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 500, maxQueued: 4 });
    const started = performance.now();
    await expect(worker.run([SLOW])).rejects.toMatchObject({ status: 503, errorId: 'report-timeout' });
    expect(performance.now() - started).toBeLessThan(1500);
    await expect(worker.run([QUICK])).rejects.toMatchObject({ status: 503, errorId: 'reports-busy' });
    const after = (await waitFor(() => worker!.run([QUICK]).then((run) => run, () => false), 'reports accepted again once the stuck thread exited', 30_000, 250)) as ReportRun;
    expect(after.results.quick).toEqual([{ n: 0 }]);
  }, 40_000);

  it('given more reports waiting than allowed, then the extra one is refused, and those waiting behind a report that times out are refused too', async () => {
    worker = new ReportWorker(database(), { timeoutMs: 500, maxQueued: 1 });
    const first = worker.run([SLOW]);
    const second = worker.run([QUICK]);
    await expect(worker.run([QUICK])).rejects.toMatchObject({ status: 503, errorId: 'reports-busy' });
    await expect(first).rejects.toMatchObject({ errorId: 'report-timeout' });
    await expect(second).rejects.toMatchObject({ errorId: 'reports-busy' });
  });
});
