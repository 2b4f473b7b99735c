/**
 * What reconciliation asks of the one module that dials legs (src/legs/dialer.ts): which
 * channels are its own right now, which operators they keep ringing or talking, and how it takes
 * the news of a channel Asterisk no longer has (its ChannelDestroyed was lost with the link).
 */
export interface LiveLegs {
  legs(): Iterable<string>;
  engaged(): Iterable<[operatorId: string, how: 'ringing' | 'talking']>;
  /** Handles a vanished channel as if its ChannelDestroyed had arrived; false if not a leg of ours. */
  channelGone(channelId: string): boolean;
}

/** A module that builds bridges of its own (a call's mixing bridge, a monitor, a callback). */
export interface BridgeOwner {
  bridges(): Iterable<string>;
}
