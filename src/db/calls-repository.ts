import { and, asc, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './database.js';
import { preparedInsert } from './bulk-insert.js';
import { type WriteBehind, writeBehindOf } from './write-behind.js';
import { callEvents, calls } from './schema.js';

export type CallRow = typeof calls.$inferSelect;
export type CallEventRow = typeof callEvents.$inferSelect;
export type NewCall = Omit<typeof calls.$inferInsert, 'state'> & { state: string };
export type NewCallEvent = Omit<typeof callEvents.$inferInsert, 'id'>;

/** A call's tags column: a JSON array (silent-caller, ghost, prank-lane ...). */
export const callTagsSchema = z.array(z.string());
/** A call event's detail column: a JSON object, or null for an event without details. */
export const eventDetailSchema = z.record(z.string(), z.unknown());

/** A call's tags, parsed from the JSON stored in its row. */
export function tagsOf(row: CallRow): string[] {
  return callTagsSchema.parse(JSON.parse(row.tags));
}

/** An event's details, parsed from the JSON stored in its row (null when it has none). */
export function detailOf(row: CallEventRow): Record<string, unknown> | null {
  return row.detail ? eventDetailSchema.parse(JSON.parse(row.detail)) : null;
}

export interface CallFilter {
  from?: number;
  to?: number;
  dialledNumber?: string;
  limit: number;
  offset: number;
}

/**
 * What the call flow changes on a call's row: any column but the call's identity and arrival,
 * which create() writes once.
 */
export type CallChange = Partial<Omit<typeof calls.$inferInsert, 'id' | 'channelId' | 'callerNumber' | 'callerNumberKey' | 'callerName' | 'dialledNumber' | 'arrivedAt'>>;

/**
 * Calls and their event trail. Each write is one transaction: a call row never exists without
 * its 'arrived' event, a state change never without the event that explains it. While the
 * database is locked by another process, writes wait in order in memory (see WriteBehind).
 */
export class CallsRepository {
  private readonly insertCall;
  private readonly insertEvent;
  private readonly byChannel;
  private readonly byId;
  private readonly eventsOf;
  /** Writes wait here, in order, while another process holds the database's write lock. */
  private readonly writer: WriteBehind;

  constructor(private readonly db: Db) {
    this.writer = writeBehindOf(db);
    this.insertCall = db.insert(calls).values({
      id: sql.placeholder('id'), channelId: sql.placeholder('channelId'),
      callerNumber: sql.placeholder('callerNumber'), callerNumberKey: sql.placeholder('callerNumberKey'),
      callerName: sql.placeholder('callerName'),
      dialledNumber: sql.placeholder('dialledNumber'), state: sql.placeholder('state'),
      arrivedAt: sql.placeholder('arrivedAt'), answeredAt: sql.placeholder('answeredAt'),
      endedAt: sql.placeholder('endedAt'), endReason: sql.placeholder('endReason'),
      fallbackReason: sql.placeholder('fallbackReason'),
    }).onConflictDoNothing().prepare();
    this.insertEvent = db.insert(callEvents).values({
      callId: sql.placeholder('callId'), at: sql.placeholder('at'),
      type: sql.placeholder('type'), detail: sql.placeholder('detail'),
    }).prepare();
    this.byChannel = db.select().from(calls).where(eq(calls.channelId, sql.placeholder('channelId'))).prepare();
    this.byId = db.select().from(calls).where(eq(calls.id, sql.placeholder('id'))).prepare();
    this.eventsOf = db.select().from(callEvents).where(eq(callEvents.callId, sql.placeholder('callId')))
      .orderBy(asc(callEvents.id)).prepare();
  }

  /**
   * Writes a new call with its first event. Returns false (and writes nothing) when a call with
   * that channel id already exists.
   */
  create(call: NewCall, event: { type: string; at: number; detail?: object }): boolean {
    return this.writer.run(() => this.db.transaction(() => {
      const result = this.insertCall.run({
        answeredAt: null, endedAt: null, endReason: null, fallbackReason: null, callerName: '', callerNumberKey: '', ...call,
      });
      if (result.changes === 0) return false;
      this.insertEvent.run({ callId: call.id, at: event.at, type: event.type, detail: json(event.detail) });
      return true;
    }), true);
  }

  /** Applies a change to a call and appends the event that explains it, atomically. */
  change(callId: string, change: CallChange, event: { type: string; at: number; detail?: object }): void {
    this.writer.run(() => this.db.transaction((tx) => {
      if (Object.keys(change).length > 0) tx.update(calls).set(change).where(eq(calls.id, callId)).run();
      this.insertEvent.run({ callId, at: event.at, type: event.type, detail: json(event.detail) });
    }), undefined);
  }

  appendEvent(callId: string, event: { type: string; at: number; detail?: object }): void {
    this.writer.run(() => {
      this.insertEvent.run({ callId, at: event.at, type: event.type, detail: json(event.detail) });
    }, undefined);
  }

  /**
   * Writes calls that are already over, each row as its trail left it, with their events in the
   * order given (bulk: the demo year). Not for live calls: nothing here goes through the
   * write-behind queue, so the caller must hold the only connection, inside its own transaction.
   */
  insertFinished(rows: readonly NewCall[], events: readonly NewCallEvent[]): void {
    this.db.transaction(() => {
      preparedInsert(this.db, calls)(rows);
      preparedInsert(this.db, callEvents)(events);
    });
  }

  findByChannelId(channelId: string): CallRow | undefined {
    return this.byChannel.get({ channelId });
  }

  findById(id: string): CallRow | undefined {
    return this.byId.get({ id });
  }

  events(callId: string): CallEventRow[] {
    return this.eventsOf.all({ callId });
  }

  /** Calls still open (no end time), oldest first: what a restart must account for. */
  openCalls(): CallRow[] {
    return this.db.select().from(calls).where(sql`${calls.endedAt} IS NULL`).orderBy(asc(calls.arrivedAt)).all();
  }

  /** Ids of the calls in a state (e.g. wrap-up, which a restart must close). */
  idsInState(state: string): string[] {
    return this.db.select({ id: calls.id }).from(calls).where(eq(calls.state, state)).all().map((row) => row.id);
  }

  /**
   * Fills the normalised caller number of rows written before it existed (migration 0008) that
   * arrived since `since`: an AML message for a call that spans the upgrade still finds it.
   */
  backfillNumberKeys(since: number, normalise: (number: string) => string): number {
    const rows = this.db.select({ id: calls.id, callerNumber: calls.callerNumber }).from(calls)
      .where(and(eq(calls.callerNumberKey, ''), gte(calls.arrivedAt, since))).all();
    this.db.transaction((tx) => {
      for (const row of rows) tx.update(calls).set({ callerNumberKey: normalise(row.callerNumber) }).where(eq(calls.id, row.id)).run();
    });
    return rows.length;
  }

  /** The calls from a normalised number that started within [from, to], newest first. */
  callsFromNumber(numberKey: string, from: number, to: number): Array<{ id: string; arrivedAt: number; endedAt: number | null; channelId: string }> {
    return this.db.select({ id: calls.id, arrivedAt: calls.arrivedAt, endedAt: calls.endedAt, channelId: calls.channelId }).from(calls)
      .where(and(eq(calls.callerNumberKey, numberKey), gte(calls.arrivedAt, from), lte(calls.arrivedAt, to)))
      .orderBy(desc(calls.arrivedAt)).all();
  }

  /** Newest first, with the total that matches the filter. */
  list(filter: CallFilter): { total: number; items: CallRow[] } {
    const where = and(
      filter.from !== undefined ? gte(calls.arrivedAt, filter.from) : undefined,
      filter.to !== undefined ? lt(calls.arrivedAt, filter.to) : undefined,
      filter.dialledNumber !== undefined ? eq(calls.dialledNumber, filter.dialledNumber) : undefined,
    );
    const total = this.db.select({ n: sql<number>`count(*)` }).from(calls).where(where).get()?.n ?? 0;
    const items = this.db.select().from(calls).where(where)
      .orderBy(desc(calls.arrivedAt), desc(calls.id)).limit(filter.limit).offset(filter.offset).all();
    return { total, items };
  }
}

function json(detail: object | undefined): string | null {
  return detail === undefined ? null : JSON.stringify(detail);
}
