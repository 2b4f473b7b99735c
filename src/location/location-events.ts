import { z } from 'zod';
import type { Publisher, Subscriber } from '../events/event-bus.js';
import { storedFixSchema } from '../geo/stored-fix.js';

/**
 * What the location capability publishes: every fix as it is attached to its call (from SIP,
 * AML, the registry or an operator), once, after it is taken in; and each AML message's intake.
 */
export const locationEventSchemas = {
  'location.fix': z.object({ callId: z.string(), at: z.number().int(), fix: storedFixSchema }),
  /**
   * An AML message a gateway delivered, and what came of it: attached to its call, held for a
   * call still to come, or rejected (malformed, a bad HMAC; kept in the rejected-intake log).
   */
  'location.aml-intake': z.object({
    at: z.number().int(),
    intake: z.enum(['aml-https', 'aml-sms']),
    /** The configured sender whose token delivered it. */
    sender: z.string(),
    outcome: z.enum(['attached', 'held', 'rejected']),
  }),
};

/** One AML message's intake, as the intake routes tell it. */
export type AmlIntake = z.infer<(typeof locationEventSchemas)['location.aml-intake']>;

export type LocationEventPublisher = Publisher<typeof locationEventSchemas>;
export type LocationEventSubscriber = Subscriber<typeof locationEventSchemas>;
