import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTake, CallState, type CallTrigger, nextState } from '../../../src/calls/states.js';
import { systemClock } from '../../../src/clock.js';
import { AgenciesRepository } from '../../../src/db/agencies-repository.js';
import { openDatabase, type OpenedDatabase } from '../../../src/db/database.js';
import { LocationRepository } from '../../../src/db/location-repository.js';
import { AgencyDirectory } from '../../../src/dispatch/agency-directory.js';
import { applyDispatchEvent, dispatchEventSchema, newDispatchTimeline } from '../../../src/dispatch/dispatch-lifecycle.js';
import { incidentBriefSchema } from '../../../src/dispatch/incident-brief.js';
import { generateDemoYear } from '../../../src/demo/demo-year.js';
import { plannedCounts } from '../../../src/demo/plan.js';
import { periodOf } from '../../../src/demo/demo-year.js';
import { incidentEventSchema } from '../../../src/incidents/incident-schemas.js';
import { storedFixOf } from '../../../src/location/fix-rows.js';
import { KECAMATAN_NAMES, loadShippedKecamatan } from '../../../src/location/kecamatan/kecamatan-map.js';
import { nextOperatorState, type OperatorState, type OperatorTrigger } from '../../../src/operators/operator-states.js';

const CLI = join(import.meta.dirname, '../../../dist/demo/seed-cli.js');
const dir = mkdtempSync(join(tmpdir(), 'siaga112-demo-'));
/** Three weeks of August 2026: the ghost-call policy's trial (3-16 August) falls inside. */
const PERIOD = { from: '2026-08-01', to: '2026-08-21' };
const path = join(dir, 'august.db');
let db: Database.Database;
/** The same database through the service's own repositories. */
let service: OpenedDatabase;

type Row = Record<string, unknown>;
const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Row[];
const one = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Row;

/** Every table's rows, hashed in rowid order: two databases with the same hashes hold the same demo. */
function contentOf(file: string): Record<string, string> {
  const other = new Database(file, { readonly: true });
  try {
    const tables = other.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => {
      const hash = createHash('sha256');
      for (const row of other.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate()) hash.update(JSON.stringify(row));
      return [name, hash.digest('hex')];
    }));
  } finally {
    other.close();
  }
}

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SIAGA112_DB_PATH: join(dir, 'live.db'), ...env } });
}

