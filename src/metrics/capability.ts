import { Registry } from 'prom-client';
import type { CallService } from '../calls/call-service.js';
import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { MetricsRepository } from '../db/metrics-repository.js';
import type { Logger } from '../log.js';
import type { QueueStateView } from '../queue/queue-state.js';
import type { SelfCheckStatus } from '../reconcile/reconciler.js';
import type { Telephony } from '../telephony/port.js';
import { type AriLinkSource, ariLinkMetrics } from './ari-metrics.js';
import { eventCounters, type MetricsEvents } from './event-counters.js';
import { registerLiveGauges } from './live-gauges.js';
import { processMetrics } from './process-metrics.js';
import { metricsRoutes } from './routes.js';

export interface MetricsSettings {
  /** Scrapes from this host (127.0.0.1, ::1) need no token. */
  loopbackWithoutToken: boolean;
  /** The longest a call may last (bounds the service level's query). */
  longestCallMs: number;
}

export interface MetricsNeeds {
  db: Db;
  telephony: Pick<Telephony, 'status' | 'onLink'>;
  clock: Clock;
  events: MetricsEvents;
  log: Logger;
  /** The queue as the wallboard shows it (the queue capability's feed). */
  queue: () => QueueStateView;
  calls: Pick<CallService, 'liveCallStates' | 'admission'>;
  selfCheck: () => SelfCheckStatus;
  settings: MetricsSettings;
}

/**
 * The metrics capability: GET /metrics for Prometheus. It reads the others and changes nothing:
 * gauges read their live state at each scrape, counters follow the domain events. Each app has
 * its own registry (the tests build several); the process's own figures are shared.
 */
export function createMetrics(needs: MetricsNeeds) {
  const { db, telephony, clock, events, log, settings } = needs;
  const registry = new Registry();
  registerLiveGauges(registry, {
    queue: needs.queue, liveCallStates: () => needs.calls.liveCallStates(), admission: () => needs.calls.admission(),
    link: () => telephony.status(), selfCheck: needs.selfCheck, figures: new MetricsRepository(db), now: () => clock.now(),
    longestCallMs: settings.longestCallMs, log: log.child({ component: 'metrics' }),
  });
  const counters = eventCounters(registry);
  let measureAri: (() => () => void) | null = null;
  const exposition = async () => {
    const texts = await Promise.all([registry.metrics(), processMetrics().metrics()]);
    return { contentType: registry.contentType, text: texts.join('\n') };
  };
  const capability: Capability = {
    name: 'metrics',
    routes: [{ prefix: '', routes: metricsRoutes(exposition, settings.loopbackWithoutToken) }],
    ...lifecycle(() => {
      // From the first start on: the event-loop monitor then has samples by the first scrape.
      processMetrics();
      return [...counters.follow(events, telephony), ...(measureAri ? [measureAri()] : [])];
    }),
  };
  return {
    capability, registry, exposition,
    /**
     * Adds the real ARI link's own metrics (request latency, heartbeat misses, ari-client's
     * listeners); main.ts does, before the app starts. The fake Telephony has none of these.
     */
    attachAri(source: AriLinkSource): void {
      if (measureAri) throw new Error('the ARI link is attached to the metrics already');
      measureAri = ariLinkMetrics(registry, source);
    },
  };
}
