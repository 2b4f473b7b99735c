import { and, asc, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { amlPending, intakeRejections, kecamatanMaps, landlines, locationFixes } from './location-schema.js';
import { preparedInsert } from './bulk-insert.js';
import { type WriteBehind, writeBehindOf } from './write-behind.js';

export type FixRow = typeof locationFixes.$inferSelect;
export type NewFixRow = typeof locationFixes.$inferInsert;
export type PendingRow = typeof amlPending.$inferSelect;
export type LandlineRow = typeof landlines.$inferSelect;
export type RejectionRow = typeof intakeRejections.$inferSelect;

/**
 * Location fixes, AML messages waiting for their call, the landline registry, refused intake
 * and uploaded kecamatan maps. Fixes and rejections are written through the connection's
 * write-behind queue (a locked database delays them, in order, never loses them).
 */
export class LocationRepository {
  private readonly writer: WriteBehind;

  constructor(private readonly db: Db) {
    this.writer = writeBehindOf(db);
  }

  /** Appends a fix (while the database is locked, later, in order). */
  addFix(fix: NewFixRow): void {
    this.writer.run(() => { this.db.insert(locationFixes).values(fix).run(); }, undefined);
  }

  /** Appends fixes in the order given, at once (bulk: the demo year; inside a transaction, no write-behind). */
  addFixes(rows: readonly NewFixRow[]): void {
    preparedInsert(this.db, locationFixes)(rows);
  }

  fixesOf(callId: string): FixRow[] {
    return this.db.select().from(locationFixes).where(eq(locationFixes.callId, callId)).orderBy(asc(locationFixes.receivedAt), asc(sql`rowid`)).all();
  }

  fixById(id: string): FixRow | undefined {
    return this.db.select().from(locationFixes).where(eq(locationFixes.id, id)).get();
  }

  addPending(row: Omit<typeof amlPending.$inferInsert, 'id'>): void {
    this.writer.run(() => { this.db.insert(amlPending).values(row).run(); }, undefined);
  }

  /** The newest `limit` messages for a number received within [from, to] that no call has taken yet, oldest first. */
  pendingFor(numberKey: string, from: number, to: number, limit = 1000): PendingRow[] {
    return this.db.select().from(amlPending)
      .where(and(eq(amlPending.number, numberKey), isNull(amlPending.attachedCallId), gte(amlPending.receivedAt, from), lte(amlPending.receivedAt, to)))
      .orderBy(desc(amlPending.id)).limit(limit).all().reverse();
  }

  /**
   * A held message becomes a fix of its call, in one transaction (never one without the other).
   * `taken`: another call took it first; `delayed`: the database is locked, it is written later.
   */
  attachPending(pendingId: number, callId: string, at: number, fix: NewFixRow): 'attached' | 'taken' | 'delayed' {
    return this.writer.run(() => this.db.transaction((tx) => {
      const taken = tx.update(amlPending).set({ attachedCallId: callId, attachedAt: at })
        .where(and(eq(amlPending.id, pendingId), isNull(amlPending.attachedCallId))).run();
      if (taken.changes === 0) return 'taken' as const;
      tx.insert(locationFixes).values(fix).run();
      return 'attached' as const;
    }), 'delayed' as const);
  }

  landline(numberKey: string): LandlineRow | undefined {
    return this.db.select().from(landlines).where(eq(landlines.number, numberKey)).get();
  }

  /**
   * Adds or replaces registry entries, all in one transaction, through one prepared statement
   * (building a query per row made a 50,000-row import hold the event loop for seconds).
   */
  upsertLandlines(rows: LandlineRow[]): void {
    const upsert = this.db.insert(landlines).values({
      number: sql.placeholder('number'), civic: sql.placeholder('civic'), latitude: sql.placeholder('latitude'),
      longitude: sql.placeholder('longitude'), label: sql.placeholder('label'), importedAt: sql.placeholder('importedAt'),
    }).onConflictDoUpdate({
      target: landlines.number,
      set: { civic: sql`excluded.civic`, latitude: sql`excluded.latitude`, longitude: sql`excluded.longitude`, label: sql`excluded.label`, importedAt: sql`excluded.imported_at` },
    }).prepare();
    this.db.transaction(() => {
      for (const row of rows) upsert.run(row);
    });
  }

  landlineCount(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(landlines).get()?.n ?? 0;
  }

  reject(row: Omit<typeof intakeRejections.$inferInsert, 'id'>): void {
    this.writer.run(() => { this.db.insert(intakeRejections).values(row).run(); }, undefined);
  }

  rejections(limit: number, offset: number): { total: number; items: RejectionRow[] } {
    const total = this.db.select({ n: sql<number>`count(*)` }).from(intakeRejections).get()?.n ?? 0;
    const items = this.db.select().from(intakeRejections).orderBy(desc(intakeRejections.id)).limit(limit).offset(offset).all();
    return { total, items };
  }

  latestKecamatanMap(): string | undefined {
    return this.db.select({ geojson: kecamatanMaps.geojson }).from(kecamatanMaps).orderBy(desc(kecamatanMaps.id)).limit(1).get()?.geojson;
  }

  addKecamatanMap(geojson: string, uploadedBy: string, at: number): void {
    this.db.insert(kecamatanMaps).values({ geojson, uploadedBy, uploadedAt: at }).run();
  }
}
