import type {
  ChannelSnapshot, DialplanTarget, LinkEvent, LinkStatus, LiveBridge, LiveChannel, Telephony, TelephonyEvent,
} from '../../src/telephony/port.js';
import { TelephonyError } from '../../src/telephony/port.js';
import { type Clock, sleep, systemClock } from '../../src/clock.js';

type Command =
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

export interface FakeBridge {
  type: 'mixing' | 'holding';
  channels: Set<string>;
  moh: boolean;
  createdAt: number;
}

/**
 * An in-memory Asterisk for fast tests of the core: channels exist until hung up or continued,
 * every command is recorded, and the test drives events (StasisStart, hang-ups, playback ends).
 * `failNext` makes the next command of a kind fail, to exercise error paths. Channel creation
 * times, event timestamps and bridge ages come from `clock`, the one the core under test runs on.
 */
export class FakeTelephony implements Telephony {
  readonly commands: Command[] = [];
  readonly channels = new Map<string, ChannelSnapshot>();
  readonly bridges = new Map<string, FakeBridge>();
  /** Channels originated and still ringing: endpoint and app args. */
  readonly ringing = new Map<string, { endpoint: string; appArgs: string; callerId?: string }>();
  readonly deletedRecordings: string[] = [];
  /** Stasis args of the channels in the app; a channel without an entry is elsewhere in the dialplan. */
  readonly appArgs = new Map<string, string[]>();
  /** Bridge recordings running now, by name. */
  readonly liveRecordings = new Set<string>();
  /** Channel variables set through ARI. */
  readonly variables = new Map<string, string>();
  /** Makes creating a bridge take this long on the clock, like a busy ARI. */
  bridgeCreateDelayMs = 0;
  latencyMs: number | null = 5;
  connected = true;
  private readonly listeners = new Set<(event: TelephonyEvent) => void>();
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();
  private readonly failures = new Map<string, { error: TelephonyError; times: number }>();
  private seq = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  /** Makes the next `times` commands `op` reject with this status. */
  failNext(op: Command['op'], status = 500, times = 1, message = `fake ${op} failed`): void {
    this.failures.set(op, { error: new TelephonyError(message, status, op), times });
  }

  /** A new caller channel arriving in the app, as Asterisk announces it. */
  arrive(partial: Partial<ChannelSnapshot> = {}, args: string[] = ['dialled=112']): ChannelSnapshot {
    this.seq += 1;
    const channel: ChannelSnapshot = {
      id: `chan-${this.seq}`, name: `PJSIP/citizens-${this.seq}`, state: 'Ring',
      callerNumber: '081234567890', callerName: '', context: 'emergency', extension: '112',
      creationTime: this.stamp(), language: 'id', ...partial,
    };
    this.channels.set(channel.id, channel);
    this.appArgs.set(channel.id, args);
    this.emit({ type: 'StasisStart', channel, args, timestamp: this.stamp() });
    return channel;
  }

  callerHangsUp(channelId: string): void {
    this.channels.delete(channelId);
    this.leaveBridges(channelId);
    const timestamp = this.stamp();
    this.emit({ type: 'ChannelHangupRequest', channelId, cause: 16, timestamp });
    this.emit({ type: 'StasisEnd', channelId, timestamp });
  }

