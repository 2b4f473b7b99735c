import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as incidentSchema from './incident-schema.js';
import * as locationSchema from './location-schema.js';
import * as coreSchema from './schema.js';

const schema = { ...coreSchema, ...locationSchema, ...incidentSchema };
export type Db = BetterSQLite3Database<typeof schema>;

/** The better-sqlite3 connection under a drizzle handle (drizzle keeps it as `$client`). */
export function sqliteOf(db: Db): Database.Database {
  return (db as Db & { $client: Database.Database }).$client;
}

export interface OpenedDatabase {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

/** The migrations folder sits at the repository root, two levels above src/db and dist/db. */
const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * From now on a lock held by another process is waited for only briefly: better-sqlite3 waits on
 * the event loop, which would freeze every call, so the call path's writes wait in memory
 * instead (WriteBehind) and calls go on.
 */
export function waitBrieflyForLocks(opened: OpenedDatabase): void {
  opened.sqlite.pragma('busy_timeout = 25');
}

/**
 * Runs `work` as one write transaction that may await between its statements: all of it is
 * committed, or, when it throws, none of it. better-sqlite3's own transactions must be
 * synchronous; this one holds the write lock across awaits, so it is only for a process that
 * owns its connection (the demo generator's CLI): anything else written on the connection
 * meanwhile would become part of it.
 */
export async function inOneTransaction<T>(opened: OpenedDatabase, work: () => Promise<T>): Promise<T> {
  // A large transaction's pages stay in memory rather than spilling to the WAL over and over
  // (256 MiB: a demo year writes ~280 MB; measured ~15 % faster than the 2 MiB default).
  const cacheSize: unknown = opened.sqlite.pragma('cache_size', { simple: true });
  opened.sqlite.pragma('cache_size = -262144');
  opened.sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    opened.sqlite.exec('COMMIT');
    return result;
  } catch (error) {
    if (opened.sqlite.inTransaction) opened.sqlite.exec('ROLLBACK');
    throw error;
  } finally {
    opened.sqlite.pragma(`cache_size = ${Number(cacheSize)}`);
  }
}

/**
 * How many calls the database at `path` holds, read without changing it (read-only, no
 * migration), so a tool can refuse a database before it touches it; null when there is no
 * file, 0 for a database without a calls table yet. Throws for a file that is not SQLite.
 */
export function countCallsWithoutOpening(path: string): number | null {
  if (path === ':memory:' || !existsSync(path)) return null;
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    if (!sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calls'").get()) return 0;
    return (sqlite.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** A migration that could not be applied: start-up prints it and exits non-zero. */
export class MigrationError extends Error {}

/**
 * Opens (creating if needed) the SQLite database in WAL mode and applies pending migrations.
 * One process, one connection: better-sqlite3 writes synchronously, so each statement is on disk
 * (in the WAL) before the next line of the call flow runs.
 */
export function openDatabase(path: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  // Start-up (migrations, operator rows) may wait for another process's lock; once calls flow,
  // waitBrieflyForLocks() shortens the wait.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  try {
    migrate(db, { migrationsFolder: MIGRATIONS });
  } catch (error) {
    sqlite.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`database migration failed (${path}): ${reason}`);
  }
  return { db, sqlite, close: () => sqlite.close() };
}
