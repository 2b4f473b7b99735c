import { isLegChannel } from '../telephony/leg-ids.js';
import type { LiveBridge, LiveChannel } from '../telephony/port.js';

export interface GuardianThresholds {
  /** Silence of siaga112 after which callers with nobody and nothing (IVR, just arrived) are handed over. */
  freeAfterMs: number;
  /** After which callers in a holding bridge (music, but nobody offering them) are handed over too. */
  holdingAfterMs: number;
}

/**
 * The guardian's one decision, pure: which callers to continue into the dialplan fallback, given
 * how long siaga112 has not answered. Callers first: nobody in our app who is alone (the IVR, a
 * caller who arrived while siaga112 was down, a caller whose operator hung up meanwhile and who
 * sits alone in the call's bridge) hears silence for long; callers on hold hear music, so they
 * wait longer for siaga112 to come back and keep their place; callers talking to someone (a
 * bridge with another party) are never touched, and neither are the legs siaga112 dialled.
 */
export function callersToHandOver(channels: readonly LiveChannel[], bridges: readonly LiveBridge[], silentForMs: number, limits: GuardianThresholds): string[] {
  if (silentForMs < limits.freeAfterMs) return [];
  const bridgeOf = new Map<string, LiveBridge>();
  for (const bridge of bridges) for (const channelId of bridge.channels) bridgeOf.set(channelId, bridge);
  return channels.filter((channel) => {
    if (channel.appArgs === null || isLegChannel(channel.id)) return false;
    const bridge = bridgeOf.get(channel.id);
    if (bridge?.id.startsWith('hold-')) return silentForMs >= limits.holdingAfterMs;
    return bridge === undefined || bridge.channels.length < 2;
  }).map((channel) => channel.id);
}
