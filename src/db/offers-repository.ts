import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { preparedInsert } from './bulk-insert.js';
import { type WriteBehind, writeBehindOf } from './write-behind.js';
import { callOffers, calls } from './schema.js';

export type OfferRow = typeof callOffers.$inferSelect;
export type NewOfferRow = Omit<typeof callOffers.$inferInsert, 'id'>;

/** Offers of queued calls to operators: one row per ring, closed with its outcome. */
export class OffersRepository {
  private readonly writer: WriteBehind;

  constructor(private readonly db: Db) {
    this.writer = writeBehindOf(db);
  }

  open(offer: { callId: string; target: string; channelId: string; decidedAt: number; offeredAt: number }): void {
    this.writer.run(() => {
      this.db.insert(callOffers).values(offer).run();
    }, undefined);
  }

  close(channelId: string, outcome: string, endedAt: number): void {
    this.writer.run(() => {
      this.db.update(callOffers).set({ outcome, endedAt })
        .where(and(eq(callOffers.channelId, channelId), sql`${callOffers.outcome} IS NULL`)).run();
    }, undefined);
  }

  /** Writes rings that are over, each with its outcome (bulk: the demo year; inside a transaction). */
  insertClosed(rows: readonly NewOfferRow[]): void {
    preparedInsert(this.db, callOffers)(rows);
  }

  byChannel(channelId: string): OfferRow | undefined {
    return this.db.select().from(callOffers).where(eq(callOffers.channelId, channelId)).get();
  }

  /**
   * The offer a call was last answered on (its operator leg now), if any: a caller who lost
   * their operator and was answered again has an earlier answered ring too.
   */
  answered(callId: string): OfferRow | undefined {
    return this.db.select().from(callOffers)
      .where(and(eq(callOffers.callId, callId), eq(callOffers.outcome, 'answered'))).orderBy(desc(callOffers.id)).get();
  }

  /** Offers never closed: rings a restart interrupted. */
  unclosed(): OfferRow[] {
    return this.db.select().from(callOffers).where(sql`${callOffers.outcome} IS NULL`).all();
  }

  forCall(callId: string): OfferRow[] {
    return this.db.select().from(callOffers).where(eq(callOffers.callId, callId)).orderBy(callOffers.id).all();
  }

  /** Queue waits of the most recently answered calls (for the expected-wait announcement). */
  recentWaits(limit: number): number[] {
    return this.db.select({ wait: calls.queueWaitMs }).from(calls)
      .where(and(isNotNull(calls.connectedAt), isNotNull(calls.queueWaitMs)))
      .orderBy(desc(calls.connectedAt)).limit(limit).all()
      .map((row) => row.wait ?? 0);
  }
}
