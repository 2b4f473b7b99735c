import type { Disposition } from '../calls/disposition-service.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import { CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { IncidentsRepository } from '../db/incidents-repository.js';
import type { AgencyDirectory } from '../dispatch/agency-directory.js';
import type { DispatchService } from '../dispatch/dispatch-service.js';
import type { CallLocation } from '../geo/best-location.js';
import type { Logger } from '../log.js';
import type { ExportInput } from './incident-export.js';
import { IncidentService } from './incident-service.js';
import { adminIncidentRoutes, incidentRoutes } from './routes.js';
import type { SurgeSettings } from './surge-detection.js';
import { surgeRoutes } from './surge-routes.js';
import { type MassCallAnnouncement, SurgeService } from './surge-service.js';
import { Subcategories } from './subcategories.js';

export interface IncidentsNeeds {
  db: Db;
  clock: Clock;
  log: Logger;
  locationOf: (callId: string) => CallLocation;
  kecamatanAt: (latitude: number, longitude: number) => string;
  dispose: (callId: string, disposition: Disposition, note: string, by: string) => void;
  dispositionOf: (callId: string) => string | null;
  directory: AgencyDirectory;
  dispatches: DispatchService;
  announcement: MassCallAnnouncement;
  settings: { surge: SurgeSettings & { intervalMs: number } };
}

/** The incidents capability: incidents made of calls, their dispatch, their export, and surges. */
export function createIncidents(needs: IncidentsNeeds) {
  const { db, clock, log, settings } = needs;
  const repo = new IncidentsRepository(db);
  const calls = new CallsRepository(db);
  const subcategories = new Subcategories(repo, clock);
  const service = new IncidentService({
    repo, calls, locationOf: needs.locationOf, kecamatanAt: needs.kecamatanAt, dispose: needs.dispose,
    directory: needs.directory, dispatches: needs.dispatches, subcategories, clock,
  });
  const surges = new SurgeService({ calls, repo, incidents: service, locationOf: needs.locationOf, announcement: needs.announcement, clock, log: log.child({ component: 'surges' }), settings: settings.surge });
  const exportOf = (incidentId: string): ExportInput => {
    const incident = service.get(incidentId);
    const rows = new Map(incident.calls.flatMap((link) => {
      const row = calls.findById(link.callId);
      return row ? [[row.id, row] as const] : [];
    }));
    const names = new Map(needs.directory.list().map((agency) => [agency.id, agency.name]));
    return {
      incident, calls: rows, fixesOf: (callId) => needs.locationOf(callId).fixes, dispositionOf: needs.dispositionOf,
      agencyName: (agencyId) => names.get(agencyId) ?? agencyId, now: clock.now(),
    };
  };
  const running = lifecycle(() => {
    if (settings.surge.intervalMs <= 0) return [];
    const timer = clock.every(settings.surge.intervalMs, () => {
      try {
        surges.tick();
      } catch (error) {
        // A locked database or a bad row: the next tick tries again; calls are never held up by it.
        log.warn({ err: String(error) }, 'surge detection tick failed');
      }
    });
    return [() => timer.cancel()];
  });
  const capability: Capability = {
    name: 'incidents',
    routes: [
      { prefix: '/api', routes: incidentRoutes(service, subcategories, exportOf) },
      { prefix: '/api', routes: surgeRoutes(surges) },
      { prefix: '/api/admin', routes: adminIncidentRoutes(subcategories) },
    ],
    start: running.start,
    stop: running.stop,
  };
  return { capability, service, surges, subcategories, repo };
}
