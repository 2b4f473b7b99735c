import { and, asc, desc, eq, gt, isNotNull, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { callDispositions, calls } from '../../../src/db/schema.js';

/**
 * The calls-table queries the service makes on its event loop every few seconds (queue
 * announcements, the self-check) go through an index, built as the repositories build them: a
 * scan would grow with every call ever taken (11 ms on the demo year, and on).
 */
describe('call-path query plans', () => {
  const opened = openDatabase(':memory:');
  afterAll(() => opened.close());
  const planOf = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = query.toSQL();
    return (opened.sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
  };
  const db = opened.db;

  const later = alias(callDispositions, 'later');
  it('given a caller\'s prank marks (DispositionsRepository.prankMarkTimes, read at every arrival), then both the number and the later-verdict check go through indexes', () => {
    const plan = planOf(db.select({ at: callDispositions.at }).from(callDispositions).where(and(
      eq(callDispositions.number, '+62812'), eq(callDispositions.disposition, 'prank'), gt(callDispositions.at, 0),
      notExists(db.select({ id: later.id }).from(later).where(and(eq(later.callId, callDispositions.callId), gt(later.id, callDispositions.id)))),
    )));
    expect(plan.join('\n')).toMatch(/SEARCH call_dispositions USING INDEX call_dispositions_number/);
    expect(plan.join('\n')).toMatch(/SEARCH later USING (COVERING )?INDEX call_dispositions_call/);
  });

  it.each([
    ['recent queue waits (OffersRepository.recentWaits)', db.select({ wait: calls.queueWaitMs }).from(calls).where(and(isNotNull(calls.connectedAt), isNotNull(calls.queueWaitMs))).orderBy(desc(calls.connectedAt)).limit(20), /calls_connected_at/],
    ['open calls (CallsRepository.openCalls)', db.select().from(calls).where(sql`${calls.endedAt} IS NULL`).orderBy(asc(calls.arrivedAt)), /calls_open/],
    ['calls in a state (CallsRepository.idsInState)', db.select({ id: calls.id }).from(calls).where(eq(calls.state, 'wrapup')), /calls_state/],
  ] as const)('given %s, then its plan goes through an index, never the whole table', (_name, query, index) => {
    const plan = planOf(query);
    expect(plan.join('\n')).toMatch(index);
    // Walking a (partial) index is fine; reading the table itself row by row is not.
    expect(plan.filter((line) => /^SCAN calls\b/.test(line) && !/USING (COVERING )?INDEX/.test(line))).toEqual([]);
  });
});
