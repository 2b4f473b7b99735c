import { and, asc, desc, eq, gte, inArray, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { preparedInsert } from './bulk-insert.js';
import type { Db } from './database.js';
import { incidentCalls, incidentEvents, incidents, incidentSubcategories, surgeDecisions } from './incident-schema.js';

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentEventRow = typeof incidentEvents.$inferSelect;
export type IncidentCallRow = typeof incidentCalls.$inferSelect;
export type SurgeDecisionRow = typeof surgeDecisions.$inferSelect;

/** Incidents, their event log, the calls linked to them, surge decisions and subcategories. */
export class IncidentsRepository {
  constructor(private readonly db: Db) {}

  /** One transaction over everything `write` does (same connection: its statements are the transaction's). */
  transaction<T>(write: () => T): T {
    return this.db.transaction(() => write());
  }

  insertIncident(row: IncidentRow): void {
    this.db.insert(incidents).values(row).run();
  }

  /**
   * Writes incidents with their events and linked calls (bulk: the demo year), events in the
   * order given: an incident's current view folds its events by id, so give them oldest first.
   */
  insertHistory(rows: readonly IncidentRow[], events: readonly Omit<IncidentEventRow, 'id'>[], links: readonly IncidentCallRow[]): void {
    this.db.transaction(() => {
      preparedInsert(this.db, incidents)(rows);
      preparedInsert(this.db, incidentEvents)(events);
      preparedInsert(this.db, incidentCalls)(links);
    });
  }

  find(id: string): IncidentRow | undefined {
    return this.db.select().from(incidents).where(eq(incidents.id, id)).get();
  }

  recent(limit: number): IncidentRow[] {
    return this.db.select().from(incidents).orderBy(desc(incidents.createdAt), desc(incidents.id)).limit(limit).all();
  }

  appendEvent(row: Omit<IncidentEventRow, 'id'>): void {
    this.db.insert(incidentEvents).values(row).run();
  }

  eventsOf(incidentId: string): IncidentEventRow[] {
    return this.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.id)).all();
  }

  link(row: IncidentCallRow): void {
    this.db.insert(incidentCalls).values(row).run();
  }

  linkOf(callId: string): IncidentCallRow | undefined {
    return this.db.select().from(incidentCalls).where(eq(incidentCalls.callId, callId)).get();
  }

  linksOf(callIds: readonly string[]): IncidentCallRow[] {
    if (callIds.length === 0) return [];
    return this.db.select().from(incidentCalls).where(inArray(incidentCalls.callId, [...callIds])).all();
  }

  /** In the order they were linked (rowid breaks ties within one millisecond: the first call stays first). */
  callsOf(incidentId: string): IncidentCallRow[] {
    return this.db.select().from(incidentCalls).where(eq(incidentCalls.incidentId, incidentId)).orderBy(asc(incidentCalls.linkedAt), sql`rowid`).all();
  }

  subcategories(): Array<typeof incidentSubcategories.$inferSelect> {
    return this.db.select().from(incidentSubcategories).all();
  }

  replaceSubcategories(rows: Array<typeof incidentSubcategories.$inferInsert>): void {
    this.db.transaction(() => {
      this.db.delete(incidentSubcategories).run();
      for (const row of rows) this.db.insert(incidentSubcategories).values(row).run();
    });
  }

  addSurgeDecision(row: Omit<SurgeDecisionRow, 'id'>): SurgeDecisionRow {
    return this.db.insert(surgeDecisions).values(row).returning().get();
  }

  surgeDecisions(): SurgeDecisionRow[] {
    return this.db.select().from(surgeDecisions).orderBy(asc(surgeDecisions.id)).all();
  }

  /** Decisions made since `at`: a surge's key names its first call, so older ones cannot match a surge of the window. */
  surgeDecisionsSince(at: number): SurgeDecisionRow[] {
    return this.db.select().from(surgeDecisions).where(gte(surgeDecisions.at, at)).orderBy(asc(surgeDecisions.id)).all();
  }

  /** Accepted surges whose mass-call event has not ended (at most a few: one announcement runs at a time). */
  openMassCalls(): SurgeDecisionRow[] {
    const ended = alias(surgeDecisions, 'ended');
    return this.db.select().from(surgeDecisions).where(and(
      eq(surgeDecisions.decision, 'accepted'),
      notExists(this.db.select({ id: ended.id }).from(ended).where(and(eq(ended.surgeKey, surgeDecisions.surgeKey), eq(ended.decision, 'ended')))),
    )).orderBy(asc(surgeDecisions.id)).all();
  }
}
