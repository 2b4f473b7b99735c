import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { AgenciesRepository } from '../db/agencies-repository.js';
import type { Db } from '../db/database.js';
import { DispatchRepository } from '../db/dispatch-repository.js';
import type { Logger } from '../log.js';
import { AgencyDirectory } from './agency-directory.js';
import { adminAgencyRoutes, agencyRoutes } from './agency-routes.js';
import { adminOutboxRoutes, dispatchRoutes } from './dispatch-routes.js';
import { DispatchService } from './dispatch-service.js';
import { OutboxWorker, type OutboxWorkerSettings } from './outbox-worker.js';
import { SecretBox } from './secret-box.js';

export interface DispatchNeeds {
  db: Db;
  clock: Clock;
  log: Logger;
  settings: {
    /** The master key agencies' signing keys are sealed with; null: no webhooks can be signed. */
    secretsKey: Buffer | null;
    outbox: OutboxWorkerSettings;
  };
}

/**
 * The dispatch capability: the agencies (data admins edit, read by transfers and incidents),
 * dispatches with their lifecycle, and the outbox worker that tells each agency by webhook.
 */
export function createDispatch(needs: DispatchNeeds) {
  const { db, clock, log, settings } = needs;
  const secrets = settings.secretsKey ? new SecretBox(settings.secretsKey) : null;
  const directory = new AgencyDirectory(new AgenciesRepository(db), clock, secrets);
  const repo = new DispatchRepository(db);
  const outbox = new OutboxWorker(repo, directory, clock, log.child({ component: 'outbox' }), settings.outbox);
  const dispatches = new DispatchService(repo, directory, clock, () => outbox.kick());
  const running = lifecycle(() => {
    directory.seed();
    return [outbox.start()];
  });
  const capability: Capability = {
    name: 'dispatch',
    routes: [
      { prefix: '/api', routes: agencyRoutes(directory) },
      { prefix: '/api', routes: dispatchRoutes(dispatches) },
      { prefix: '/api/admin', routes: adminAgencyRoutes(directory) },
      { prefix: '/api/admin', routes: adminOutboxRoutes(repo, () => clock.now(), () => outbox.kick()) },
    ],
    start: running.start,
    stop: running.stop,
  };
  return { capability, directory, dispatches, outbox, repo };
}
