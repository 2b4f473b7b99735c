import { AgenciesRepository } from '../db/agencies-repository.js';
import { CallsRepository } from '../db/calls-repository.js';
import { type Db, inOneTransaction, openDatabase } from '../db/database.js';
import { IncidentsRepository } from '../db/incidents-repository.js';
import { IvrRepository } from '../db/ivr-repository.js';
import { LocationRepository } from '../db/location-repository.js';
import { OperatorsRepository } from '../db/operators-repository.js';
import { AgencyDirectory } from '../dispatch/agency-directory.js';
import { agenciesFor } from '../dispatch/agency-routing.js';
import { Subcategories } from '../incidents/subcategories.js';
import { FlowService } from '../ivr/flow-service.js';
import { loadShippedKecamatan } from '../location/kecamatan/kecamatan-map.js';
import { KecamatanMaps } from '../location/kecamatan-maps.js';
import { Arrivals } from './arrivals.js';
import { DemoCallbacks } from './callbacks-sim.js';
import { DAY_MS, jakartaDate, jakartaMidnight } from './calendar.js';
import { Conversations } from './conversation.js';
import { DemoClock, setUpFlows } from './demo-flows.js';
import { EventQueue } from './event-queue.js';
import { DEFAULT_PERIOD, GHOST_POLICY_TRIAL } from './mix.js';
import { type Period, planCalls } from './plan.js';
import { Places } from './places.js';
import { Random } from './random.js';
import { emptyRecords, type DemoRecords, writeRecords } from './records.js';
import { DEMO_OPERATORS, rosterBetween } from './shifts.js';
import { type DemoSummary, summarise, summaryText } from './summary.js';
import { DemoSwitchboard } from './switchboard-sim.js';

/**
 * The demo year (issue 12): a deterministic, realistic period of calls for a database of its own,
 * written through the service's repositories and its own decisions (state machines, ACD, IVR
 * interpreter, location parsers, routing table, dispatch lifecycle), so reports and the console
 * have something true-to-life to show. The mix it follows is stated in mix.ts.
 */
export interface DemoYearOptions {
  dbPath: string;
  seed: number;
  /** First and last day, `YYYY-MM-DD` in Asia/Jakarta (default 2026-01-01 to 2026-10-31). */
  from?: string;
  to?: string;
  /** Add to a database that already has calls (otherwise such a database is refused). */
  append?: boolean;
}

export interface DemoYearResult {
  summary: DemoSummary;
  text: string;
  elapsedMs: number;
}

/** A request the generator will not carry out (a bad period, a database that already has calls). */
export class DemoRefused extends Error {}

export function periodOf(from: string, to: string): Period {
  const start = jakartaMidnight(from);
  const last = jakartaMidnight(to);
  if (start === null) throw new DemoRefused(`--from must be a date YYYY-MM-DD: got ${from}`);
  if (last === null) throw new DemoRefused(`--to must be a date YYYY-MM-DD: got ${to}`);
  if (last < start) throw new DemoRefused(`--to (${to}) is before --from (${from})`);
  return { from: start, to: last + DAY_MS };
}

/** Generates the period into the database at `dbPath` (created and migrated if new), all in one transaction. */
export async function generateDemoYear(options: DemoYearOptions): Promise<DemoYearResult> {
  const started = performance.now();
  const from = options.from ?? DEFAULT_PERIOD.from;
  const to = options.to ?? DEFAULT_PERIOD.to;
  const period = periodOf(from, to);
  const opened = openDatabase(options.dbPath);
  try {
    const latest = new CallsRepository(opened.db).list({ limit: 1, offset: 0 });
    const existing = latest.total;
    if (existing > 0 && !options.append) throw new DemoRefused(`${options.dbPath} already has ${existing} calls; add --append to add the demo to them`);
    const last = latest.items[0]?.arrivedAt;
    // Operators cannot work two periods at once: an appended period follows the calls already there.
    if (last !== undefined && period.from <= last) {
      throw new DemoRefused(`--append adds a later period: ${options.dbPath} has calls until ${jakartaDate(last)}; start --from after that day`);
    }
    let simulatedMs = 0;
    const records = await inOneTransaction(opened, async () => {
      const simulated = await simulatePeriod(opened.db, period, options.seed, existing);
      simulatedMs = performance.now() - started;
      writeRecords(opened.db, simulated);
      return simulated;
    });
    const elapsedMs = performance.now() - started;
    const summary = summarise(records);
    const header = `Demo period ${from} to ${to} (Asia/Jakarta), seed ${options.seed}, into ${options.dbPath}: `
      + `${(elapsedMs / 1000).toFixed(1)} s (simulated in ${(simulatedMs / 1000).toFixed(1)} s, written in ${((elapsedMs - simulatedMs) / 1000).toFixed(1)} s)`;
    return { summary, text: summaryText(summary, header), elapsedMs };
  } finally {
    opened.close();
  }
}

