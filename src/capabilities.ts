import type { Capability } from './capability.js';
import { createCalls, type CallsSettings } from './calls/capability.js';
import { createCallbacks } from './callbacks/capability.js';
import type { Clock } from './clock.js';
import { type Db, sqliteOf } from './db/database.js';
import type { DomainEvents } from './domain-events.js';
import { createDispatch, type DispatchNeeds } from './dispatch/capability.js';
import { createIncidents, type IncidentsNeeds } from './incidents/capability.js';
import { createIvr, type IvrNeeds } from './ivr/capability.js';
import { createLegs } from './legs/capability.js';
import { createLocation, type LocationNeeds } from './location/capability.js';
import { createLive } from './live/capability.js';
import { createMetrics, type MetricsSettings } from './metrics/capability.js';
import type { Logger } from './log.js';
import { OUTSIDE_KOTA_BEKASI } from './location/kecamatan/kecamatan-map.js';
import type { Operator } from './operators/operator-board.js';
import { createOperators } from './operators/capability.js';
import { createQueue, type QueueSettings } from './queue/capability.js';
import { createRecordings } from './recordings/capability.js';
import { createReports, type ReportsNeeds } from './reports/capability.js';
import { createReconciliation } from './reconcile/capability.js';
import type { Telephony } from './telephony/port.js';

/** What every capability runs on: the database, Asterisk, time, the log and the domain events. */
export interface Platform {
  db: Db;
  telephony: Telephony;
  clock: Clock;
  log: Logger;
  events: DomainEvents;
}

export interface CapabilitySettings {
  operatorIds: readonly string[];
  reachable: (operator: Operator) => boolean;
  queue: QueueSettings;
  /** Whether queued callers go to the switchboard (otherwise they wait on hold). */
  switchboard: boolean;
  /** Whether calls run the IVR flows (otherwise they hear the greeting only). */
  ivrFlows: boolean;
  calls: CallsSettings;
  ivr: Omit<IvrNeeds, 'db' | 'clock'>;
  callbacks: { minWaitMs: number };
  recordings: { dir: string; retentionMs: number };
  reconcile: { intervalMs: number; graceMs: number };
  location: LocationNeeds['settings'];
  dispatch: DispatchNeeds['settings'];
  incidents: IncidentsNeeds['settings'];
  metrics: Omit<MetricsSettings, 'longestCallMs'>;
  reports: ReportsNeeds['settings'];
}

/**
 * Builds every capability on one platform, in the order they depend on each other; the process
 * (main.ts) and the tests build exactly this. Nothing starts here: each capability's plugin
 * starts it on `onReady`.
 */
export function composeCapabilities(platform: Platform, settings: CapabilitySettings) {
  const { db, telephony, clock, log, events } = platform;
  const legs = createLegs({ telephony, clock, log });
  const dispatch = createDispatch({ db, clock, log, settings: settings.dispatch });
  const operators = createOperators({ db, clock, events, operatorIds: settings.operatorIds, reachable: settings.reachable, legs: legs.dialer });
  const queue = createQueue({ db, telephony, dialer: legs.dialer, board: operators.board, agencies: dispatch.directory, clock, events, log, settings: settings.queue });
  const callbacks = createCallbacks({
    db, telephony, dialer: legs.dialer, board: operators.board, connected: queue.connected, clock, events, log,
    settings: { trunkEndpoint: settings.queue.trunkEndpoint, minWaitMs: settings.callbacks.minWaitMs, ringTimeoutMs: settings.queue.ringTimeoutMs },
  });
  const ivr = createIvr({ db, clock, ...settings.ivr });
  const location = createLocation({ db, telephony, clock, log, events, settings: settings.location });
  const calls = createCalls({
    db, telephony, channelEvents: legs.router.calls, events, clock, log, flows: settings.ivrFlows ? ivr.flows : null,
    announcement: settings.ivrFlows ? () => ivr.announcements.current() : () => undefined,
    queue: settings.switchboard ? queue.switchboard : undefined, settings: settings.calls,
    locationOf: (callId) => location.service.locationOf(callId),
    // Read at request time only: incidents are built below, on the calls they link.
    incidentOf: (callId) => incidents.service.incidentOfCall(callId),
  });
  const incidents = createIncidents({
    db, clock, log, locationOf: (callId) => location.service.locationOf(callId),
    kecamatanAt: (latitude, longitude) => location.maps.current().kecamatanAt(latitude, longitude) ?? OUTSIDE_KOTA_BEKASI,
    dispose: (callId, disposition, note, by) => void calls.dispositions.dispose(callId, disposition, note, by),
    dispositionOf: (callId) => calls.dispositions.current(callId),
    directory: dispatch.directory, dispatches: dispatch.dispatches, announcement: ivr.announcements, settings: settings.incidents,
  });
  const live = createLive({ db, events, clock, log, queue: queue.feed });
  const recordings = createRecordings({ db, telephony, clock, log, ...settings.recordings });
  const reconcile = createReconciliation({
    db, telephony, clock, events, log, board: operators.board, connected: queue.connected, switchboard: queue.switchboard,
    service: calls.service, callbacks: callbacks.service, legs: legs.dialer, bridgeOwners: [queue.connected, queue.supervision, callbacks.service],
    settings: { ...settings.reconcile, wrapupMs: settings.queue.wrapupMs },
  });
  const reports = createReports({ sqlite: sqliteOf(db), clock, settings: settings.reports });
  // Last, and started last: it reads every other capability and changes none.
  const metrics = createMetrics({
    db, telephony, clock, events, log, queue: queue.feed.state, calls: calls.service, selfCheck: () => reconcile.reconciler.report(),
    settings: { ...settings.metrics, longestCallMs: settings.calls.maxCallSeconds * 1000 },
  });
  /** In start order: Asterisk's events are routed before anyone hears them; reconciliation last but for metrics, which only reads. */
  const all: Capability[] = [legs, dispatch, operators, queue, callbacks, ivr, location, calls, incidents, live, recordings, reports, reconcile, metrics].map((c) => c.capability);
  return { legs, dispatch, operators, queue, callbacks, ivr, location, calls, incidents, live, recordings, reports, reconcile, metrics, all };
}

export type Capabilities = ReturnType<typeof composeCapabilities>;
