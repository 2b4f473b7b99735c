import type { DialplanTarget } from '../../src/telephony/port.js';

/** Every command the fake Asterisk was sent, as tests read them back. */
export type Command =
  | { op: 'answer'; channelId: string }
  | { op: 'play'; channelId: string; media: string; playbackId: string }
  | { op: 'moh'; channelId: string }
  | { op: 'hangup'; channelId: string }
  | { op: 'continue'; channelId: string; target: DialplanTarget }
  | { op: 'originate'; channelId: string; endpoint: string; callerId?: string; appArgs?: string }
  | { op: 'bridge-add' | 'bridge-remove'; channelId: string; bridgeId: string }
  | { op: 'bridge-play'; channelId: ''; bridgeId: string; media: string[] }
  | { op: 'record'; channelId: ''; bridgeId: string; name: string }
  | { op: 'bridge-destroy'; channelId: ''; bridgeId: string }
  | { op: 'stop-recording'; channelId: ''; name: string }
  | { op: 'snoop'; channelId: string; snoopId: string; spy: string; whisper: string };

/** A bridge in the fake Asterisk. */
export interface FakeBridge {
  type: 'mixing' | 'holding';
  channels: Set<string>;
  moh: boolean;
  createdAt: number;
}