/**
 * The period in memory: the setup an operating centre has (agencies, the shipped IVR flow and
 * the policy trial, operator rows), the plan of every call, then the switchboard's simulated
 * time from the first arrival to the last wrap-up.
 */
async function simulatePeriod(db: Db, period: Period, seed: number, existingCalls: number): Promise<DemoRecords> {
  const clock = new DemoClock(period.from);
  const directory = new AgencyDirectory(new AgenciesRepository(db), clock, null);
  directory.seed();
  // AgencyDirectory.propose is agenciesFor over the table the agencies make; read once, not per incident.
  const routing = directory.routing();
  const trial = periodOf(GHOST_POLICY_TRIAL.from, GHOST_POLICY_TRIAL.to);
  const flows = setUpFlows(new FlowService(new IvrRepository(db), clock), clock, period, trial);
  const subcategories = new Subcategories(new IncidentsRepository(db), clock).all();
  const operatorsRepo = new OperatorsRepository(db);
  operatorsRepo.ensure(DEMO_OPERATORS, (id) => `PJSIP/${id}`, period.from);
  const operatorRows = operatorsRepo.all().filter((row) => DEMO_OPERATORS.includes(row.id));
  // Fixes are placed by the map the service would use (an admin's upload, if any); points are drawn in the shipped one.
  const map = new KecamatanMaps(new LocationRepository(db), clock).current();
  const places = new Places(loadShippedKecamatan());

  // A second run into the same database draws other ids: same seed, same database, same demo.
  const root = new Random(seed, `demo-${existingCalls}`);
  const ids = root.fork('ids');
  const plan = planCalls(root.fork('plan'), period, places);
  const queue = new EventQueue();
  const records = emptyRecords();
  const prankMarks = new Map<string, number[]>();
  const fixesOf = new Map<string, DemoRecords['fixes']>();
  const conversations = new Conversations({
    rng: root.fork('conversations'), ids, map, propose: (request) => agenciesFor(request, routing), subcategoriesOf: (category) => subcategories[category], until: period.to,
    fixes: records.fixes, dispositions: records.dispositions, incidents: records.incidents, prankMarks, fixesOf,
  });
  const hooks = {
    connected: conversations.connected.bind(conversations),
    abandoned: (...args: Parameters<DemoCallbacks['abandoned']>) => callbacks.abandoned(...args),
  };
  const switchboard = new DemoSwitchboard({ queue, rng: root.fork('switchboard'), ids, offers: records.offers, history: records.operatorEvents, hooks, operatorRows });
  const callbacks = new DemoCallbacks({ queue, rng: root.fork('callbacks'), ids, switchboard, until: period.to });
  const arrivals = new Arrivals({
    queue, rng: root.fork('arrivals'), ids, flows, places, map, switchboard, callbacks, prankMarks,
    calls: records.calls, fixes: records.fixes, fixesOf, firstChannel: existingCalls + 1,
  });
  for (const shift of rosterBetween(root.fork('roster'), period.from, period.to)) switchboard.addShift(shift);
  for (const call of plan) arrivals.schedule(call);
  await queue.drain();
  records.callbacks.push(...callbacks.rows);
  records.operators.push(...switchboard.trails());
  return records;
}
