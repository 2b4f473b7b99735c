import { Counter, Gauge, type Registry } from 'prom-client';
import type { AdmissionStatus } from '../calls/admission.js';
import { CallState } from '../calls/states.js';
import type { MetricsRepository, OutboxCounts, ServiceLevelCounts } from '../db/metrics-repository.js';
import type { Logger } from '../log.js';
import { operatorStateSchema } from '../operators/operator-states.js';
import type { QueueStateView } from '../queue/queue-state.js';
import type { SelfCheckStatus } from '../reconcile/reconciler.js';
import type { LinkStatus } from '../telephony/port.js';
import { serviceLevelWindow } from './service-level.js';

/** What the gauges read at each scrape: the other capabilities' live state, and two queries. */
export interface LiveSources {
  queue: () => QueueStateView;
  /** Calls in siaga112's own flow (the call service's sessions), by state. */
  liveCallStates: () => ReadonlyMap<CallState, number>;
  admission: () => AdmissionStatus;
  link: () => LinkStatus;
  selfCheck: () => SelfCheckStatus;
  figures: MetricsRepository;
  now: () => number;
  /** The longest a call may last: how far before today an answered call may have arrived. */
  longestCallMs: number;
  log: Logger;
}

/** The states a call in siaga112's flow is in before it ends: always shown, 0 when empty. */
const LIVE_STATES = [CallState.arriving, CallState.ivr, CallState.queued, CallState.offered, CallState.connected] as const;

/**
 * A reading shared by several gauges of one scrape (the queue view, a query): prom-client runs
 * every metric's collect() in one synchronous pass, so it is read once and forgotten after it.
 */
function oncePerScrape<T>(read: () => T): () => T {
  let held: { value: T } | null = null;
  return () => {
    if (!held) {
      held = { value: read() };
      queueMicrotask(() => {
        held = null;
      });
    }
    return held.value;
  };
}

/** The gauges (and report-fed counters) set from live state at each scrape. */
export function registerLiveGauges(registry: Registry, sources: LiveSources): void {
  const registers = [registry];
  const queue = oncePerScrape(sources.queue);
  const link = oncePerScrape(sources.link);
  // A locked or failing database must not take the other figures down with it: these show NaN.
  const guarded = <T>(what: string, read: () => T): (() => T | null) => oncePerScrape(() => {
    try {
      return read();
    } catch (error) {
      sources.log.warn({ err: String(error), what }, 'metrics: could not read from the database');
      return null;
    }
  });
  const serviceLevel = guarded<ServiceLevelCounts>('service level', () => sources.figures.serviceLevel(serviceLevelWindow(sources.now(), sources.longestCallMs)));
  const outbox = guarded<OutboxCounts>('webhook outbox', () => sources.figures.outboxCounts());
  const gauge = (name: string, help: string, read: () => number | null) => new Gauge({
    name, help, registers,
    collect() {
      this.set(read() ?? Number.NaN);
    },
  });

  gauge('siaga112_queue_calls_waiting', 'Callers waiting in the queue for an operator', () => queue().depth);
  gauge('siaga112_queue_longest_wait_seconds', 'Longest wait of a caller in the queue now, from arrival at Asterisk', () => queue().longestWaitMs / 1000);
  gauge('siaga112_queue_calls_connected', 'Calls with an operator now (callbacks included)', () => queue().connected);
  gauge('siaga112_offers_ringing', 'Operator phones ringing now for waiting callers', () => queue().waiting.reduce((sum, w) => sum + w.ringing.length, 0));
  new Gauge({
    name: 'siaga112_operators', help: 'Operators in each state', labelNames: ['state'], registers,
    collect() {
      const { operators } = queue();
      for (const state of operatorStateSchema.options) this.set({ state }, operators[state]);
    },
  });
  gauge('siaga112_operators_unreachable', 'Operators logged in whose softphone is not registered (also counted in their state)', () => queue().operators.unreachable);
  new Gauge({
    name: 'siaga112_calls_live', help: 'Calls in siaga112\'s own flow now, by state (arriving, ivr, queued, offered, connected)', labelNames: ['state'], registers,
    collect() {
      this.reset();
      const states = sources.liveCallStates();
      for (const state of LIVE_STATES) this.set({ state }, states.get(state) ?? 0);
      for (const [state, count] of states) if (!LIVE_STATES.includes(state as (typeof LIVE_STATES)[number])) this.set({ state }, count);
    },
  });
  gauge('siaga112_admission_accepting', '1 while new calls enter siaga112\'s flow; 0 while admission sends them to the dialplan fallback', () => (sources.admission().accepting ? 1 : 0));
  gauge('siaga112_ari_connected', '1 while the ARI link to Asterisk is up', () => (link().connected ? 1 : 0));
  gauge('siaga112_ari_latency_seconds', 'Smoothed ARI round trip (REST, else heartbeat); NaN before the first', () => {
    const { latencyMs } = link();
    return latencyMs === null ? null : latencyMs / 1000;
  });
  gauge('siaga112_ari_requests_in_flight', 'ARI REST requests on a connection now', () => link().inFlight);
  gauge('siaga112_ari_requests_pending', 'ARI REST requests waiting for a connection', () => link().pending);
  gauge('siaga112_calls_answered_today', 'Calls connected to an operator since midnight (Asia/Jakarta)', () => serviceLevel()?.answered ?? null);
  gauge('siaga112_calls_answered_in_time_today', 'Of those, calls connected at most 10 s after they arrived at Asterisk', () => serviceLevel()?.inTime ?? null);
  gauge('siaga112_service_level_today_ratio', 'Service level today: answered within 10 s / answered (NaN before the first answer)', () => {
    const counts = serviceLevel();
    return counts && counts.answered > 0 ? counts.inTime / counts.answered : null;
  });
  gauge('siaga112_webhook_outbox_pending', 'Agency webhooks not delivered yet and still being tried', () => outbox()?.pending ?? null);
  gauge('siaga112_webhook_outbox_dead', 'Agency webhooks given up on (dead letters), until an admin retries them', () => outbox()?.dead ?? null);
  new Counter({
    name: 'siaga112_reconcile_runs_total', help: 'Reconciliation runs (at each connect and each self-check)', registers,
    collect() {
      this.reset();
      this.inc(sources.selfCheck().runs);
    },
  });
  new Counter({
    name: 'siaga112_reconcile_repairs_total', help: 'What reconciliation repaired, by kind of action (adopt-call, free-operator, handed-over, ...)', labelNames: ['kind'], registers,
    collect() {
      this.reset();
      for (const [kind, count] of Object.entries(sources.selfCheck().repairs)) this.inc({ kind }, count);
    },
  });
}
