import type { Clock } from '../clock.js';
import type { OffersRepository } from '../db/offers-repository.js';

export const OfferOutcome = { answered: 'answered', noAnswer: 'no-answer', cancelled: 'cancelled', failed: 'failed' } as const;
export type OfferOutcome = (typeof OfferOutcome)[keyof typeof OfferOutcome];

/** The target of a ring to the overflow centre (every other target is an operator id). */
export const OVERFLOW = 'overflow';

export interface Offer {
  channelId: string;
  callId: string;
  /** An operator id, or OVERFLOW. */
  target: string;
  timer: NodeJS.Timeout;
}

/**
 * Rings in progress: in memory with their ring timers, and in SQLite (call_offers) from the
 * moment they are placed until they end with an outcome, so a restart knows which were cut off.
 */
export class RingingOffers {
  private readonly offers = new Map<string, Offer>();

  constructor(private readonly repo: OffersRepository, private readonly clock: Clock) {}

  /** Records a ring and starts its timer; `onTimeout` runs if nobody ends it first. */
  open(offer: { channelId: string; callId: string; target: string; decidedAt: number }, ringMs: number, onTimeout: () => void): void {
    this.repo.open({ ...offer, offeredAt: this.clock.now() });
    const timer = setTimeout(onTimeout, ringMs);
    timer.unref();
    this.offers.set(offer.channelId, { channelId: offer.channelId, callId: offer.callId, target: offer.target, timer });
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
    clearTimeout(offer.timer);
    this.repo.close(channelId, outcome, this.clock.now());
    return offer;
  }

  stop(): void {
    for (const offer of this.offers.values()) clearTimeout(offer.timer);
  }
}
