// Reports on the demo year, and what they do to the event loop that handles calls.
//   node bench/report-lag.mjs [demo_db]     (a built dist/; without demo_db, the demo year is generated first)
// Each report over the whole year (2026-01-01..2026-10-31, Asia/Jakarta) runs three times in the
// report thread (as the service runs it) while the main thread's event-loop delay is sampled
// every millisecond, then once on the main thread itself, to show what the thread saves.
// Prints JSON lines; record them in bench/results/.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const repo = resolve(import.meta.dirname, '..');
const { generateDemoYear } = await import(join(repo, 'dist/demo/demo-year.js'));
const { openDatabase } = await import(join(repo, 'dist/db/database.js'));
const { REPORTS } = await import(join(repo, 'dist/reports/capability.js'));
const { ReportWorker } = await import(join(repo, 'dist/reports/report-worker.js'));
const { resolveRange } = await import(join(repo, 'dist/reports/report-range.js'));

let dbPath = process.argv[2];
if (!dbPath) {
  dbPath = join(mkdtempSync(join(tmpdir(), 'siaga112-report-bench-')), 'demo.db');
  const generated = await generateDemoYear({ dbPath, seed: 1 });
  console.log(JSON.stringify({ generated: dbPath, seconds: Math.round(generated.elapsedMs / 100) / 10 }));
}
const range = resolveRange({ from: '2026-01-01', to: '2026-10-31', tz: 'Asia/Jakarta' }, Date.parse('2026-11-01T00:00:00Z'));
const worker = new ReportWorker(dbPath, { timeoutMs: 60_000, maxQueued: 4 });
const opened = openDatabase(dbPath);
const ms = (ns) => Math.round(ns / 1e4) / 100;

for (const report of REPORTS) {
  const statements = report.statements(range, range.to);
  const runs = [];
  const lag = monitorEventLoopDelay({ resolution: 1 });
  for (let i = 0; i < 3; i++) {
    lag.enable();
    const started = performance.now();
    const run = await worker.run(statements);
    runs.push({ wallMs: Math.round(performance.now() - started), threadMs: Math.round(run.ms) });
    lag.disable();
  }
  const inlineStarted = performance.now();
  for (const s of statements) opened.sqlite.prepare(s.sql).all(s.params);
  const inlineMs = Math.round(performance.now() - inlineStarted);
  console.log(JSON.stringify({
    report: report.path, runs, eventLoopDelayInThreadMs: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max) },
    onMainThreadBlocksForMs: inlineMs,
  }));
}
await worker.close();
opened.close();
