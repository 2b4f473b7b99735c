import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { REPORTS } from '../../../src/reports/capability.js';
import { resolveRange } from '../../../src/reports/report-range.js';

/**
 * Every report query reaches calls, dispositions and incidents through an index: a full scan of
 * a year of calls per report line would make reports slow on a busy centre. (operator_events and
 * callbacks are small next to calls and are scanned: the spans need every event up to the range.)
 */
describe('report query plans', () => {
  const opened = openDatabase(':memory:');
  const { sqlite } = opened;
  const range = resolveRange({ from: '2026-01-01', to: '2026-10-31', tz: 'Asia/Jakarta' }, Date.parse('2026-11-01T00:00:00Z'));
  const statements = REPORTS.flatMap((report) => report.statements(range, range.to));
  afterAll(() => opened.close());

  it.each(statements.map((s) => [s.name, s] as const))('given the %s query, then calls, dispositions and incidents are searched by index, never scanned', (_name, statement) => {
    const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as Array<{ detail: string }>).map((row) => row.detail);
    const scans = plan.filter((line) => /^SCAN (c|d|e|i|calls|call_dispositions|incident_events|incidents)\b/.test(line));
    expect(plan.length).toBeGreaterThan(0);
    expect({ plan, scans }).toEqual({ plan, scans: [] });
    for (const line of plan.filter((l) => /^SEARCH d\b/.test(l))) expect(line).toMatch(/call_dispositions_call/);
    for (const line of plan.filter((l) => /^SEARCH c\b/.test(l))) expect(line).toMatch(/calls_arrived_at|PRIMARY KEY|sqlite_autoindex_calls/);
  });
});
