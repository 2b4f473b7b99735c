import { z } from 'zod';
import type { Publisher, Subscriber } from '../events/event-bus.js';
import { storedFixSchema } from '../geo/stored-fix.js';

/**
 * What the location capability publishes: every fix as it is attached to its call (from SIP,
 * AML, the registry or an operator), once, after it is taken in.
 */
export const locationEventSchemas = {
  'location.fix': z.object({ callId: z.string(), at: z.number().int(), fix: storedFixSchema }),
};

export type LocationEventPublisher = Publisher<typeof locationEventSchemas>;
export type LocationEventSubscriber = Subscriber<typeof locationEventSchemas>;
