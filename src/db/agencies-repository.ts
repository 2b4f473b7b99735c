import { and, asc, eq, isNull, max } from 'drizzle-orm';
import type { Db } from './database.js';
import { agencies, agencyTokens } from './incident-schema.js';

export type AgencyRow = typeof agencies.$inferSelect;
export type AgencyInsert = typeof agencies.$inferInsert;

/** The agencies the centre dispatches to, and their API tokens (digests only). */
export class AgenciesRepository {
  constructor(private readonly db: Db) {}

  all(): AgencyRow[] {
    return this.db.select().from(agencies).orderBy(asc(agencies.position), asc(agencies.id)).all();
  }

  find(id: string): AgencyRow | undefined {
    return this.db.select().from(agencies).where(eq(agencies.id, id)).get();
  }

  /** Inserts the seed agencies when the table is empty, in one transaction (never half a seed). */
  seedIfEmpty(rows: readonly AgencyInsert[]): boolean {
    return this.db.transaction((tx) => {
      if (tx.select({ id: agencies.id }).from(agencies).limit(1).get()) return false;
      for (const row of rows) tx.insert(agencies).values(row).run();
      return true;
    });
  }

  nextPosition(): number {
    return (this.db.select({ top: max(agencies.position) }).from(agencies).get()?.top ?? -1) + 1;
  }

  insert(row: AgencyInsert): void {
    this.db.insert(agencies).values(row).run();
  }

  update(id: string, change: Partial<Omit<AgencyInsert, 'id'>>): void {
    this.db.update(agencies).set(change).where(eq(agencies.id, id)).run();
  }

  /**
   * Runs `write` and then `check` over the table as it would be, in one transaction: an edit
   * that would leave a category with nobody to send is rolled back by `check` throwing.
   */
  changeChecked(write: (repo: AgenciesRepository) => void, check: (rows: AgencyRow[]) => void): void {
    // One connection: statements inside the callback are the transaction's, whoever issues them.
    this.db.transaction(() => {
      write(this);
      check(this.all());
    });
  }

  addToken(agencyId: string, digest: string, at: number, by: string): void {
    this.db.insert(agencyTokens).values({ agencyId, digest, createdAt: at, createdBy: by }).run();
  }

  revokeTokens(agencyId: string, at: number): number {
    return this.db.update(agencyTokens).set({ revokedAt: at })
      .where(and(eq(agencyTokens.agencyId, agencyId), isNull(agencyTokens.revokedAt))).run().changes;
  }

  /** The agency whose live token has this digest, if any. */
  agencyOfToken(digest: string): string | undefined {
    return this.db.select({ agencyId: agencyTokens.agencyId }).from(agencyTokens)
      .where(and(eq(agencyTokens.digest, digest), isNull(agencyTokens.revokedAt))).get()?.agencyId;
  }
}
