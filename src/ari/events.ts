import { z } from 'zod';
import type { ChannelSnapshot, LiveBridge, TelephonyEvent } from '../telephony/port.js';

/**
 * ARI's JSON as Asterisk sends it, validated at the boundary and turned into the typed
 * TelephonyEvent union. Events siaga112 does not use map to undefined.
 */

const ariChannel = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  caller: z.object({ name: z.string(), number: z.string() }),
  dialplan: z.object({
    context: z.string(),
    exten: z.string(),
    priority: z.number(),
    app_name: z.string().optional(),
    app_data: z.string().optional(),
  }),
  creationtime: z.string(),
  language: z.string().default('en'),
});

export type AriChannel = z.infer<typeof ariChannel>;

const channelEvent = z.object({ timestamp: z.string(), channel: ariChannel });
const playbackEvent = z.object({
  timestamp: z.string(),
  playback: z.object({ id: z.string(), target_uri: z.string(), state: z.string() }),
});

/** Converts an ARI channel into the port's snapshot. */
export function toChannelSnapshot(channel: AriChannel): ChannelSnapshot {
  return {
    id: channel.id,
    name: channel.name,
    state: channel.state,
    callerNumber: channel.caller.number,
    callerName: channel.caller.name,
    context: channel.dialplan.context,
    extension: channel.dialplan.exten,
    creationTime: channel.creationtime,
    language: channel.language,
  };
}

/** Parses a list of channels (GET /channels) into snapshots, skipping any malformed entry. */
export function parseChannels(raw: unknown): Array<{ snapshot: ChannelSnapshot; appName?: string; appData?: string }> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = ariChannel.safeParse(item);
    if (!parsed.success) return [];
    return [{ snapshot: toChannelSnapshot(parsed.data), appName: parsed.data.dialplan.app_name, appData: parsed.data.dialplan.app_data }];
  });
}

/**
 * The args of a channel inside our Stasis app, from its dialplan position: ARI reports the app
 * as `Stasis` with data `siaga112,leg=offer,call=…`. null for a channel anywhere else.
 */
export function stasisArgs(app: string, appName: string | undefined, appData: string | undefined): string[] | null {
  if (appName !== 'Stasis' || appData === undefined) return null;
  const [name, ...args] = appData.split(',');
  return name === app ? args : null;
}

const ariBridge = z.object({
  id: z.string(),
  channels: z.array(z.string()).default([]),
  creationtime: z.string().optional(),
});

/** Parses GET /bridges, skipping any malformed entry. */
export function parseBridges(raw: unknown): LiveBridge[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = ariBridge.safeParse(item);
    if (!parsed.success) return [];
    const created = parsed.data.creationtime ? Date.parse(parsed.data.creationtime) : Number.NaN;
    return [{ id: parsed.data.id, channels: parsed.data.channels, createdAt: Number.isFinite(created) ? created : null }];
  });
}

export function parseChannel(raw: unknown): ChannelSnapshot | undefined {
  const parsed = ariChannel.safeParse(raw);
  return parsed.success ? toChannelSnapshot(parsed.data) : undefined;
}

/**
 * Maps one raw ARI event to a TelephonyEvent; undefined for types siaga112 ignores.
 * Throws a ZodError for a known type whose body is malformed.
 */
export function toTelephonyEvent(raw: unknown): TelephonyEvent | undefined {
  const type = (raw as { type?: unknown } | null)?.type;
  switch (type) {
    case 'StasisStart': {
      const e = channelEvent.extend({ args: z.array(z.string()).default([]) }).parse(raw);
      return { type, channel: toChannelSnapshot(e.channel), args: e.args, timestamp: e.timestamp };
    }
    case 'StasisEnd': {
      const e = channelEvent.parse(raw);
      return { type, channelId: e.channel.id, timestamp: e.timestamp };
    }
    case 'ChannelHangupRequest': {
      const e = channelEvent.extend({ cause: z.number().default(0) }).parse(raw);
      return { type, channelId: e.channel.id, cause: e.cause, timestamp: e.timestamp };
    }
    case 'ChannelDestroyed': {
      const e = channelEvent.extend({ cause: z.number().default(0), cause_txt: z.string().default('') }).parse(raw);
      return { type, channelId: e.channel.id, cause: e.cause, causeText: e.cause_txt, timestamp: e.timestamp };
    }
    case 'PlaybackStarted':
    case 'PlaybackFinished': {
      const e = playbackEvent.parse(raw);
      const base = { playbackId: e.playback.id, targetUri: e.playback.target_uri, timestamp: e.timestamp };
      return type === 'PlaybackStarted' ? { type, ...base } : { type, ...base, state: e.playback.state };
    }
    case 'ChannelDtmfReceived': {
      const e = channelEvent.extend({ digit: z.string(), duration_ms: z.number().default(0) }).parse(raw);
      return { type, channelId: e.channel.id, digit: e.digit, durationMs: e.duration_ms, timestamp: e.timestamp };
    }
    case 'ChannelTalkingStarted': {
      const e = channelEvent.parse(raw);
      return { type, channelId: e.channel.id, timestamp: e.timestamp };
    }
    case 'ChannelTalkingFinished': {
      const e = channelEvent.extend({ duration: z.number().default(0) }).parse(raw);
      return { type, channelId: e.channel.id, durationMs: e.duration, timestamp: e.timestamp };
    }
    default:
      return undefined;
  }
}
