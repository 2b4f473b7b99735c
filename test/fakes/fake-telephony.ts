import type {
  ChannelSnapshot, DialplanTarget, LinkEvent, LinkStatus, Telephony, TelephonyEvent,
} from '../../src/telephony/port.js';
import { TelephonyError } from '../../src/telephony/port.js';

type Command =
  | { op: 'answer'; channelId: string }
  | { op: 'play'; channelId: string; media: string; playbackId: string }
  | { op: 'moh'; channelId: string }
  | { op: 'hangup'; channelId: string }
  | { op: 'continue'; channelId: string; target: DialplanTarget };

/**
 * An in-memory Asterisk for fast tests of the core: channels exist until hung up or continued,
 * every command is recorded, and the test drives events (StasisStart, hang-ups, playback ends).
 * `failNext` makes the next command of a kind fail, to exercise error paths.
 */
export class FakeTelephony implements Telephony {
  readonly commands: Command[] = [];
  readonly channels = new Map<string, ChannelSnapshot>();
  latencyMs: number | null = 5;
  connected = true;
  private readonly listeners = new Set<(event: TelephonyEvent) => void>();
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();
  private readonly failures = new Map<string, { error: TelephonyError; times: number }>();
  private seq = 0;

  /** Makes the next `times` commands `op` reject with this status. */
  failNext(op: Command['op'], status = 500, times = 1): void {
    this.failures.set(op, { error: new TelephonyError(`fake ${op} failed`, status, op), times });
  }

  /** A new caller channel arriving in the app, as Asterisk announces it. */
  arrive(partial: Partial<ChannelSnapshot> = {}, args: string[] = ['dialled=112']): ChannelSnapshot {
    this.seq += 1;
    const channel: ChannelSnapshot = {
      id: `chan-${this.seq}`, name: `PJSIP/citizens-${this.seq}`, state: 'Ring',
      callerNumber: '081234567890', callerName: '', context: 'emergency', extension: '112',
      creationTime: new Date().toISOString(), language: 'id', ...partial,
    };
    this.channels.set(channel.id, channel);
    this.emit({ type: 'StasisStart', channel, args, timestamp: new Date().toISOString() });
    return channel;
  }

  callerHangsUp(channelId: string): void {
    this.channels.delete(channelId);
    const timestamp = new Date().toISOString();
    this.emit({ type: 'ChannelHangupRequest', channelId, cause: 16, timestamp });
    this.emit({ type: 'StasisEnd', channelId, timestamp });
  }

  finishPlayback(playbackId: string, state = 'done'): void {
    this.emit({ type: 'PlaybackFinished', playbackId, targetUri: '', state, timestamp: new Date().toISOString() });
  }

  link(event: LinkEvent): void {
    for (const listener of this.linkListeners) listener(event);
  }

  emit(event: TelephonyEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  commandsFor(channelId: string): string[] {
    return this.commands.filter((c) => c.channelId === channelId).map((c) => c.op);
  }

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onLink(listener: (event: LinkEvent) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  status(): LinkStatus {
    return { connected: this.connected, latencyMs: this.latencyMs, inFlight: 0, pending: 0 };
  }

  async answer(channelId: string): Promise<void> {
    this.run({ op: 'answer', channelId });
  }

  async play(channelId: string, media: string, playbackId: string): Promise<void> {
    this.run({ op: 'play', channelId, media, playbackId });
  }

  async startMusicOnHold(channelId: string): Promise<void> {
    this.run({ op: 'moh', channelId });
  }

  async hangup(channelId: string): Promise<void> {
    this.run({ op: 'hangup', channelId });
    this.channels.delete(channelId);
  }

  async continueInDialplan(channelId: string, target: DialplanTarget): Promise<void> {
    this.run({ op: 'continue', channelId, target });
    this.channels.delete(channelId);
  }

  async stopPlayback(): Promise<void> {}
  async getVariable(): Promise<string | undefined> {
    return undefined;
  }
  async setVariable(): Promise<void> {}
  async createBridge(): Promise<void> {}
  async addToBridge(): Promise<void> {}
  async removeFromBridge(): Promise<void> {}
  async destroyBridge(): Promise<void> {}
  async originate(): Promise<void> {}

  async listAppChannels(): Promise<ChannelSnapshot[]> {
    return [...this.channels.values()];
  }

  async getChannel(channelId: string): Promise<ChannelSnapshot | undefined> {
    return this.channels.get(channelId);
  }

  /** The play command most recently sent to a channel. */
  lastPlayback(channelId: string): string | undefined {
    const plays = this.commands.filter((c): c is Extract<Command, { op: 'play' }> => c.op === 'play' && c.channelId === channelId);
    return plays.at(-1)?.playbackId;
  }

  private run(command: Command): void {
    const failure = this.failures.get(command.op);
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.delete(command.op);
      throw failure.error;
    }
    if (!this.channels.has(command.channelId)) {
      throw new TelephonyError('Channel not found', 404, command.op);
    }
    this.commands.push(command);
  }
}
