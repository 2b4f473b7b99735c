import { isLegChannel } from './leg-ids.js';
import type { Telephony, TelephonyEvent } from './port.js';

/** A stream of Asterisk events already routed to whoever owns their channel. */
export interface EventSource {
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
}

/** The channel an event is about; playbacks name their target instead (a caller's channel). */
function channelOf(event: TelephonyEvent): string | null {
  if (event.type === 'StasisStart') return event.channel.id;
  if (event.type === 'PlaybackStarted' || event.type === 'PlaybackFinished') return null;
  return event.channelId;
}

/**
 * The one subscriber to Asterisk's events: each event is routed once, by its channel, to the
 * dialer (channels siaga112 dialled, `leg-…`) or to the call service (citizens' calls), instead
 * of every module hearing every event and filtering it by maps of its own.
 */
export class EventRouter {
  private readonly legListeners = new Set<(event: TelephonyEvent) => void>();
  private readonly callListeners = new Set<(event: TelephonyEvent) => void>();

  /** Events about legs siaga112 dialled. */
  readonly legs: EventSource = { onEvent: (listener) => subscribe(this.legListeners, listener) };
  /** Events about citizens' calls (and playbacks). */
  readonly calls: EventSource = { onEvent: (listener) => subscribe(this.callListeners, listener) };

  constructor(private readonly telephony: Telephony) {}

  /** Starts routing; returns the function that stops it. */
  start(): () => void {
    return this.telephony.onEvent((event) => {
      const channelId = channelOf(event);
      const listeners = channelId !== null && isLegChannel(channelId) ? this.legListeners : this.callListeners;
      for (const listener of listeners) listener(event);
    });
  }
}

function subscribe<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
