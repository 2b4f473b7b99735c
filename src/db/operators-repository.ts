import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { preparedInsert } from './bulk-insert.js';
import { writeBehindOf } from './write-behind.js';
import { operatorEvents, operators } from './schema.js';

export type OperatorRow = typeof operators.$inferSelect;
export type NewOperatorEvent = Omit<typeof operatorEvents.$inferInsert, 'id'>;

/** An operator's state as every change writes it (skills change on their own, see setSkills). */
export type OperatorChange = Pick<OperatorRow, 'state' | 'pauseReason' | 'stateSince' | 'idleSince' | 'callId'>;

/** Operators and their state trail; a state change and its event are one transaction. */
export class OperatorsRepository {
  constructor(private readonly db: Db) {}

  /** Makes sure each configured operator has a row (new ones start offline). */
  ensure(ids: readonly string[], endpointOf: (id: string) => string, now: number): void {
    this.db.transaction((tx) => {
      for (const id of ids) {
        tx.insert(operators).values({ id, endpoint: endpointOf(id), state: 'offline', stateSince: now, idleSince: now })
          .onConflictDoNothing().run();
      }
    });
  }

  all(): OperatorRow[] {
    return this.db.select().from(operators).orderBy(asc(operators.id)).all();
  }

  find(id: string): OperatorRow | undefined {
    return this.db.select().from(operators).where(eq(operators.id, id)).get();
  }

  change(id: string, from: string, change: OperatorChange, trigger: string, detail?: object): void {
    writeBehindOf(this.db).run(() => this.db.transaction((tx) => {
      tx.update(operators).set(change).where(eq(operators.id, id)).run();
      tx.insert(operatorEvents).values({
        operatorId: id, at: change.stateSince, fromState: from, toState: change.state, trigger,
        detail: detail === undefined ? null : JSON.stringify(detail),
      }).run();
    }), undefined);
  }

  /**
   * Writes a history of state changes that already happened (bulk: the demo year), in the order
   * given, and leaves each operator's row in the state its last change left it: the same rows a
   * run of change() would leave, without a row update per change.
   */
  insertHistory(events: readonly NewOperatorEvent[], finalStates: ReadonlyMap<string, OperatorChange>): void {
    this.db.transaction((tx) => {
      preparedInsert(this.db, operatorEvents)(events);
      for (const [id, change] of finalStates) tx.update(operators).set(change).where(eq(operators.id, id)).run();
    });
  }

  setSkills(id: string, languages: string[], categories: string[]): void {
    this.db.update(operators).set({ languages: JSON.stringify(languages), categories: JSON.stringify(categories) })
      .where(eq(operators.id, id)).run();
  }

  events(id: string, limit = 100): Array<typeof operatorEvents.$inferSelect> {
    return this.db.select().from(operatorEvents).where(eq(operatorEvents.operatorId, id))
      .orderBy(sql`${operatorEvents.id} DESC`).limit(limit).all();
  }
}
