import type { ChannelSnapshot, DialplanTarget, LiveBridge, LiveChannel, Telephony } from '../../src/telephony/port.js';
import { TelephonyError } from '../../src/telephony/port.js';
import { sleep } from '../../src/clock.js';

export type { Command, FakeBridge } from './fake-telephony-types.js';
import { FakeAsteriskState } from './fake-asterisk-state.js';

/**
 * An in-memory Asterisk for fast tests of the core: channels exist until hung up or continued,
 * every command is recorded, and the test drives events (StasisStart, hang-ups, playback ends).
 * `failNext` makes the next command of a kind fail, to exercise error paths. Channel creation
 * times, event timestamps and bridge ages come from `clock`, the one the core under test runs on.
 */
export class FakeTelephony extends FakeAsteriskState implements Telephony {
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


  /** A channel leaves the app for the dialplan (what `continue` does), staying alive there. */
  continueInDialplanAlive(channelId: string): void {
    this.appArgs.delete(channelId);
    this.leaveBridges(channelId);
  }

  async continueInDialplan(channelId: string, target: DialplanTarget): Promise<void> {
    this.run({ op: 'continue', channelId, target });
    if (this.channels.delete(channelId)) this.dialplanChannels.add(channelId);
    this.leaveBridges(channelId);
  }

  async stopPlayback(): Promise<void> {}
  async getVariable(channelId: string, name: string): Promise<string | undefined> {
    return this.variables.get(`${channelId}/${name}`);
  }
  async getVariables(channelId: string, names: readonly string[]): Promise<Record<string, string> | undefined> {
    this.variableReads.push({ channelId, names: [...names], afterCommands: this.commands.length });
    if (!this.channels.has(channelId) && !this.dialplanChannels.has(channelId)) return undefined;
    return Object.fromEntries(names.map((name) => [name, this.variables.get(`${channelId}/${name}`) ?? '']));
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
    if (this.originateAnswerLost) {
      this.originateAnswerLost = false;
      throw new TelephonyError('ARI request failed: SocketError: other side closed', 0, 'POST /channels');
    }
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
}
