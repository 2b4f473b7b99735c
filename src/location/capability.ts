import type { CallEventSubscriber } from '../calls/call-events.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { LocationRepository } from '../db/location-repository.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import { type IntakeSettings, intakeRoutes } from './intake-routes.js';
import { KecamatanMaps } from './kecamatan-maps.js';
import type { LocationEventPublisher } from './location-events.js';
import { type LocationSettings, LocationService } from './location-service.js';
import { OperatorFixes } from './operator-fixes.js';
import { locationRoutes } from './routes.js';

export interface LocationNeeds {
  db: Db;
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  events: LocationEventPublisher & CallEventSubscriber;
  settings: LocationSettings & { intake: IntakeSettings };
}

/**
 * The location capability: every way a caller's location reaches siaga112 (SIP PIDF-LO, AML
 * over HTTPS and SMS, the landline registry, the operator), kept as fixes of the call and
 * published live.
 */
export function createLocation(needs: LocationNeeds) {
  const { db, telephony, clock, log, events, settings } = needs;
  const repo = new LocationRepository(db);
  const maps = new KecamatanMaps(repo, clock);
  const calls = new CallsRepository(db);
  const service = new LocationService({ repo, calls, telephony, maps, clock, log: log.child({ component: 'location' }), events, settings });
  const operatorFixes = new OperatorFixes({ service, calls, repo, clock });
  const running = lifecycle(() => service.start());
  const capability: Capability = {
    name: 'location',
    routes: [
      { prefix: '/api', routes: locationRoutes({ service, operatorFixes, repo, maps, clock }) },
      { prefix: '/api', routes: intakeRoutes(service, repo, events, clock, settings.intake) },
    ],
    start: running.start,
    // Reads under way (an ARI request, a by-reference fetch, each with its own deadline) finish
    // before the database closes: their fixes are written, not lost with the process.
    stop: async () => {
      await running.stop();
      await service.settled();
    },
  };
  return { capability, service, repo, maps, operatorFixes };
}
