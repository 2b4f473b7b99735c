import { afterEach, describe, expect, it } from 'vitest';
import { CallsRepository } from '../../../src/db/calls-repository.js';
import { openDatabase } from '../../../src/db/database.js';
import { DispatchRepository } from '../../../src/db/dispatch-repository.js';
import { AgenciesRepository } from '../../../src/db/agencies-repository.js';
import { MetricsRepository } from '../../../src/db/metrics-repository.js';
import { serviceLevelWindow } from '../../../src/metrics/service-level.js';

let database: ReturnType<typeof openDatabase> | undefined;
afterEach(() => database?.close());

const HOUR = 3_600_000;
/** 09:00 in Jakarta; the day began at 00:00 WIB, nine hours earlier. */
const NOW = Date.parse('2026-03-10T09:00:00+07:00');

function open() {
  database = openDatabase(':memory:');
  return { calls: new CallsRepository(database.db), figures: new MetricsRepository(database.db) };
}

/** A call that arrived at `arrivedAt` and, if `waitMs` is given, was connected that long after. */
function call(calls: CallsRepository, id: string, arrivedAt: number, waitMs?: number) {
  calls.create({ id, channelId: `ch-${id}`, callerNumber: '0811', dialledNumber: '112', state: 'arriving', arrivedAt }, { type: 'arrived', at: arrivedAt });
  if (waitMs !== undefined) calls.change(id, { state: 'connected', connectedAt: arrivedAt + waitMs }, { type: 'connected', at: arrivedAt + waitMs });
}

describe('the figures /metrics reads from SQLite', () => {
  it('given calls answered today, yesterday, across midnight and not at all, then the service level counts those answered since midnight, within 10 s or not', () => {
    const { calls, figures } = open();
    const midnight = Date.parse('2026-03-10T00:00:00+07:00');
    call(calls, 'fast', NOW - HOUR, 4_000);
    call(calls, 'on-the-limit', NOW - HOUR, 10_000);
    call(calls, 'slow', NOW - HOUR, 10_001);
    call(calls, 'unanswered', NOW - HOUR);
    call(calls, 'yesterday', midnight - 10 * 60_000, 5_000);
    // Arrived before midnight, answered after it: today's, and late.
    call(calls, 'across-midnight', midnight - 20_000, 30_000);
    expect(figures.serviceLevel(serviceLevelWindow(NOW, HOUR))).toEqual({ answered: 4, inTime: 2 });
  });

  it('given no calls, then nothing is answered (not a division by nothing)', () => {
    const { figures } = open();
    expect(figures.serviceLevel(serviceLevelWindow(NOW, HOUR))).toEqual({ answered: 0, inTime: 0 });
  });

  it('given the statements the repository prepares, then SQLite reads a range of an index of calls and only the undelivered part of webhook_outbox_due', () => {
    database = openDatabase(':memory:');
    const sqlite = database.sqlite;
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      prepared.push(source);
      return prepare(source);
    }) as typeof sqlite.prepare;
    new MetricsRepository(database.db);
    sqlite.prepare = prepare;
    const plans = prepared.map((source) => sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`)
      .all(...Array.from({ length: source.split('?').length - 1 }, () => 0))
      .map((step) => (step as { detail: string }).detail).join('; '));
    expect(plans).toEqual([
      // By arrival or by operator answer (calls_connected_at, migration 0012): either is a range of an index, not a scan.
      expect.stringMatching(/^SEARCH calls USING INDEX calls_(arrived_at \(arrived_at>\? AND arrived_at<\?\)|connected_at \(connected_at>\? AND connected_at<\?\))$/),
      'SEARCH webhook_outbox USING COVERING INDEX webhook_outbox_due (delivered_at=?)',
    ]);
  });

  it('given webhooks delivered, still pending and dead, then the outbox counts the pending and the dead', () => {
    open();
    const agencies = new AgenciesRepository(database!.db);
    const dispatch = new DispatchRepository(database!.db);
    agencies.insert({ id: 'damkar', name: 'Damkar', position: 0, updatedAt: NOW, updatedBy: 'test' });
    for (const key of ['a', 'b', 'c', 'd']) dispatch.enqueue({ agencyId: 'damkar', idempotencyKey: key, body: '{}', createdAt: NOW, nextAttemptAt: NOW });
    const [a, b] = [dispatch.outboxEntry(1)!, dispatch.outboxEntry(2)!];
    dispatch.markDelivered(a.id, NOW, 1, NOW);
    dispatch.markFailed(b.id, { attempts: 12, firstAttemptAt: NOW, nextAttemptAt: NOW, lastError: 'HTTP 500', deadAt: NOW });
    expect(new MetricsRepository(database!.db).outboxCounts()).toEqual({ pending: 2, dead: 1 });
  });
});
