import type { Capability } from '../capability.js';
import type { CallLocation } from '../geo/best-location.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { DispositionsRepository } from '../db/dispositions-repository.js';
import { type CallReaders, callRoutes } from './routes.js';
import { adminNumberRoutes, dispositionRoutes } from './disposition-routes.js';
import type { Announcement } from '../ivr/announcement-service.js';
import type { FlowService } from '../ivr/flow-service.js';
import type { Logger } from '../log.js';
import type { EventSource } from '../telephony/event-router.js';
import type { DialplanTarget, Telephony } from '../telephony/port.js';
import type { AdmissionPolicy } from './admission.js';
import type { CallEventPublisher } from './call-events.js';
import type { CallQueue } from './call-queue.js';
import { CallService } from './call-service.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import { DispositionService } from './disposition-service.js';
import { FallbackImporter } from './fallback-import.js';
import type { PrankPolicy } from './prank-policy.js';

export interface CallsSettings {
  greeting: string;
  maxCallSeconds: number;
  playbackGuardMs: number;
  admission: AdmissionPolicy;
  fallback: DialplanTarget;
  prank: PrankPolicy;
  /** Asterisk's cdr_custom file of calls the dialplan fallback handled itself, or null. */
  cdr: { path: string; pollMs: number } | null;
}

export interface CallsNeeds {
  db: Db;
  telephony: Telephony;
  /** Asterisk's events about citizens' channels. */
  channelEvents: EventSource;
  events: CallEventPublisher;
  clock: Clock;
  log: Logger;
  flows: FlowService | null;
  announcement: () => Announcement | undefined;
  queue: CallQueue | undefined;
  /** Where a call's caller is (the location capability's read, bound by the composition). */
  locationOf: (callId: string) => CallLocation;
  incidentOf: CallReaders['incidentOf'];
  settings: CallsSettings;
}

/** The calls capability: every live call, its record, dispositions, and calls the fallback took alone. */
export function createCalls(needs: CallsNeeds) {
  const { db, telephony, channelEvents, events, clock, log, flows, settings } = needs;
  const repo = new CallsRepository(db);
  const dispositionsRepo = new DispositionsRepository(db);
  const dispositions = new DispositionService(repo, dispositionsRepo, settings.prank, clock);
  const service = new CallService({
    telephony, channelEvents, events, repo, clock, log: log.child({ component: 'calls' }),
    session: {
      flowFor: flows ? (dialled) => flows.forCall(dialled) : undefined,
      inPrankLane: (callerNumber) => dispositions.inPrankLane(callerNumber),
      announcement: needs.announcement,
      queue: needs.queue,
      greeting: settings.greeting, maxCallSeconds: settings.maxCallSeconds, playbackGuardMs: settings.playbackGuardMs,
    },
    admission: settings.admission,
    fallback: settings.fallback,
  });
  const importer = settings.cdr ? new FallbackImporter(settings.cdr.path, db, repo, log.child({ component: 'cdr-import' }), events) : null;
  const capability: Capability = {
    name: 'calls',
    routes: [
      { prefix: '/api', routes: callRoutes(repo, { locationOf: needs.locationOf, incidentOf: needs.incidentOf, dispositionsOf: (callId) => dispositionsRepo.forCall(callId) }) },
      { prefix: '/api', routes: dispositionRoutes(dispositions, repo) },
      { prefix: '/api/admin', routes: adminNumberRoutes(dispositions) },
    ],
    ...lifecycle(() => {
      // Rows from before caller_number_key existed, of the last day: correlation never scans.
      // Best effort: a database locked at start-up must not keep siaga112 from taking calls.
      try {
        repo.backfillNumberKeys(clock.now() - 86_400_000, normaliseNumber);
      } catch (error) {
        log.warn({ err: String(error) }, 'could not fill in callers\' normalised numbers; older calls may not correlate');
      }
      if (!importer) return [service.start()];
      // Calls the fallback took while siaga112 was down are on record before anything else.
      return importer.importNew().then(() => [importer.start(settings.cdr!.pollMs), service.start()]);
    }),
  };
  return { capability, service, repo, dispositions, importer };
}
