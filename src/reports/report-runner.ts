import type Database from 'better-sqlite3';
import type { ReportStatement } from '../db/reports/report-sql.js';
import { type ReportRun, ReportWorker } from './report-worker.js';

/** Where report queries run. */
export interface ReportRunner {
  run(statements: ReportStatement[]): Promise<ReportRun>;
  close(): Promise<void>;
}

/**
 * A database file gets the report thread. An in-memory database (some fast tests) cannot be
 * opened by a second connection, so its reports run on the service's own connection: that is
 * never the case in production, where SIAGA112_DB_PATH is a file.
 */
export function reportRunner(sqlite: Database.Database, settings: { timeoutMs: number; maxQueued: number }): ReportRunner {
  if (!sqlite.memory) return new ReportWorker(sqlite.name, settings);
  return {
    run: (statements) => {
      const started = performance.now();
      const results = Object.fromEntries(statements.map((s) => [s.name, sqlite.prepare(s.sql).all(s.params) as Array<Record<string, unknown>>]));
      return Promise.resolve({ results, ms: performance.now() - started, threadId: 0 });
    },
    close: () => Promise.resolve(),
  };
}
