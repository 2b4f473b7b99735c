import { and, desc, eq, gt, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { preparedInsert } from './bulk-insert.js';
import type { Db } from './database.js';
import { callDispositions, numberClearances } from './schema.js';

export type DispositionRow = typeof callDispositions.$inferSelect;
export type NewDispositionRow = Omit<typeof callDispositions.$inferInsert, 'id'>;

/** Dispositions and clearances: append-only, so every change of a number's standing is audited. */
export class DispositionsRepository {
  constructor(private readonly db: Db) {}

  add(row: Omit<typeof callDispositions.$inferInsert, 'id'>): DispositionRow {
    return this.db.insert(callDispositions).values(row).returning().get();
  }

  /** Appends verdicts in the order given (bulk: the demo year; inside a transaction). */
  addMany(rows: readonly NewDispositionRow[]): void {
    preparedInsert(this.db, callDispositions)(rows);
  }

  forCall(callId: string): DispositionRow[] {
    return this.db.select().from(callDispositions).where(eq(callDispositions.callId, callId)).orderBy(desc(callDispositions.id)).all();
  }

  /**
   * Times of prank marks on a number after `since`: calls whose current (latest) verdict is
   * prank. A verdict corrected later (prank, then valid) no longer counts, and a call marked
   * prank twice counts once: a wrong mark must not push a real caller into the prank lane.
   */
  prankMarkTimes(number: string, since: number): number[] {
    const later = alias(callDispositions, 'later');
    return this.db.select({ at: callDispositions.at }).from(callDispositions)
      .where(and(
        eq(callDispositions.number, number), eq(callDispositions.disposition, 'prank'), gt(callDispositions.at, since),
        notExists(this.db.select({ id: later.id }).from(later).where(and(eq(later.callId, callDispositions.callId), gt(later.id, callDispositions.id)))),
      ))
      .all().map((r) => r.at);
  }

  clear(number: string, by: string, reason: string, at: number): void {
    this.db.insert(numberClearances).values({ number, by, reason, at }).run();
  }

  lastClearance(number: string): number | null {
    return this.db.select({ at: numberClearances.at }).from(numberClearances)
      .where(eq(numberClearances.number, number)).orderBy(desc(numberClearances.at)).get()?.at ?? null;
  }
}
