import { z } from 'zod';
import type { Publisher, Subscriber } from '../events/event-bus.js';
import { offerOutcomeSchema } from './ringing-offers.js';

/**
 * What the switchboard publishes about its rings: each offer of a waiting call, to an operator or
 * to the overflow centre, once it has ended, with how (the outcome call_offers keeps too).
 */
export const queueEventSchemas = {
  'offer.ended': z.object({
    callId: z.string(),
    at: z.number().int(),
    target: z.enum(['operator', 'overflow']),
    outcome: offerOutcomeSchema,
  }),
};

export type QueueEventPublisher = Publisher<typeof queueEventSchemas>;
export type QueueEventSubscriber = Subscriber<typeof queueEventSchemas>;
