/**
 * What a module that dials legs (offers, agencies, supervisors, snoops, callbacks) tells
 * reconciliation: which channels and bridges are its own right now, which operators it keeps
 * ringing or talking, and how it takes the news of a channel Asterisk no longer has (its
 * ChannelDestroyed was lost with the link).
 */
export interface LegOwner {
  legs(): Iterable<string>;
  bridges(): Iterable<string>;
  engaged(): Iterable<[operatorId: string, how: 'ringing' | 'talking']>;
  /** Handles a vanished channel as if its ChannelDestroyed had arrived; false if not its own. */
  channelGone(channelId: string): boolean;
}
