import type Database from 'better-sqlite3';

/**
 * Hand-made records for report tests: rows as the service writes them, with exactly the times a
 * test wants (ms after `t0`). Written straight to SQLite: the report reads the tables, and the
 * numbers expected are worked out by hand from these rows.
 */
export interface CallFixture {
  id: string;
  at: number;
  number?: string;
  state?: string;
  endReason?: string | null;
  fallbackReason?: string | null;
  enqueuedAfterMs?: number | null;
  connectedAfterMs?: number | null;
  endedAfterMs?: number | null;
  category?: string | null;
  tags?: string[];
  operatorId?: string | null;
}

export function reportFixtures(sqlite: Database.Database) {
  const insert = sqlite.prepare(`INSERT INTO calls (id, channel_id, caller_number, caller_number_key, dialled_number, state, end_reason, fallback_reason,
    arrived_at, answered_at, enqueued_at, connected_at, ended_at, category, tags, operator_id)
    VALUES (@id, @id, @number, @number, '112', @state, @endReason, @fallbackReason, @at, @answeredAt, @enqueuedAt, @connectedAt, @endedAt, @category, @tags, @operatorId)`);
  let dispositionAt = 0;
  return {
    call(f: CallFixture): string {
      const after = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : f.at + ms);
      insert.run({
        id: f.id, number: f.number ?? `+6281200${f.id.replace(/\D/g, '').padStart(4, '0').slice(-4)}`, state: f.state ?? 'ended', endReason: f.endReason ?? 'caller-hangup',
        fallbackReason: f.fallbackReason ?? null, at: f.at, answeredAt: f.at + 300, enqueuedAt: after(f.enqueuedAfterMs), connectedAt: after(f.connectedAfterMs),
        endedAt: after(f.endedAfterMs), category: f.category ?? null, tags: JSON.stringify(f.tags ?? []), operatorId: f.operatorId ?? null,
      });
      return f.id;
    },
    dispose(callId: string, disposition: string, number = '+62812'): void {
      sqlite.prepare('INSERT INTO call_dispositions (call_id, number, disposition, note, by, at) VALUES (?, ?, ?, \'\', \'operator:op001\', ?)').run(callId, number, disposition, ++dispositionAt);
    },
    incident(id: string, createdAt: number, category: string, recategorised?: string): void {
      sqlite.prepare('INSERT INTO incidents (id, created_at, created_by) VALUES (?, ?, \'operator:op001\')').run(id, createdAt);
      const fields = { category, subcategory: null, description: 'x', severity: 'moderate', peopleAffected: 0, peopleHurt: false, callbackNumber: '0812', location: null };
      const event = sqlite.prepare('INSERT INTO incident_events (incident_id, type, at, by, detail) VALUES (?, ?, ?, \'operator:op001\', ?)');
      event.run(id, 'created', createdAt, JSON.stringify({ type: 'created', fields, agencies: [] }));
      event.run(id, 'note', createdAt + 1, JSON.stringify({ type: 'note', text: 'category unchanged by a note' }));
      if (recategorised) event.run(id, 'updated', createdAt + 2, JSON.stringify({ type: 'updated', changes: { category: recategorised } }));
    },
    operatorEvent(operatorId: string, at: number, fromState: string, toState: string, trigger: string): void {
      sqlite.prepare('INSERT OR IGNORE INTO operators (id, endpoint, state, state_since, idle_since) VALUES (?, ?, \'offline\', 0, 0)').run(operatorId, `PJSIP/${operatorId}`);
      sqlite.prepare('INSERT INTO operator_events (operator_id, at, from_state, to_state, "trigger") VALUES (?, ?, ?, ?, ?)').run(operatorId, at, fromState, toState, trigger);
    },
    callback(callId: string, answeredAt: number | null): void {
      sqlite.prepare('INSERT INTO callbacks (id, call_id, number, number_key, created_at, status, updated_at, answered_at) VALUES (?, ?, \'0812\', \'+62812\', ?, ?, ?, ?)')
        .run(`cb-${callId}`, callId, answeredAt ?? 0, answeredAt === null ? 'failed' : 'done', answeredAt ?? 0, answeredAt);
    },
  };
}
