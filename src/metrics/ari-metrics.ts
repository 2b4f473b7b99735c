import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AriRequestMeasure } from '../ari/rest.js';

/**
 * What the real ARI link tells beyond the Telephony port: src/ari's AriTelephony has it, the
 * fake Telephony of the tests does not, so these metrics exist only where it is attached.
 */
export interface AriLinkSource {
  onRequestMeasured(listener: (measure: AriRequestMeasure) => void): () => void;
  linkCounts(): { heartbeatMisses: number; clientListeners: number };
}

/** ARI round trips on a healthy link are a few ms; admission refuses calls past 1 s. */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Registers the ARI link's metrics; returns the function that starts measuring requests (it returns the stop). */
export function ariLinkMetrics(registry: Registry, source: AriLinkSource): () => () => void {
  const registers = [registry];
  const latency = new Histogram({
    name: 'siaga112_ari_request_duration_seconds', help: 'ARI REST requests by operation (ids replaced by :id) and outcome (ok, client-error, server-error, failed)',
    labelNames: ['operation', 'outcome'], buckets: LATENCY_BUCKETS_S, registers,
  });
  new Counter({
    name: 'siaga112_ari_heartbeat_misses_total', help: 'Heartbeat ticks that found the previous WebSocket ping still without its pong', registers,
    collect() {
      this.reset();
      this.inc(source.linkCounts().heartbeatMisses);
    },
  });
  new Gauge({
    name: 'siaga112_ari_client_listeners', help: 'Listeners on ari-client\'s emitter: constant however many calls pass (a rise is a leak)', registers,
    collect() {
      this.set(source.linkCounts().clientListeners);
    },
  });
  return () => source.onRequestMeasured(({ operation, outcome, seconds }) => latency.observe({ operation, outcome }, seconds));
}