beforeAll(async () => {
  await generateDemoYear({ dbPath: path, seed: 7, ...PERIOD });
  db = new Database(path, { readonly: true });
  service = openDatabase(path);
});
afterAll(() => {
  db?.close();
  service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo year, generated for three weeks of August', () => {
  it('given one seed twice, then the two databases hold the same rows; given another seed, then other calls', async () => {
    const days = { from: '2026-03-02', to: '2026-03-04' };
    const [a, b, c] = ['a', 'b', 'c'].map((name) => join(dir, `days-${name}.db`));
    await generateDemoYear({ dbPath: a!, seed: 3, ...days });
    await generateDemoYear({ dbPath: b!, seed: 3, ...days });
    await generateDemoYear({ dbPath: c!, seed: 4, ...days });
    expect(contentOf(b!)).toEqual(contentOf(a!));
    expect(contentOf(c!).calls).not.toBe(contentOf(a!).calls);
  });

  it('given the period, then its incidents are the planned counts per category, and the calls the mix\'s kinds', () => {
    const planned = plannedCounts(periodOf(PERIOD.from, PERIOD.to));
    const incidents = all("SELECT json_extract(detail, '$.fields.category') AS category, count(*) AS n FROM incident_events WHERE type = 'created' GROUP BY 1");
    expect(Object.fromEntries(incidents.map((r) => [r.category, r.n]))).toEqual(planned.categories);
    const calls = one('SELECT count(*) AS n FROM calls').n as number;
    const junk = planned.kinds.prank + planned.kinds.ghost;
    expect(calls).toBe(Object.values(planned.categories).reduce((a, b) => a + b, 0) + Object.values(planned.kinds).reduce((a, b) => a + b, 0));
    expect(one("SELECT count(*) AS n FROM calls c WHERE (SELECT disposition FROM call_dispositions d WHERE d.call_id = c.id ORDER BY d.id DESC LIMIT 1) IN ('prank', 'ghost') OR c.end_reason = 'ghost-policy'").n).toBeGreaterThan(junk * 0.9);
  });

  it('given every call, then its events replay through the state machine to its state, and its times are in order', () => {
    const events = new Map<string, Row[]>();
    for (const e of all('SELECT call_id, type, at FROM call_events ORDER BY id')) events.set(e.call_id as string, [...(events.get(e.call_id as string) ?? []), e]);
    const triggers = new Set<string>(['answered', 'enqueued', 'offered', 'offer-failed', 'connected', 'caller-hangup', 'operator-hangup', 'fallback', 'wrapup-done', 'called-back', 'ivr-hangup']);
    const wrong: string[] = [];
    for (const call of all('SELECT * FROM calls')) {
      const trail = events.get(call.id as string) ?? [];
      let state: CallState = call.fallback_reason === 'not-running' ? CallState.fallback : CallState.arriving;
      if (trail[0]?.type !== (state === CallState.fallback ? 'imported' : 'arrived')) wrong.push(`${call.id as string} starts with ${String(trail[0]?.type)}`);
      for (const [i, event] of trail.entries()) {
        if (i > 0 && (event.at as number) < (trail[i - 1]!.at as number)) wrong.push(`${call.id as string}: ${event.type as string} before ${trail[i - 1]!.type as string}`);
        const trigger = event.type as CallTrigger;
        // A second offer while one rings is a note (the service writes it so), not a transition.
        if (!triggers.has(trigger) || (trigger === 'offered' && state !== CallState.queued)) continue;
        if (!canTake(state, trigger)) wrong.push(`${call.id as string}: ${state} cannot take ${trigger}`);
        else state = nextState(state, trigger);
      }
      if (state !== call.state) wrong.push(`${call.id as string}: events end ${state}, row says ${call.state as string}`);
      const times = [call.arrived_at, call.answered_at, call.enqueued_at, call.connected_at, call.ended_at].filter((t) => t !== null) as number[];
      if (times.some((t, i) => i > 0 && t < times[i - 1]!)) wrong.push(`${call.id as string}: times out of order ${times.join(' ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('given the calls\' states, then each fits its end: connected calls have an operator and a recording, abandoned ones never did', () => {
    expect(all('SELECT * FROM calls WHERE connected_at IS NOT NULL AND (operator_id IS NULL OR recording_name IS NULL OR queue_wait_ms <> connected_at - enqueued_at)')).toEqual([]);
    const combinations = all('SELECT state, end_reason, fallback_reason IS NOT NULL AS by_fallback, connected_at IS NOT NULL AS connected, count(*) AS n FROM calls GROUP BY 1, 2, 3, 4')
      .map((r) => `${r.state as string}/${r.end_reason as string}/${r.by_fallback ? 'fallback' : '-'}/${r.connected ? 'connected' : '-'}`);
    expect(combinations.sort()).toEqual([
      'abandoned/caller-hangup/-/-', 'ended/caller-hangup/-/-', 'ended/caller-hangup/-/connected', 'ended/ghost-policy/-/-', 'ended/operator-hangup/-/connected', 'fallback/fallback/fallback/-',
    ]);
    // Abandoned: about 2.5 % of the calls, some called back since (ended, never connected).
    const abandoned = one("SELECT count(*) AS n FROM calls WHERE connected_at IS NULL AND end_reason = 'caller-hangup'").n as number;
    expect(abandoned / (one('SELECT count(*) AS n FROM calls').n as number)).toBeGreaterThan(0.015);
    const trial = periodOf('2026-08-03', '2026-08-16');
    const policy = all("SELECT arrived_at, ivr_version, operator_id FROM calls WHERE end_reason = 'ghost-policy'");
    expect(policy.length).toBeGreaterThan(100);
    for (const call of policy) expect(call.arrived_at as number >= trial.from - 60_000 && (call.arrived_at as number) < trial.to && call.operator_id === null && call.ivr_version === 2).toBe(true);
    expect(one("SELECT version FROM ivr_active_flows WHERE flow_id = 'default-112'").version).toBe(1);
    expect(all("SELECT DISTINCT fallback_reason FROM calls WHERE state = 'fallback'").length).toBeGreaterThan(1);
  });

  it('given the operators\' histories, then each replays through the operator state machine, one call at a time, back to a logged-out row', () => {
    const last = new Map<string, { state: string; at: number }>();
    const wrong: string[] = [];
    for (const e of all('SELECT * FROM operator_events ORDER BY id')) {
      const before = last.get(e.operator_id as string) ?? { state: 'offline', at: 0 };
      if (e.from_state !== before.state || (e.at as number) < before.at) wrong.push(`event ${e.id as number}: after ${before.state} at ${before.at}`);
      if (nextOperatorState(e.from_state as OperatorState, e.trigger as OperatorTrigger) !== e.to_state) wrong.push(`event ${e.id as number}: ${e.trigger as string}`);
      last.set(e.operator_id as string, { state: e.to_state as string, at: e.at as number });
    }
    expect(wrong).toEqual([]);
    expect(all("SELECT id FROM operators WHERE state <> 'offline'")).toEqual([]);
    const calls = all('SELECT operator_id, connected_at, ended_at FROM calls WHERE connected_at IS NOT NULL ORDER BY operator_id, connected_at');
    const overlapping = calls.filter((call, i) => calls[i - 1]?.operator_id === call.operator_id && (call.connected_at as number) < (calls[i - 1]!.ended_at as number));
    expect(overlapping).toEqual([]);
    const triggers = Object.fromEntries(all('SELECT "trigger", count(*) AS n FROM operator_events GROUP BY 1').map((r) => [r.trigger, r.n]));
    expect(triggers).toMatchObject({ 'no-answer': expect.any(Number), pause: expect.any(Number), 'offer-cancelled': expect.any(Number) });
    expect(all("SELECT * FROM call_offers o JOIN calls c ON c.id = o.call_id WHERE o.outcome = 'answered' AND (o.target <> c.operator_id OR o.ended_at <> c.connected_at)")).toEqual([]);
    expect(all('SELECT d.* FROM call_dispositions d JOIN calls c ON c.id = d.call_id WHERE d.by <> \'operator:\' || c.operator_id')).toEqual([]);
  });

  it('given the location fixes, then each is inside Kota Bekasi where the map puts it, from SIP, AML or the operator, over all twelve kecamatan', () => {
    const map = loadShippedKecamatan();
    const fixes = all('SELECT * FROM location_fixes');
    expect(fixes.filter((fix) => map.kecamatanAt(fix.latitude as number, fix.longitude as number) !== fix.kecamatan)).toEqual([]);
    // As the service reads them back (the call's fixes, parsed with the stored-fix schema).
    const located = all('SELECT DISTINCT call_id FROM location_fixes LIMIT 500');
    const repo = new LocationRepository(service.db);
    for (const { call_id: callId } of located) for (const row of repo.fixesOf(callId as string)) expect(storedFixOf(row).callId).toBe(callId);
    expect(new Set(fixes.map((f) => f.kecamatan))).toEqual(new Set(KECAMATAN_NAMES));
    expect(new Set(fixes.map((f) => f.source))).toEqual(new Set(['sip-pidf', 'aml-https', 'operator']));
  });

  it('given the incidents, then each was created from a valid call with the routing table\'s agencies, dispatched, and its duplicates linked', () => {
    for (const event of all('SELECT detail FROM incident_events')) incidentEventSchema.parse(JSON.parse(event.detail as string));
    const created = all("SELECT e.incident_id, e.detail, ic.call_id FROM incident_events e JOIN incident_calls ic ON ic.incident_id = e.incident_id AND ic.how = 'first' WHERE e.type = 'created'");
    const directory = new AgencyDirectory(new AgenciesRepository(service.db), systemClock, null);
    const dispatched = new Map<string, string[]>();
    for (const d of all('SELECT incident_id, agency_id, brief FROM dispatches ORDER BY requested_at, rowid')) {
      incidentBriefSchema.parse(JSON.parse(d.brief as string));
      dispatched.set(d.incident_id as string, [...(dispatched.get(d.incident_id as string) ?? []), d.agency_id as string]);
    }
    for (const row of created) {
      const { fields, agencies } = incidentEventSchema.parse(JSON.parse(row.detail as string)) as Extract<ReturnType<typeof incidentEventSchema.parse>, { type: 'created' }>;
      expect(agencies).toEqual(directory.propose({ category: fields.category, ...(fields.subcategory ? { subcategory: fields.subcategory } : {}), peopleHurt: fields.peopleHurt }));
      expect(dispatched.get(row.incident_id as string)?.slice(0, agencies.length) ?? agencies).toEqual(agencies);
    }
    // The first call's verdict is valid (NULL, never anything else, for the few an operator left without one).
    expect(all("SELECT c.id FROM incident_calls ic JOIN calls c ON c.id = ic.call_id WHERE ic.how = 'first' AND (SELECT disposition FROM call_dispositions d WHERE d.call_id = c.id ORDER BY d.id DESC LIMIT 1) <> 'valid'")).toEqual([]);
    const linked = all("SELECT (SELECT disposition FROM call_dispositions d WHERE d.call_id = ic.call_id ORDER BY d.id DESC LIMIT 1) AS disposition FROM incident_calls ic WHERE ic.how = 'linked'");
    expect(linked.length).toBeGreaterThan(50);
    expect(new Set(linked.map((r) => r.disposition))).toEqual(new Set(['duplicate']));
    expect(one('SELECT count(*) AS n FROM webhook_outbox').n).toBe(0);
  });

  it('given the dispatches, then their steps follow the lifecycle with realistic delays, most resolved', () => {
    const steps = new Map<string, Row[]>();
    for (const s of all('SELECT * FROM dispatch_events ORDER BY dispatch_id, seq')) steps.set(s.dispatch_id as string, [...(steps.get(s.dispatch_id as string) ?? []), s]);
    let resolved = 0;
    const dispatches = all('SELECT * FROM dispatches');
    for (const dispatch of dispatches) {
      let timeline = newDispatchTimeline(dispatch.requested_at as number);
      for (const step of steps.get(dispatch.id as string) ?? []) {
        const applied = applyDispatchEvent(timeline, dispatchEventSchema.parse(JSON.parse(step.event as string)), step.at as number);
        expect(applied.ok).toBe(true);
        if (applied.ok) timeline = applied.timeline;
      }
      if (timeline.state === 'resolved') {
        resolved += 1;
        expect(timeline.resolvedAt! - timeline.requestedAt).toBeGreaterThan(5 * 60_000);
      }
    }
    expect(resolved / dispatches.length).toBeGreaterThan(0.85);
  });

  it('given the callbacks, then only callers who waited 5 s in the queue have one, done ones rang through to the caller, matched ones called again', () => {
    expect(all('SELECT cb.id FROM callbacks cb JOIN calls c ON c.id = cb.call_id WHERE c.enqueued_at IS NULL OR c.queue_wait_ms < 5000 OR c.connected_at IS NOT NULL')).toEqual([]);
    const byStatus = Object.fromEntries(all('SELECT status, count(*) AS n FROM callbacks GROUP BY 1').map((r) => [r.status, r.n]));
    expect(byStatus).toMatchObject({ done: expect.any(Number), failed: expect.any(Number) });
    expect(all("SELECT cb.id FROM callbacks cb JOIN calls c ON c.id = cb.call_id WHERE cb.status = 'done' AND (c.state <> 'ended' OR cb.answered_at IS NULL OR NOT EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.id AND e.type = 'called-back'))")).toEqual([]);
    expect(all("SELECT cb.id FROM callbacks cb JOIN calls c ON c.id = cb.call_id WHERE cb.status = 'failed' AND c.state <> 'abandoned'")).toEqual([]);
    expect(all("SELECT cb.id FROM callbacks cb LEFT JOIN calls m ON m.id = cb.matched_call_id WHERE cb.status = 'matched' AND (m.id IS NULL OR m.caller_number_key <> cb.number_key OR m.arrived_at < cb.created_at)")).toEqual([]);
  });
});

describe('npm run demo:seed (dist/demo/seed-cli.js)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('given no --db, then it refuses with exit 2 and says what it needs', () => {
    const result = cli([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--db <path> is required/);
  });

  it('given the live database (SIAGA112_DB_PATH), then it refuses with exit 2 and creates nothing, unless --into-live-database', () => {
    const live = join(dir, 'live.db');
    const refused = cli(['--db', live]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/is the live database \(SIAGA112_DB_PATH\).*--into-live-database/);
    expect(existsSync(live)).toBe(false);
    const allowed = cli(['--db', live, '--into-live-database', '--from', '2026-05-04', '--to', '2026-05-04']);
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/Demo period 2026-05-04 to 2026-05-04 .* seed 1/);
  });

  it('given the service\'s default path with no SIAGA112_DB_PATH, then it refuses it as the live database', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'SIAGA112_DB_PATH'));
    const result = spawnSync(process.execPath, [CLI, '--db', '/var/lib/siaga112/siaga112.db'], { encoding: 'utf8', env });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/live database/);
  });

  it('given a database that already has calls, then it refuses with exit 2 and leaves the file as it was', () => {
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const result = cli(['--db', path, '--seed', '9']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/already has \d+ calls; add --append/);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('given a bad period or seed, then it refuses with exit 2', () => {
    expect(cli(['--db', join(dir, 'x.db'), '--from', '2026-02-30']).status).toBe(2);
    expect(cli(['--db', join(dir, 'x.db'), '--seed', 'many']).status).toBe(2);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
