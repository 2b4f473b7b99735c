import { and, gte, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { webhookOutbox } from './incident-schema.js';
import { calls } from './schema.js';

/** Calls answered in a window, and how many of them within the service-level target. */
export interface ServiceLevelCounts {
  answered: number;
  inTime: number;
}

/** Webhooks not delivered yet: still being tried, and given up on (dead letters). */
export interface OutboxCounts {
  pending: number;
  dead: number;
}

/**
 * The figures GET /metrics reads from SQLite. Each runs on the main thread at every scrape, so
 * each is one prepared statement over an index range, never a table scan.
 */
export class MetricsRepository {
  private readonly answered;
  private readonly outbox;

  constructor(db: Db) {
    // Range on calls_arrived_at: a call answered since `answeredFrom` arrived at most the longest
    // call before it, so the rows read are about one day's calls, whatever the table holds.
    this.answered = db.select({
      answered: sql<number>`count(*)`,
      inTime: sql<number>`coalesce(sum(${calls.connectedAt} - ${calls.arrivedAt} <= ${sql.placeholder('targetMs')}), 0)`,
    }).from(calls)
      .where(and(gte(calls.arrivedAt, sql.placeholder('arrivedFrom')), lte(calls.arrivedAt, sql.placeholder('until')),
        gte(calls.connectedAt, sql.placeholder('answeredFrom')), lte(calls.connectedAt, sql.placeholder('until'))))
      .prepare();
    // Covered by webhook_outbox_due (delivered_at, dead_at, ...): only undelivered rows are read.
    this.outbox = db.select({
      pending: sql<number>`coalesce(sum(${webhookOutbox.deadAt} IS NULL), 0)`,
      dead: sql<number>`coalesce(sum(${webhookOutbox.deadAt} IS NOT NULL), 0)`,
    }).from(webhookOutbox).where(isNull(webhookOutbox.deliveredAt)).prepare();
  }

  /**
   * Calls connected to an operator between `answeredFrom` and `until`, and those of them
   * connected at most `targetMs` after they arrived. `arrivedFrom` bounds the arrivals looked at.
   */
  serviceLevel(window: { arrivedFrom: number; answeredFrom: number; until: number; targetMs: number }): ServiceLevelCounts {
    const row = this.answered.get(window);
    return { answered: row?.answered ?? 0, inTime: row?.inTime ?? 0 };
  }

  outboxCounts(): OutboxCounts {
    const row = this.outbox.get();
    return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
  }
}
