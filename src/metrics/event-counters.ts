import { Counter, type Registry } from 'prom-client';
import { AdmissionLimit } from '../calls/admission.js';
import type { CallEventSubscriber } from '../calls/call-events.js';
import { FallbackReason } from '../calls/fallback-reason.js';
import { EndReason } from '../calls/states.js';
import type { LocationEventSubscriber } from '../location/location-events.js';
import type { QueueEventSubscriber } from '../queue/queue-events.js';
import { OfferOutcome } from '../queue/ringing-offers.js';
import type { Telephony } from '../telephony/port.js';

/** The domain events the counters follow. */
export type MetricsEvents = CallEventSubscriber & QueueEventSubscriber & LocationEventSubscriber;

/**
 * A label value from a field the schema types as any string: one of the known values, `none`
 * when absent, else `other`, so that no value we did not foresee can grow the label set.
 */
function knownOr(values: readonly string[]): (value: string | null) => string {
  const known = new Set(values);
  return (value) => (value === null ? 'none' : known.has(value) ? value : 'other');
}
const endReasonLabel = knownOr(Object.values(EndReason));
const fallbackReasonLabel = knownOr(Object.values(FallbackReason));

/**
 * Counters of what happened since the process started, fed by the domain events (Prometheus
 * takes a restart's reset in its stride). Labels are kinds and outcomes, never a call id or a
 * number. Built once; `follow` subscribes and returns what unsubscribes.
 */
export function eventCounters(registry: Registry) {
  const registers = [registry];
  const arrived = new Counter({ name: 'siaga112_calls_arrived_total', help: 'Calls that entered siaga112\'s Stasis app', registers });
  const ended = new Counter({
    name: 'siaga112_calls_ended_total', help: 'Calls whose caller\'s part ended, by the state it ended in (wrapup: answered) and end reason',
    labelNames: ['state', 'end_reason'], registers,
  });
  const fallback = new Counter({ name: 'siaga112_calls_fallback_total', help: 'Calls the dialplan fallback took from siaga112, by why', labelNames: ['reason'], registers });
  const guardian = new Counter({ name: 'siaga112_guardian_handovers_total', help: 'Calls siaga112\'s guardian handed to the dialplan fallback while siaga112 did not answer', registers });
  const refused = new Counter({ name: 'siaga112_admission_refusals_total', help: 'New calls admission sent straight to the dialplan fallback, by the limit reached', labelNames: ['limit'], registers });
  const offers = new Counter({ name: 'siaga112_offers_total', help: 'Rings for waiting callers that ended, by target and outcome', labelNames: ['target', 'outcome'], registers });
  const aml = new Counter({ name: 'siaga112_aml_intake_total', help: 'AML messages delivered by the gateways, by intake, sender and outcome', labelNames: ['intake', 'sender', 'outcome'], registers });
  const reconnects = new Counter({ name: 'siaga112_ari_reconnects_total', help: 'Times the ARI link came back after being down', registers });
  const disconnects = new Counter({ name: 'siaga112_ari_disconnects_total', help: 'Times the ARI link went down (socket lost, or heartbeat without pong)', registers });

  // Known label values start at 0: a rate over the first occurrence is then a rise, not a new series.
  for (const reason of Object.values(FallbackReason)) fallback.inc({ reason }, 0);
  for (const limit of Object.values(AdmissionLimit)) refused.inc({ limit }, 0);
  for (const target of ['operator', 'overflow']) for (const outcome of Object.values(OfferOutcome)) offers.inc({ target, outcome }, 0);

  return {
    follow(events: MetricsEvents, telephony: Pick<Telephony, 'onLink'>): Array<() => void> {
      return [
        events.subscribe('call.arrived', () => arrived.inc()),
        events.subscribe('call.ended', ({ state, endReason, fallbackReason }) => {
          ended.inc({ state, end_reason: endReasonLabel(endReason) });
          if (state !== 'fallback') return;
          fallback.inc({ reason: fallbackReasonLabel(fallbackReason) });
          if (fallbackReason === FallbackReason.guardian) guardian.inc();
        }),
        events.subscribe('call.refused', ({ limit }) => refused.inc({ limit })),
        events.subscribe('offer.ended', ({ target, outcome }) => offers.inc({ target, outcome })),
        events.subscribe('location.aml-intake', ({ intake, sender, outcome }) => aml.inc({ intake, sender, outcome })),
        telephony.onLink((event) => {
          if (event.type === 'disconnected') disconnects.inc();
          else if (event.reconnect) reconnects.inc();
        }),
      ];
    },
  };
}
