import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Route plugins of a capability, mounted under the URL prefix clients already use. */
export interface MountedRoutes {
  prefix: string;
  routes: FastifyPluginAsyncZod;
}

/**
 * One capability (calls, ivr, operators, queue, callbacks, recordings, reconciliation, …) as
 * the process runs it: its services, built from what it declares it needs, its routes, and its
 * lifecycle. `start` subscribes and arms timers, `stop` undoes exactly that; both may be called
 * twice (a test harness starts the core before the HTTP app is built on it).
 */
export interface Capability {
  readonly name: string;
  readonly routes: readonly MountedRoutes[];
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** A start/stop pair that runs each side once per start, whoever calls it. */
export function lifecycle(start: () => Array<() => void> | Promise<Array<() => void>>): Pick<Capability, 'start' | 'stop'> {
  let stops: Array<() => void> | null = null;
  let starting: Promise<void> | null = null;
  return {
    start: () => {
      if (stops || starting) return starting ?? undefined;
      const started = start();
      if (Array.isArray(started)) {
        stops = started;
        return undefined;
      }
      starting = started.then((list) => {
        stops = list;
        starting = null;
      });
      return starting;
    },
    stop: () => {
      for (const stop of (stops ?? []).splice(0).reverse()) stop();
      stops = null;
    },
  };
}

/** The capability as one Fastify plugin: its routes, started on `onReady`, stopped on `onClose`. */
export function capabilityPlugin(capability: Capability): FastifyPluginAsync {
  return async (app) => {
    for (const { prefix, routes } of capability.routes) await app.register(routes, { prefix });
    app.addHook('onReady', async () => {
      await capability.start();
    });
    app.addHook('onClose', async () => {
      await capability.stop();
    });
  };
}
