import { z } from 'zod';

/**
 * The Telephony port: everything the call-handling core may ask of Asterisk, and the events it
 * hears back. src/ari implements it against a real Asterisk; test/fakes implements it in memory.
 * Nothing outside src/ari knows ari-client exists.
 */

/** A channel as Asterisk describes it (the subset siaga112 uses). */
export interface ChannelSnapshot {
  id: string;
  name: string;
  state: string;
  callerNumber: string;
  callerName: string;
  /** Dialplan position: for a channel in Stasis, where it entered (the dialled extension). */
  context: string;
  extension: string;
  creationTime: string;
  language: string;
}

/** A channel Asterisk has now, and whether (with which args) it is inside our Stasis app. */
export interface LiveChannel extends ChannelSnapshot {
  /** The Stasis args (`leg=offer`, `call=…`) while the channel is in our app; null elsewhere. */
  appArgs: string[] | null;
}

/** A bridge Asterisk has now. */
export interface LiveBridge {
  id: string;
  channels: string[];
  /** ms since the epoch; null when Asterisk did not say. */
  createdAt: number | null;
}

export interface DialplanTarget {
  context: string;
  extension: string;
  priority: number;
}

export type TelephonyEvent =
  | { type: 'StasisStart'; channel: ChannelSnapshot; args: string[]; timestamp: string }
  /** A StasisStart whose body could not be read: only its channel id is known. */
  | { type: 'StasisStartUnreadable'; channelId: string; timestamp: string }
  | { type: 'StasisEnd'; channelId: string; timestamp: string }
  | { type: 'ChannelHangupRequest'; channelId: string; cause: number; timestamp: string }
  | { type: 'ChannelDestroyed'; channelId: string; cause: number; causeText: string; timestamp: string }
  | { type: 'PlaybackStarted'; playbackId: string; targetUri: string; timestamp: string }
  | { type: 'PlaybackFinished'; playbackId: string; targetUri: string; state: string; timestamp: string }
  | { type: 'ChannelDtmfReceived'; channelId: string; digit: string; durationMs: number; timestamp: string }
  | { type: 'ChannelTalkingStarted'; channelId: string; timestamp: string }
  | { type: 'ChannelTalkingFinished'; channelId: string; durationMs: number; timestamp: string };

export type TelephonyEventType = TelephonyEvent['type'];

/** Connection state changes of the link to Asterisk. */
export type LinkEvent =
  | { type: 'connected'; reconnect: boolean }
  | { type: 'disconnected'; reason: string };

export const linkStatusSchema = z.object({
  connected: z.boolean(),
  /** Latency of the last heartbeat or REST round trip, ms. */
  latencyMs: z.number().nullable(),
  /** REST requests in flight and waiting. */
  inFlight: z.number(),
  pending: z.number(),
});
export type LinkStatus = z.infer<typeof linkStatusSchema>;

export interface Telephony {
  answer(channelId: string): Promise<void>;
  /** Starts a playback; resolves with its id once Asterisk accepted it (not when it ends). */
  play(channelId: string, media: string, playbackId: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  startMusicOnHold(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion'): Promise<void>;
  /** Leaves Stasis and continues in the dialplan: how a call reaches the fallback queue. */
  continueInDialplan(channelId: string, target: DialplanTarget): Promise<void>;
  getVariable(channelId: string, name: string): Promise<string | undefined>;
  /**
   * Several variables or functions of any channel (in Stasis or in the dialplan) in one request,
   * read in the order given; names must not contain commas. Undefined when the channel is gone.
   */
  getVariables(channelId: string, names: readonly string[]): Promise<Record<string, string> | undefined>;
  setVariable(channelId: string, name: string, value: string): Promise<void>;
  createBridge(bridgeId: string, type: 'mixing' | 'holding', name?: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  /** The channels in a bridge, or undefined when Asterisk has no such bridge. */
  bridgeChannels(bridgeId: string): Promise<string[] | undefined>;
  /** Music on hold for everyone in a (holding) bridge. */
  startBridgeMoh(bridgeId: string): Promise<void>;
  /** Plays media (one or more URIs, in order) into a bridge. */
  playOnBridge(bridgeId: string, media: string[], playbackId: string): Promise<void>;
  /** Records a bridge into Asterisk's recordings spool under `name` (wav), appending to an existing one. */
  recordBridge(bridgeId: string, name: string): Promise<void>;
  /** Deletes a stored recording; resolves when it is gone (or was never there). */
  deleteStoredRecording(name: string): Promise<void>;
  /**
   * A snoop channel on `channelId`, entering our app with `appArgs`: spy hears the channel,
   * whisper speaks to it.
   */
  snoop(options: { channelId: string; snoopId: string; spy: 'none' | 'both'; whisper: 'none' | 'out'; appArgs: string }): Promise<void>;
  /** Originates a channel into our Stasis app with the given args. */
  originate(options: {
    endpoint: string;
    channelId: string;
    callerId?: string;
    timeoutSeconds?: number;
    appArgs?: string;
  }): Promise<void>;
  /** Every channel Asterisk has, in our app or not (reconciliation after a fault). */
  listChannels(): Promise<LiveChannel[]>;
  /** Every bridge Asterisk has. */
  listBridges(): Promise<LiveBridge[]>;
  /** True while a live recording of that name runs (ARI cannot list live recordings). */
  liveRecording(name: string): Promise<boolean>;
  /** Stops a live recording; the file is kept. Resolves when it is stopped or was not running. */
  stopLiveRecording(name: string): Promise<void>;
  /** The channel, or undefined when Asterisk no longer has it. */
  getChannel(channelId: string): Promise<ChannelSnapshot | undefined>;
  /** Subscribes to call events; returns the function that unsubscribes. */
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
  onLink(listener: (event: LinkEvent) => void): () => void;
  status(): LinkStatus;
}

/** An ARI/Asterisk request that failed. `status` is the HTTP status, 0 when none was received. */
export class TelephonyError extends Error {
  constructor(message: string, readonly status: number, readonly operation: string) {
    super(message);
    this.name = 'TelephonyError';
  }

  /** True when the channel or bridge no longer exists (the caller already hung up). */
  get notFound(): boolean {
    return this.status === 404;
  }
}
