import type { Capability } from '../capability.js';
import { lifecycle } from '../capability.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { EventRouter } from '../telephony/event-router.js';
import type { Telephony } from '../telephony/port.js';
import { Dialer } from './dialer.js';

export interface LegsNeeds {
  telephony: Telephony;
  clock: Clock;
  log: Logger;
}

/**
 * The legs capability: the one subscriber to Asterisk's events (routing legs to the dialer and
 * citizens' calls to the call service) and the dialer every feature rings phones through.
 */
export function createLegs(needs: LegsNeeds) {
  const router = new EventRouter(needs.telephony);
  const dialer = new Dialer({ telephony: needs.telephony, clock: needs.clock, log: needs.log.child({ component: 'dialer' }) });
  const capability: Capability = {
    name: 'legs',
    routes: [],
    ...lifecycle(() => [router.start(), router.legs.onEvent((event) => dialer.handle(event)), () => dialer.stop()]),
  };
  return { capability, router, dialer };
}
