import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ReportStatement } from '../db/reports/report-sql.js';
import { DomainError } from '../errors.js';

/**
 * The thread's code. It only runs the statements it is sent, on its own read-only connection, in
 * one read transaction (every statement of a report sees the same snapshot; WAL lets it read
 * beside the service's writer). Kept as source text and started with `eval` so the same code
 * runs from src under the tests and from dist in production; the driver is the service's own
 * better-sqlite3, resolved by the main thread.
 */
const THREAD_SOURCE = `
const { parentPort, workerData, threadId } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 2000');
parentPort.on('message', ({ id, statements }) => {
  const started = performance.now();
  try {
    db.exec('BEGIN');
    const results = {};
    try {
      for (const s of statements) results[s.name] = db.prepare(s.sql).all(s.params);
    } finally {
      db.exec('COMMIT');
    }
    parentPort.postMessage({ id, ok: true, results, ms: performance.now() - started, threadId });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error && error.message || error) });
  }
});
`;

/** What SQLite said stays in the log (the error's cause), not in the answer; a locked database is worth a retry. */
function failure(sqliteMessage: string): DomainError {
  const cause = new Error(sqliteMessage);
  if (/SQLITE_BUSY|database is locked/i.test(sqliteMessage)) return new DomainError(503, 'database-busy', 'the database is busy; try the report again shortly', undefined, { cause });
  return new DomainError(500, 'report-failed', 'the report could not be computed; the log has why', undefined, { cause });
}

export interface ReportRun {
  results: Record<string, Array<Record<string, unknown>>>;
  /** How long the queries took in the thread. */
  ms: number;
  /** The thread that ran them (never the main thread's 0): what the tests check. */
  threadId: number;
}

type Pending = { id: number; statements: ReportStatement[]; resolve: (run: ReportRun) => void; reject: (error: Error) => void };

/**
 * Runs report queries off the main thread, one report at a time, each within `timeoutMs`. A
 * report over its time is answered 503 at once; its thread is terminated (it stops when SQLite
 * returns control) and the next report gets a fresh one. Call handling never waits on it.
 */
export class ReportWorker {
  private worker: Worker | null = null;
  /**
   * Threads told to stop that have not exited yet: terminate() cannot interrupt SQLite inside
   * a query, so a timed-out report runs on until its query returns. While one does, no new
   * report starts (retrying a too-long report must not pile up threads beside the calls).
   */
  private readonly stopping = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private nextId = 1;

  constructor(private readonly dbPath: string, private readonly settings: { timeoutMs: number; maxQueued: number }) {}

  run(statements: ReportStatement[]): Promise<ReportRun> {
    if (this.stopping.size > 0) {
      return Promise.reject(new DomainError(503, 'reports-busy', 'an earlier report that ran too long is still being stopped; try again shortly'));
    }
    if (this.queue.length >= this.settings.maxQueued) {
      return Promise.reject(new DomainError(503, 'reports-busy', `${this.queue.length} reports are waiting; try again shortly`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, statements, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    for (const waiting of this.queue.splice(0)) waiting.reject(new DomainError(503, 'reports-stopped', 'the service is stopping'));
    if (this.current) this.finish(this.current.id, new DomainError(503, 'reports-stopped', 'the service is stopping'));
    await this.worker?.terminate();
    this.worker = null;
  }

  private next(): void {
    if (this.current || this.stopping.size > 0) return;
    const job = this.queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      // The thread is dropped first: no report may be sent to it any more.
      const stuck = this.worker;
      this.worker = null;
      if (stuck) {
        this.stopping.add(stuck);
        stuck.once('exit', () => {
          this.stopping.delete(stuck);
          this.next();
        });
        void stuck.terminate();
      }
      for (const waiting of this.queue.splice(0)) waiting.reject(new DomainError(503, 'reports-busy', 'an earlier report ran too long; try again shortly'));
      this.finish(job.id, new DomainError(503, 'report-timeout', `the report took longer than ${this.settings.timeoutMs} ms; ask for a shorter range`));
    }, this.settings.timeoutMs);
    this.current = { ...job, timer };
    this.thread().postMessage({ id: job.id, statements: job.statements });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, path: this.dbPath } });
    worker.on('message', (message: { id: number; ok: boolean; error?: string } & ReportRun) => {
      if (message.ok) this.finish(message.id, null, { results: message.results, ms: message.ms, threadId: message.threadId });
      else this.finish(message.id, failure(message.error ?? 'unknown'));
    });
    worker.on('error', (error) => {
      // Only this thread's own report fails with it (an old, stopped thread's error is not news).
      if (this.worker !== worker) return;
      this.worker = null;
      if (this.current) this.finish(this.current.id, new DomainError(503, 'report-failed', 'the report thread failed; the log has why', undefined, { cause: error }));
    });
    // An idle report thread must not keep the process alive at shutdown.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private finish(id: number, error: Error | null, run?: ReportRun): void {
    const current = this.current;
    if (!current || current.id !== id) return;
    clearTimeout(current.timer);
    this.current = null;
    if (error) current.reject(error);
    else current.resolve(run!);
    this.next();
  }
}
