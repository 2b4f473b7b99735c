import { pino } from 'pino';
import { CallService } from '../../src/calls/call-service.js';
import { CallsRepository } from '../../src/db/calls-repository.js';
import { openDatabase } from '../../src/db/database.js';
import { IvrRepository } from '../../src/db/ivr-repository.js';
import { FlowService } from '../../src/ivr/flow-service.js';
import { FakeTelephony } from '../fakes/fake-telephony.js';

export const FALLBACK = { context: 'emergency-fallback', extension: 's', priority: 1 };

/** A CallService on a fresh in-memory database and a fake Asterisk. */
export function coreHarness(overrides: { maxLiveCalls?: number; maxCallSeconds?: number; playbackGuardMs?: number } = {}) {
  const database = openDatabase(':memory:');
  const repo = new CallsRepository(database.db);
  const telephony = new FakeTelephony();
  const log = pino({ level: 'silent' });
  const service = new CallService({
    telephony,
    repo,
    clock: { now: () => Date.now() },
    log,
    session: { greeting: 'sound:greeting', maxCallSeconds: overrides.maxCallSeconds ?? 3600, playbackGuardMs: overrides.playbackGuardMs ?? 5000 },
    admission: { maxLiveCalls: overrides.maxLiveCalls ?? 100, maxAriLatencyMs: 1000 },
    fallback: FALLBACK,
  });
  service.start();
  const flows = new FlowService(new IvrRepository(database.db), { now: () => Date.now() });
  return { database, repo, telephony, service, flows, log, close: () => database.close() };
}
