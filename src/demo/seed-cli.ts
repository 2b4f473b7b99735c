import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../config.js';
import { countCallsWithoutOpening } from '../db/database.js';
import { DemoRefused, generateDemoYear, periodOf } from './demo-year.js';
import { DEFAULT_PERIOD } from './mix.js';

/**
 * npm run demo:seed -- --db <path> [--seed n] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--append]
 * [--into-live-database]: fills a database of its own with the demo year. Every refusal exits 2
 * with one line and leaves the database as it was; it is checked before the file is opened for
 * writing, since opening migrates it.
 */
const USAGE = 'usage: npm run demo:seed -- --db <path> [--seed <n>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--append] [--into-live-database]';

class Refusal extends Error {}

/** A path as the file system knows it (symlinks resolved), also for a file that does not exist yet. */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return resolve(realpathSync(dirname(absolute)), absolute.slice(dirname(absolute).length + 1));
    } catch {
      return absolute;
    }
  }
}

/** The database the service uses: SIAGA112_DB_PATH, or (unset or empty) the configuration's default. */
function liveDatabasePath(): string {
  return process.env.SIAGA112_DB_PATH || configSchema.shape.SIAGA112_DB_PATH.parse(undefined);
}

function options() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' }, seed: { type: 'string', default: '1' }, from: { type: 'string', default: DEFAULT_PERIOD.from },
      to: { type: 'string', default: DEFAULT_PERIOD.to }, append: { type: 'boolean', default: false },
      'into-live-database': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.db) throw new Refusal(`--db <path> is required (a database of its own, never the live one). ${USAGE}`);
  if (!/^\d{1,9}$/.test(values.seed)) throw new Refusal(`--seed must be a whole number: got ${values.seed}`);
  return { db: values.db, seed: Number(values.seed), from: values.from, to: values.to, append: values.append, live: values['into-live-database'] };
}

async function main(): Promise<void> {
  const args = options();
  periodOf(args.from, args.to);
  const live = liveDatabasePath();
  if (canonical(args.db) === canonical(live) && !args.live) {
    throw new Refusal(`${args.db} is the live database (${process.env.SIAGA112_DB_PATH ? 'SIAGA112_DB_PATH' : 'the service\'s default path'}); `
      + 'the demo goes into a database of its own. Add --into-live-database only if you really mean it');
  }
  const calls = countCallsWithoutOpening(args.db);
  if (calls !== null && calls > 0 && !args.append) {
    throw new Refusal(`${args.db} already has ${calls} calls; add --append to add the demo to them`);
  }
  const result = await generateDemoYear({ dbPath: args.db, seed: args.seed, from: args.from, to: args.to, append: args.append });
  console.log(result.text);
}

main().catch((error: unknown) => {
  // parseArgs's own refusals (an unknown option, a missing value) are usage errors too.
  const badUsage = error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS');
  const refused = error instanceof Refusal || error instanceof DemoRefused || badUsage;
  console.error(`demo:seed: ${refused ? 'refused: ' : ''}${error instanceof Error ? error.message : String(error)}`);
  process.exit(refused ? 2 : 1);
});
