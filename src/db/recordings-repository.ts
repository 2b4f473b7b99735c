import { and, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { calls } from './schema.js';

/** A kept recording as listed: the call it belongs to. */
export interface RecordingRow {
  callId: string;
  name: string;
  callerNumber: string;
  operatorId: string | null;
  connectedAt: number | null;
  endedAt: number | null;
}

const kept = and(isNotNull(calls.recordingName), isNull(calls.recordingDeletedAt));

/** Calls' recordings as SQLite knows them (the files are Asterisk's). */
export class RecordingsRepository {
  constructor(private readonly db: Db) {}

  /** Kept recordings, newest call first, and how many there are. */
  page(limit: number, offset: number): { total: number; items: RecordingRow[] } {
    const total = this.db.select({ n: sql<number>`count(*)` }).from(calls).where(kept).get()?.n ?? 0;
    const items = this.db.select({
      callId: calls.id, name: calls.recordingName, callerNumber: calls.callerNumber, operatorId: calls.operatorId,
      connectedAt: calls.connectedAt, endedAt: calls.endedAt,
    }).from(calls).where(kept).orderBy(desc(calls.arrivedAt)).limit(limit).offset(offset).all();
    return { total, items: items.map((i) => ({ ...i, name: i.name ?? '' })) };
  }

  /** The name of a call's recording while it is kept; undefined when there is none (or it was deleted). */
  keptName(callId: string): string | undefined {
    const row = this.db.select({ name: calls.recordingName }).from(calls).where(and(eq(calls.id, callId), kept)).get();
    return row?.name ?? undefined;
  }

  /** Kept recordings of calls that ended before `cutoff`. */
  expired(cutoff: number): Array<{ callId: string; name: string }> {
    return this.db.select({ callId: calls.id, name: calls.recordingName }).from(calls)
      .where(and(kept, lt(calls.endedAt, cutoff))).all().map((r) => ({ callId: r.callId, name: r.name ?? '' }));
  }

  markDeleted(callId: string, at: number): void {
    this.db.update(calls).set({ recordingDeletedAt: at }).where(eq(calls.id, callId)).run();
  }
}
