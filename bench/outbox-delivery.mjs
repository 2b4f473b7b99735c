// The webhook outbox: events per second delivered to a local receiver, and the delay from a
// dispatch's commit to its webhook arriving (median/p95/p99).
//   node bench/outbox-delivery.mjs [latency_events=500] [burst_events=5000]   (a built dist/)
// siaga112's dispatch capability as main.js wires it (SQLite file in WAL, the outbox worker,
// undici, HMAC per attempt) with the five seeded agencies, each with a webhook to one receiver
// in a child process on 127.0.0.1 that verifies every signature. No Asterisk is involved:
// dispatching is HTTP and SQLite only.
//   latency: one dispatch every 10 ms (100/s, the agencies in turn): request() returning (the
//            commit the operator's click waits for) -> the receiver has the webhook.
//   burst:   `burst_events` dispatches committed at once over the five agencies (one in flight
//            per agency, so five at a time), then one agency alone (strictly one at a time).
// Prints JSON lines; record them in bench/results/.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';

const repo = resolve(import.meta.dirname, '..');
const latencyEvents = Number(process.argv[2] ?? 500);
const burstEvents = Number(process.argv[3] ?? 5000);
const { openDatabase } = await import(join(repo, 'dist/db/database.js'));
const { createDispatch } = await import(join(repo, 'dist/dispatch/capability.js'));
const { IncidentsRepository } = await import(join(repo, 'dist/db/incidents-repository.js'));
const { systemClock } = await import(join(repo, 'dist/clock.js'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value) => Math.round(value * 100) / 100;

const receiver = fork(join(import.meta.dirname, 'lib/webhook-receiver.mjs'), { stdio: 'inherit' });
const arrivals = new Map();
const port = await new Promise((resolvePort) => receiver.on('message', (m) => {
  if (m.type === 'ready') resolvePort(m.port);
  if (m.type === 'event') arrivals.set(m.key, m.at);
}));

const opened = openDatabase(join(mkdtempSync(join(tmpdir(), 'siaga112-outbox-bench-')), 'siaga112.db'));
const dispatch = createDispatch({
  db: opened.db, clock: systemClock, log: pino({ level: 'silent' }),
  settings: { secretsKey: randomBytes(32), outbox: { pollMs: 1000, timeoutMs: 10_000, random: Math.random } },
});
await dispatch.capability.start();
const agencies = dispatch.directory.list().map((a) => a.id);
const keys = {};
for (const id of agencies) keys[`/hook/${id}`] = dispatch.directory.update(id, { webhookUrl: `http://127.0.0.1:${port}/hook/${id}` }, 'admin:bench').signingKey;
receiver.send({ type: 'keys', keys });
const incidents = new IncidentsRepository(opened.db);
const by = { kind: 'operator', id: 'op001' };

/** One dispatch of `agencyId` to a fresh incident; returns the idempotency key of its first webhook. */
function dispatchOne(agencyId) {
  const incidentId = randomUUID();
  incidents.insertIncident({ id: incidentId, createdAt: Date.now(), createdBy: 'operator:op001' });
  const brief = { incidentId, category: 'fire', subcategory: null, description: 'bench', severity: 'moderate', peopleAffected: 0, peopleHurt: false, location: null, callbackNumber: '081200000000' };
  const [record] = dispatch.dispatches.request(brief, [agencyId], by);
  return `dispatch-${record.row.id}-0`;
}
async function delivered(keysWanted, what) {
  const deadline = Date.now() + 120_000;
  while (!keysWanted.every((k) => arrivals.has(k))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(5);
  }
}

// Warm-up: connections opened, JIT warm.
const warm = [];
for (let i = 0; i < 100; i++) warm.push(dispatchOne(agencies[i % agencies.length]));
await delivered(warm, 'warm-up');

const sent = [];
for (let i = 0; i < latencyEvents; i++) {
  const before = now();
  const key = dispatchOne(agencies[i % agencies.length]);
  sent.push({ key, before, committed: now() });
  await sleep(10);
}
await delivered(sent.map((s) => s.key), 'latency phase');
const delays = sent.map((s) => arrivals.get(s.key) - s.before).sort((a, b) => a - b);
const commits = sent.map((s) => s.committed - s.before).sort((a, b) => a - b);
console.log(JSON.stringify({
  phase: 'latency', events: latencyEvents, rate: '100/s', commitMedianMs: ms(percentile(commits, 50)),
  dispatchToDeliveryMs: { median: ms(percentile(delays, 50)), p95: ms(percentile(delays, 95)), p99: ms(percentile(delays, 99)), max: ms(delays.at(-1)) },
}));

for (const [phase, pool, count] of [['burst, five agencies', agencies, burstEvents], ['burst, one agency', [agencies[2]], Math.ceil(burstEvents / 2)]]) {
  const start = now();
  const burst = [];
  for (let i = 0; i < count; i++) burst.push(dispatchOne(pool[i % pool.length]));
  const committed = now();
  await delivered(burst, phase);
  const last = Math.max(...burst.map((k) => arrivals.get(k)));
  console.log(JSON.stringify({
    phase, events: count, commitAllMs: ms(committed - start), deliverAllMs: ms(last - start),
    eventsPerSecond: Math.round(count / ((last - start) / 1000)), deliveryOnlyEventsPerSecond: Math.round(count / ((last - committed) / 1000)),
  }));
}

const report = await new Promise((resolveReport) => {
  receiver.on('message', (m) => { if (m.type === 'report') resolveReport(m); });
  receiver.send({ type: 'report' });
});
console.log(JSON.stringify({ receiver: report, pendingInOutbox: dispatch.repo.pendingCount() }));
await dispatch.capability.stop();
opened.sqlite.close();
receiver.kill();
