import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * The process's own figures (event-loop lag, RSS, heap, GC, CPU, open files), once per process
 * however many apps it builds (the tests build dozens): prom-client's collectors cannot be
 * stopped, so each app registering its own would leave an event-loop monitor and a GC observer
 * running per app. Made on first use; every app's GET /metrics includes it.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
