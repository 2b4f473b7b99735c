import type { ChannelSnapshot, LinkEvent, LinkStatus, TelephonyEvent } from '../../src/telephony/port.js';
import { TelephonyError } from '../../src/telephony/port.js';
import { type Clock, systemClock } from '../../src/clock.js';
import type { Command, FakeBridge } from './fake-telephony-types.js';

/** What the fake Asterisk holds and records, and how tests drive and read it (the port's commands are FakeTelephony's). */
export class FakeAsteriskState {
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
  /** Channel variables (and dialplan functions' values), by `channelId/NAME`. */
  readonly variables = new Map<string, string>();
  /** Every getVariables request: which channel, which names, and how many commands came before it. */
  readonly variableReads: Array<{ channelId: string; names: string[]; afterCommands: number }> = [];
  /** Channels continued into the dialplan and still up there: ARI still reads their variables. */
  readonly dialplanChannels = new Set<string>();
  /** Makes creating a bridge take this long on the clock, like a busy ARI. */
  bridgeCreateDelayMs = 0;
  latencyMs: number | null = 5;
  connected = true;
  protected readonly listeners = new Set<(event: TelephonyEvent) => void>();
  protected readonly linkListeners = new Set<(event: LinkEvent) => void>();
  protected readonly failures = new Map<string, { error: TelephonyError; times: number }>();
  protected seq = 0;

  constructor(protected readonly clock: Clock = systemClock) {}

  /** Makes the next `times` commands `op` reject with this status. */
  failNext(op: Command['op'], status = 500, times = 1, message = `fake ${op} failed`): void {
    this.failures.set(op, { error: new TelephonyError(message, status, op), times });
  }

  /** The next originate is carried out by Asterisk, but its answer is lost (the link cut mid-request). */
  loseNextOriginateAnswer(): void {
    this.originateAnswerLost = true;
  }

  protected originateAnswerLost = false;

  /** A new caller channel arriving in the app, as Asterisk announces it. */
  arrive(partial: Partial<ChannelSnapshot> = {}, args: string[] = ['dialled=112'], variables: Record<string, string> = {}): ChannelSnapshot {
    this.seq += 1;
    for (const [name, value] of Object.entries(variables)) this.variables.set(`chan-${this.seq}/${name}`, value);
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
    this.dialplanChannels.delete(channelId);
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

  /** The play command most recently sent to a channel. */
  lastPlayback(channelId: string): string | undefined {
    const plays = this.commands.filter((c): c is Extract<Command, { op: 'play' }> => c.op === 'play' && c.channelId === channelId);
    return plays.at(-1)?.playbackId;
  }

  /** Now, as ARI writes times. */
  protected stamp(): string {
    return new Date(this.clock.now()).toISOString();
  }

  protected run(command: Command): void {
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

  protected leaveBridges(channelId: string): void {
    for (const bridge of this.bridges.values()) bridge.channels.delete(channelId);
    if (this.channels.has(channelId)) return;
    this.appArgs.delete(channelId);
  }
}
