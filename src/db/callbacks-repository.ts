import { and, desc, eq, inArray } from 'drizzle-orm';
import { preparedInsert } from './bulk-insert.js';
import type { Db } from './database.js';
import { writeBehindOf } from './write-behind.js';
import { callbacks } from './schema.js';

export type CallbackRow = typeof callbacks.$inferSelect;
export type CallbackChange = Partial<Pick<CallbackRow, 'status' | 'operatorId' | 'attempts' | 'outcome' | 'matchedCallId' | 'answeredAt' | 'updatedAt'>>;

/** Callbacks owed to abandoned callers. */
export class CallbacksRepository {
  constructor(private readonly db: Db) {}

  create(row: Pick<CallbackRow, 'id' | 'callId' | 'number' | 'numberKey' | 'createdAt'>): void {
    writeBehindOf(this.db).run(() => {
      this.db.insert(callbacks).values({ ...row, status: 'open', updatedAt: row.createdAt }).onConflictDoNothing().run();
    }, undefined);
  }

  /** Writes callbacks as they stand after what was done about them (bulk: the demo year; inside a transaction). */
  insertSettled(rows: readonly CallbackRow[]): void {
    preparedInsert(this.db, callbacks)(rows);
  }

  find(id: string): CallbackRow | undefined {
    return this.db.select().from(callbacks).where(eq(callbacks.id, id)).get();
  }

  /** Callbacks still owed (open, or tried without reaching the caller), newest first. */
  owed(): CallbackRow[] {
    return this.db.select().from(callbacks).where(inArray(callbacks.status, ['open', 'failed'])).orderBy(desc(callbacks.createdAt)).all();
  }

  /** Callbacks still owed to one normalised number (an indexed lookup: it runs on every new call). */
  owedTo(numberKey: string): CallbackRow[] {
    return this.db.select().from(callbacks)
      .where(and(eq(callbacks.numberKey, numberKey), inArray(callbacks.status, ['open', 'failed']))).all();
  }

  change(id: string, change: CallbackChange): void {
    writeBehindOf(this.db).run(() => {
      this.db.update(callbacks).set(change).where(eq(callbacks.id, id)).run();
    }, undefined);
  }
}
