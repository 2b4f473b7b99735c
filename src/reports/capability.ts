import type Database from 'better-sqlite3';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { categoriesReport } from './categories-report.js';
import { junkReport } from './junk-report.js';
import { operatorsReport } from './operators-report.js';
import type { ReportDefinition } from './report-definition.js';
import { reportRunner } from './report-runner.js';
import { reportRoutes } from './routes.js';
import { serviceLevelReport } from './service-level-report.js';

export interface ReportsNeeds {
  /** The service's connection: its file is what the report thread opens read-only. */
  sqlite: Database.Database;
  clock: Clock;
  settings: { timeoutMs: number; maxQueued: number };
}

export const REPORTS = [categoriesReport, serviceLevelReport, junkReport, operatorsReport] as unknown as ReadonlyArray<ReportDefinition<never>>;

/** Reports from the records: the seed's category table, service level, junk, per operator. */
export function createReports(needs: ReportsNeeds) {
  const runner = reportRunner(needs.sqlite, needs.settings);
  const running = lifecycle(() => [() => void runner.close()]);
  const capability: Capability = {
    name: 'reports',
    routes: [{ prefix: '/api', routes: reportRoutes(REPORTS, runner, () => needs.clock.now()) }],
    start: running.start,
    stop: running.stop,
  };
  return { capability, runner };
}
