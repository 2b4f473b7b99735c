import { loadConfig } from './config.js';
import { IvrRepository } from './db/ivr-repository.js';
import { openDatabase } from './db/database.js';
import { DEFAULT_FLOW } from './ivr/default-flow.js';
import { type Flow, flowSchema } from './ivr/flow-schema.js';
import { generatePrompts } from './ivr/prompt-generator.js';
import { createLogger } from './log.js';

/**
 * npm run prompts: generates the audio of every prompt of the default flow and of every active
 * flow in the database, in each language, into SIAGA112_SOUNDS_DIR. Missing files only.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.SIAGA112_LOG_LEVEL);
  const flows: Flow[] = [flowSchema.parse(DEFAULT_FLOW)];
  const database = openDatabase(config.SIAGA112_DB_PATH, config.SIAGA112_DB_SYNCHRONOUS);
  try {
    const repo = new IvrRepository(database.db);
    for (const flowId of repo.flowIds()) {
      const row = repo.active(flowId);
      if (row) flows.push(flowSchema.parse(JSON.parse(row.document)));
    }
  } finally {
    database.close();
  }
  const results = await generatePrompts(flows, config.SIAGA112_SOUNDS_DIR);
  log.info({ soundsDir: config.SIAGA112_SOUNDS_DIR, created: results.filter((r) => r.created).length, present: results.filter((r) => !r.created).length }, 'prompts ready');
}

main().catch((error: unknown) => {
  createLogger('info').fatal({ err: error instanceof Error ? error.message : String(error) }, 'prompt generation failed');
  process.exit(1);
});
