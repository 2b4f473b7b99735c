import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { preparedInsert } from './bulk-insert.js';
import type { Db } from './database.js';
import { agencies, dispatchEvents, dispatches, webhookOutbox } from './incident-schema.js';

export type DispatchRow = typeof dispatches.$inferSelect;
export type DispatchEventRow = typeof dispatchEvents.$inferSelect;
export type OutboxRow = typeof webhookOutbox.$inferSelect;
export type OutboxInsert = Omit<typeof webhookOutbox.$inferInsert, 'id'>;

/** Dispatches, their append-only steps, and the webhook outbox written with them. */
export class DispatchRepository {
  /** Prepared once: the worker asks after every delivery, and building the query is most of its cost. */
  private readonly agencyIds;
  private readonly headOf;

  constructor(private readonly db: Db) {
    this.agencyIds = db.select({ id: agencies.id }).from(agencies).prepare();
    this.headOf = db.select().from(webhookOutbox)
      .where(and(eq(webhookOutbox.agencyId, sql.placeholder('agencyId')), isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.deadAt)))
      .orderBy(asc(webhookOutbox.id)).limit(1).prepare();
  }

  /** Runs `write` as one transaction: a dispatch change and its outbox rows commit together or not at all. */
  transaction<T>(write: () => T): T {
    // One connection: the repository's own statements inside the callback are the transaction's.
    return this.db.transaction(() => write());
  }

  insertDispatch(row: DispatchRow): void {
    this.db.insert(dispatches).values(row).run();
  }

  appendEvent(row: Omit<DispatchEventRow, 'id'>): void {
    this.db.insert(dispatchEvents).values(row).run();
  }

  /**
   * Writes dispatches with their steps (bulk: the demo year), and no webhooks: use it only for
   * agencies without a webhook, whose changes the outbox would not carry anyway.
   */
  insertHistory(rows: readonly DispatchRow[], steps: readonly Omit<DispatchEventRow, 'id'>[]): void {
    this.db.transaction(() => {
      preparedInsert(this.db, dispatches)(rows);
      preparedInsert(this.db, dispatchEvents)(steps);
    });
  }

  find(id: string): DispatchRow | undefined {
    return this.db.select().from(dispatches).where(eq(dispatches.id, id)).get();
  }

  eventsOf(dispatchId: string): DispatchEventRow[] {
    return this.db.select().from(dispatchEvents).where(eq(dispatchEvents.dispatchId, dispatchId)).orderBy(asc(dispatchEvents.seq)).all();
  }

  eventsOfMany(dispatchIds: readonly string[]): DispatchEventRow[] {
    if (dispatchIds.length === 0) return [];
    return this.db.select().from(dispatchEvents).where(inArray(dispatchEvents.dispatchId, [...dispatchIds])).orderBy(asc(dispatchEvents.seq)).all();
  }

  forIncident(incidentId: string): DispatchRow[] {
    return this.db.select().from(dispatches).where(eq(dispatches.incidentId, incidentId)).orderBy(asc(dispatches.requestedAt), asc(dispatches.id)).all();
  }

  /** The newest dispatches, of one agency or of all. */
  recent(limit: number, agencyId?: string): DispatchRow[] {
    const query = this.db.select().from(dispatches);
    const scoped = agencyId === undefined ? query : query.where(eq(dispatches.agencyId, agencyId));
    return scoped.orderBy(desc(dispatches.requestedAt), desc(dispatches.id)).limit(limit).all();
  }

  enqueue(row: OutboxInsert): void {
    // A retried request that re-enqueues the same event is a no-op: one row per key and agency.
    this.db.insert(webhookOutbox).values(row).onConflictDoNothing().run();
  }

  /**
   * Each agency's oldest webhook still to send, when it is due: one at a time per agency, in the
   * order the changes happened, so a receiver never hears "on scene" before "acknowledged".
   */
  dueHeads(now: number): OutboxRow[] {
    // One indexed step per agency (webhook_outbox_pending), not a scan of the backlog: a kick
    // follows every delivery, and an agency that was down for hours may have thousands queued.
    return this.agencyIds.all().flatMap(({ id }) => {
      const head = this.headOf.get({ agencyId: id });
      return head && head.nextAttemptAt <= now ? [head] : [];
    });
  }

  markDelivered(id: number, at: number, attempts: number, firstAttemptAt: number): void {
    this.db.update(webhookOutbox).set({ deliveredAt: at, attempts, firstAttemptAt, lastError: null }).where(eq(webhookOutbox.id, id)).run();
  }

  markFailed(id: number, change: { attempts: number; firstAttemptAt: number; nextAttemptAt: number; lastError: string; deadAt: number | null }): void {
    this.db.update(webhookOutbox).set(change).where(eq(webhookOutbox.id, id)).run();
  }

  outboxEntry(id: number): OutboxRow | undefined {
    return this.db.select().from(webhookOutbox).where(eq(webhookOutbox.id, id)).get();
  }

  deadLetters(limit: number): OutboxRow[] {
    return this.db.select().from(webhookOutbox).where(isNotNull(webhookOutbox.deadAt)).orderBy(desc(webhookOutbox.deadAt)).limit(limit).all();
  }

  /** Puts a dead webhook back in line as if new: a fresh retry budget, due now. */
  revive(id: number, now: number): boolean {
    return this.db.update(webhookOutbox).set({ deadAt: null, attempts: 0, firstAttemptAt: null, nextAttemptAt: now })
      .where(and(eq(webhookOutbox.id, id), isNotNull(webhookOutbox.deadAt))).run().changes === 1;
  }

  pendingCount(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(webhookOutbox).where(and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.deadAt))).get()?.n ?? 0;
  }
}
