import { mkdirSync } from 'node:fs';
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
