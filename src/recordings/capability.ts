import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { recordingRoutes } from './routes.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import { RecordingStore } from './recording-store.js';
import { RecordingsRepository } from '../db/recordings-repository.js';

/** Expired recordings are looked for this often (retention is counted in days). */
const RETENTION_SWEEP_MS = 3_600_000;

export interface RecordingsNeeds {
  db: Db;
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  dir: string;
  retentionMs: number;
}

/** The recordings capability: calls' recordings for supervisors, deleted after their retention. */
export function createRecordings(needs: RecordingsNeeds) {
  const log = needs.log.child({ component: 'recordings' });
  const store = new RecordingStore(new RecordingsRepository(needs.db), needs.dir, needs.telephony, needs.clock, log);
  const capability: Capability = {
    name: 'recordings',
    routes: [{ prefix: '/api/supervisor', routes: recordingRoutes(store) }],
    ...lifecycle(() => {
      const sweep = needs.clock.every(RETENTION_SWEEP_MS, () => {
        store.sweep(needs.retentionMs).catch((error: unknown) => log.warn({ err: String(error) }, 'recording retention sweep failed'));
      });
      return [() => sweep.cancel()];
    }),
  };
  return { capability, store };
}
