import type { z } from 'zod';
import type { Logger } from '../log.js';

/** A map from event name to the zod schema of its payload. */
export type EventSchemas = Record<string, z.ZodType>;

/** What a module that owns events needs: to publish its own (declared in its `*-events.ts`). */
export interface Publisher<S extends EventSchemas> {
  publish<K extends keyof S & string>(type: K, payload: z.input<S[K]>): void;
}

/** What a module that follows others' events needs. */
export interface Subscriber<S extends EventSchemas> {
  subscribe<K extends keyof S & string>(type: K, listener: (payload: z.output<S[K]>) => void): () => void;
}

/**
 * In-process domain events: the module that owns a fact publishes it once, with its schema;
 * whoever needs it (callbacks, the queue stream, later location, metrics, the console)
 * subscribes, instead of being called by the owner or polling it. A listener that throws is
 * logged and never reaches the publisher: a bug in a subscriber must not break a call.
 */
export class EventBus<S extends EventSchemas> implements Publisher<S>, Subscriber<S> {
  private readonly listeners = new Map<keyof S, Set<(payload: never) => void>>();

  constructor(private readonly schemas: S, private readonly log: Logger) {}

  /** Publishes an event; a payload its schema refuses is a bug, logged and not delivered. */
  publish<K extends keyof S & string>(type: K, payload: z.input<S[K]>): void {
    const parsed = this.schemas[type]!.safeParse(payload);
    if (!parsed.success) {
      this.log.error({ type, issues: parsed.error.issues }, 'domain event does not match its schema; not published');
      return;
    }
    for (const listener of this.listeners.get(type) ?? []) this.deliver(type, () => (listener as (payload: z.output<S[K]>) => void)(parsed.data as z.output<S[K]>));
  }

  /** Subscribes to one event; returns the function that unsubscribes. */
  subscribe<K extends keyof S & string>(type: K, listener: (payload: z.output<S[K]>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }


  private deliver(type: keyof S, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.log.error({ type, err: String(error) }, 'a domain event listener failed');
    }
  }
}
