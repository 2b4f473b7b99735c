import { callEventSchemas } from './calls/call-events.js';
import type { Logger } from './log.js';
import { locationEventSchemas } from './location/location-events.js';
import { operatorEventSchemas } from './operators/operator-events.js';
import { queueEventSchemas } from './queue/queue-events.js';
import { EventBus } from './events/event-bus.js';

/** Every domain event siaga112 publishes, each declared by the module that owns it. */
export const domainEventSchemas = { ...callEventSchemas, ...operatorEventSchemas, ...locationEventSchemas, ...queueEventSchemas };
export type DomainEvents = EventBus<typeof domainEventSchemas>;

export function createDomainEvents(log: Logger): DomainEvents {
  return new EventBus(domainEventSchemas, log.child({ component: 'events' }));
}