  finishPlayback(playbackId: string, state = 'done'): void {
    this.emit({ type: 'PlaybackFinished', playbackId, targetUri: '', state, timestamp: this.stamp() });
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

  /** Subscribers to events and link changes still attached (a closed app leaves none). */
  get subscriberCount(): number {
    return this.listeners.size + this.linkListeners.size;
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
    if (this.ringing.delete(channelId)) {
      this.commands.push({ op: 'hangup', channelId });
      this.emit({ type: 'ChannelDestroyed', channelId, cause: 16, causeText: 'Normal Clearing', timestamp: this.stamp() });
      return;
    }
    this.run({ op: 'hangup', channelId });
    this.channels.delete(channelId);
    this.leaveBridges(channelId);
  }

  /** The originated channel answers: it enters the app, as Asterisk's StasisStart says. */
  answerOriginated(channelId: string): ChannelSnapshot {
    const ring = this.ringing.get(channelId);
    if (!ring) throw new Error(`nothing rings on ${channelId}`);
    this.ringing.delete(channelId);
    const channel: ChannelSnapshot = {
      id: channelId, name: `${ring.endpoint}-0001`, state: 'Up', callerNumber: '', callerName: '', context: 'operators',
      extension: 's', creationTime: this.stamp(), language: 'id',
    };
    this.channels.set(channelId, channel);
    this.appArgs.set(channelId, ring.appArgs.split(','));
    this.emit({ type: 'StasisStart', channel, args: ring.appArgs.split(','), timestamp: this.stamp() });
    return channel;
  }

  /** The originated channel fails before answering (declined, unreachable). */
  failOriginated(channelId: string, cause = 21): void {
    this.ringing.delete(channelId);
    this.emit({ type: 'ChannelDestroyed', channelId, cause, causeText: 'Call Rejected', timestamp: this.stamp() });
  }

  /** A channel in the app hangs up (an operator, an agency). */
  legHangsUp(channelId: string): void {
    this.channels.delete(channelId);
    this.leaveBridges(channelId);
    const timestamp = this.stamp();
    this.emit({ type: 'StasisEnd', channelId, timestamp });
    this.emit({ type: 'ChannelDestroyed', channelId, cause: 16, causeText: 'Normal Clearing', timestamp });
  }

  /** Originate commands sent to an endpoint, newest last. */
  originatedTo(endpoint: string): string[] {
    return this.commands.filter((c): c is Extract<Command, { op: 'originate' }> => c.op === 'originate' && c.endpoint === endpoint).map((c) => c.channelId);
  }

  bridgeOf(channelId: string): string | undefined {
    for (const [bridgeId, bridge] of this.bridges) if (bridge.channels.has(channelId)) return bridgeId;
    return undefined;
  }

  private leaveBridges(channelId: string): void {
    for (const bridge of this.bridges.values()) bridge.channels.delete(channelId);
    if (this.channels.has(channelId)) return;
    this.appArgs.delete(channelId);
  }

  /** A channel leaves the app for the dialplan (what `continue` does), staying alive there. */
  continueInDialplanAlive(channelId: string): void {
    this.appArgs.delete(channelId);
    this.leaveBridges(channelId);
  }

  async continueInDialplan(channelId: string, target: DialplanTarget): Promise<void> {
    this.run({ op: 'continue', channelId, target });
    this.channels.delete(channelId);
    this.leaveBridges(channelId);
  }

  async stopPlayback(): Promise<void> {}
  async getVariable(channelId: string, name: string): Promise<string | undefined> {
    return this.variables.get(`${channelId}/${name}`);
  }
  async setVariable(channelId: string, name: string, value: string): Promise<void> {
    this.variables.set(`${channelId}/${name}`, value);
  }
  async createBridge(bridgeId: string, type: 'mixing' | 'holding'): Promise<void> {
    if (this.bridgeCreateDelayMs > 0) await sleep(this.clock, this.bridgeCreateDelayMs);
    if (!this.bridges.has(bridgeId)) this.bridges.set(bridgeId, { type, channels: new Set(), moh: false, createdAt: this.clock.now() });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    const bridge = this.bridges.get(bridgeId);
    if (!bridge) throw new TelephonyError('Bridge not found', 404, 'addToBridge');
    for (const channelId of channelIds) {
      this.run({ op: 'bridge-add', channelId, bridgeId });
      this.leaveBridges(channelId);
      bridge.channels.add(channelId);
    }
  }

  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    const bridge = this.bridges.get(bridgeId);
    if (!bridge) throw new TelephonyError('Bridge not found', 404, 'removeFromBridge');
    for (const channelId of channelIds) bridge.channels.delete(channelId);
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    this.commands.push({ op: 'bridge-destroy', channelId: '', bridgeId });
    this.bridges.delete(bridgeId);
  }

  async bridgeChannels(bridgeId: string): Promise<string[] | undefined> {
    const bridge = this.bridges.get(bridgeId);
    return bridge ? [...bridge.channels] : undefined;
  }

