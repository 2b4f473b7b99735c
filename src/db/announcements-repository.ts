import { desc, eq, isNull } from 'drizzle-orm';
import type { Db } from './database.js';
import { announcements } from './schema.js';

export type AnnouncementRow = typeof announcements.$inferSelect;

/** Mass-call announcements: at most one without an end is active. */
export class AnnouncementsRepository {
  constructor(private readonly db: Db) {}

  active(): AnnouncementRow | undefined {
    return this.db.select().from(announcements).where(isNull(announcements.endedAt)).orderBy(desc(announcements.id)).get();
  }

  /** Ends whatever is active and starts `next`, in one transaction (never two active at once). */
  replaceActive(next: Omit<typeof announcements.$inferInsert, 'id' | 'endedAt'>): void {
    this.db.transaction((tx) => {
      tx.update(announcements).set({ endedAt: next.startedAt }).where(isNull(announcements.endedAt)).run();
      tx.insert(announcements).values(next).run();
    });
  }

  end(id: number, at: number): void {
    this.db.update(announcements).set({ endedAt: at }).where(eq(announcements.id, id)).run();
  }
}
