import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { OffersRepository } from '../db/offers-repository.js';
import type { Leg } from '../legs/leg.js';

export const OfferOutcome = { answered: 'answered', noAnswer: 'no-answer', cancelled: 'cancelled', failed: 'failed' } as const;
export const offerOutcomeSchema = z.enum(OfferOutcome);
export type OfferOutcome = z.infer<typeof offerOutcomeSchema>;

/** The target of a ring to the overflow centre (every other target is an operator id). */
export const OVERFLOW = 'overflow';

export interface Offer {
  channelId: string;
  callId: string;
  /** An operator id, or OVERFLOW. */
  target: string;
  leg: Leg;
}

/**
 * Rings in progress: in memory with their legs (the dialer times them), and in SQLite
 * (call_offers) from the moment they are placed until they end with an outcome, so a restart
 * knows which were cut off.
 */
export class RingingOffers {
  private readonly offers = new Map<string, Offer>();

  constructor(
    private readonly repo: OffersRepository,
    private readonly clock: Clock,
    /** Told of every ring as it ends (the queue's `offer.ended` event). */
    private readonly onEnded: (offer: Offer, outcome: OfferOutcome) => void = () => undefined,
  ) {}

  /** Records a ring just dialled. */
  open(offer: { leg: Leg; target: string; decidedAt: number }): void {
    const { leg, target, decidedAt } = offer;
    this.repo.open({ channelId: leg.channelId, callId: leg.callId, target, decidedAt, offeredAt: this.clock.now() });
    this.offers.set(leg.channelId, { channelId: leg.channelId, callId: leg.callId, target, leg });
  }

  has(channelId: string): boolean {
    return this.offers.has(channelId);
  }

  get(channelId: string): Offer | undefined {
    return this.offers.get(channelId);
  }

  all(): Offer[] {
    return [...this.offers.values()];
  }

  /** Ends a ring with its outcome; undefined when it was not ringing (already ended). */
  close(channelId: string, outcome: OfferOutcome): Offer | undefined {
    const offer = this.offers.get(channelId);
    if (!offer) return undefined;
    this.offers.delete(channelId);
    this.repo.close(channelId, outcome, this.clock.now());
    this.onEnded(offer, outcome);
    return offer;
  }
}