  async startBridgeMoh(bridgeId: string): Promise<void> {
    const bridge = this.bridges.get(bridgeId);
    if (!bridge) throw new TelephonyError('Bridge not found', 404, 'startBridgeMoh');
    bridge.moh = true;
  }

  async playOnBridge(bridgeId: string, media: string[]): Promise<void> {
    if (!this.bridges.has(bridgeId)) throw new TelephonyError('Bridge not found', 404, 'playOnBridge');
    this.commands.push({ op: 'bridge-play', channelId: '', bridgeId, media });
  }

  async recordBridge(bridgeId: string, name: string): Promise<void> {
    if (!this.bridges.has(bridgeId)) throw new TelephonyError('Bridge not found', 404, 'recordBridge');
    this.commands.push({ op: 'record', channelId: '', bridgeId, name });
    this.liveRecordings.add(name);
  }

  async liveRecording(name: string): Promise<boolean> {
    return this.liveRecordings.has(name);
  }

  async stopLiveRecording(name: string): Promise<void> {
    if (this.liveRecordings.delete(name)) this.commands.push({ op: 'stop-recording', channelId: '', name });
  }

  async deleteStoredRecording(name: string): Promise<void> {
    this.deletedRecordings.push(name);
  }

  /** A snoop channel on `channelId` enters the app at once, as in Asterisk. */
  async snoop(options: { channelId: string; snoopId: string; spy: 'none' | 'both'; whisper: 'none' | 'out'; appArgs: string }): Promise<void> {
    this.run({ op: 'snoop', channelId: options.channelId, snoopId: options.snoopId, spy: options.spy, whisper: options.whisper });
    const channel: ChannelSnapshot = {
      id: options.snoopId, name: `Snoop/${options.channelId}-0001`, state: 'Up', callerNumber: '', callerName: '', context: 'default',
      extension: 's', creationTime: this.stamp(), language: 'id',
    };
    this.channels.set(channel.id, channel);
    this.appArgs.set(channel.id, options.appArgs.split(','));
    queueMicrotask(() => this.emit({ type: 'StasisStart', channel, args: options.appArgs.split(','), timestamp: this.stamp() }));
  }

  async originate(options: { endpoint: string; channelId: string; callerId?: string; appArgs?: string }): Promise<void> {
    const failure = this.failures.get('originate');
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.delete('originate');
      throw failure.error;
    }
    this.commands.push({ op: 'originate', channelId: options.channelId, endpoint: options.endpoint, callerId: options.callerId, appArgs: options.appArgs });
    this.ringing.set(options.channelId, { endpoint: options.endpoint, appArgs: options.appArgs ?? '', callerId: options.callerId });
  }

  async listChannels(): Promise<LiveChannel[]> {
    const ringing = [...this.ringing.entries()].map(([id, ring]) => ({
      id, name: `${ring.endpoint}-0001`, state: 'Ringing', callerNumber: '', callerName: '', context: 'operators',
      extension: 's', creationTime: this.stamp(), language: 'id', appArgs: null,
    }));
    return [...[...this.channels.values()].map((c) => ({ ...c, appArgs: this.appArgs.get(c.id) ?? null })), ...ringing];
  }

  async listBridges(): Promise<LiveBridge[]> {
    return [...this.bridges.entries()].map(([id, b]) => ({ id, channels: [...b.channels], createdAt: b.createdAt }));
  }

  async getChannel(channelId: string): Promise<ChannelSnapshot | undefined> {
    const ring = this.ringing.get(channelId);
    if (ring) {
      return {
        id: channelId, name: `${ring.endpoint}-0001`, state: 'Ringing', callerNumber: '', callerName: '', context: 'operators',
        extension: 's', creationTime: this.stamp(), language: 'id',
      };
    }
    return this.channels.get(channelId);
  }

  /** The play command most recently sent to a channel. */
  lastPlayback(channelId: string): string | undefined {
    const plays = this.commands.filter((c): c is Extract<Command, { op: 'play' }> => c.op === 'play' && c.channelId === channelId);
    return plays.at(-1)?.playbackId;
  }

  /** Now, as ARI writes times. */
  private stamp(): string {
    return new Date(this.clock.now()).toISOString();
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
