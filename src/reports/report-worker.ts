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
  private readonly queue: Pending[] = [];
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private nextId = 1;

  constructor(private readonly dbPath: string, private readonly settings: { timeoutMs: number; maxQueued: number }) {}

  run(statements: ReportStatement[]): Promise<ReportRun> {
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
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      // The thread is dropped first: the next report must not be queued behind this one in it.
      void this.worker?.terminate();
      this.worker = null;
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
      else this.finish(message.id, new DomainError(500, 'report-failed', `the report query failed: ${message.error ?? 'unknown'}`));
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.worker = null;
      if (this.current) this.finish(this.current.id, new DomainError(503, 'report-failed', `the report thread failed: ${error.message}`));
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
