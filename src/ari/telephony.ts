import type { Logger } from '../log.js';
import type { ChannelSnapshot, DialplanTarget, LinkEvent, LinkStatus, LiveBridge, LiveChannel, Telephony, TelephonyEvent } from '../telephony/port.js';
import { TelephonyError } from '../telephony/port.js';
import { AriConnection } from './connection.js';
import { parseBridges, parseChannel, parseChannels, stasisArgs, toTelephonyEvent } from './events.js';
import { AriRest, type AriRequestMeasure } from './rest.js';

export interface AriTelephonyOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  timeoutMs: number;
  maxSockets: number;
  maxPending: number;
  heartbeatMs: number;
  log: Logger;
}

/** The Telephony port against a real Asterisk: REST through AriRest, events through AriConnection. */
export class AriTelephony implements Telephony {
  readonly connection: AriConnection;
  private readonly rest: AriRest;
  private readonly eventListeners = new Set<(event: TelephonyEvent) => void>();
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();

  constructor(private readonly options: AriTelephonyOptions) {
    this.rest = new AriRest({
      baseUrl: options.url, user: options.user, password: options.password,
      timeoutMs: options.timeoutMs, maxSockets: options.maxSockets, maxPending: options.maxPending,
    });
    this.connection = new AriConnection({
      url: options.url, user: options.user, password: options.password, app: options.app,
      heartbeatMs: options.heartbeatMs, log: options.log, rest: this.rest,
    });
    this.connection.on('event', (raw) => this.onRawEvent(raw));
    this.connection.on('connected', (reconnect) => this.notifyLink({ type: 'connected', reconnect }));
    this.connection.on('disconnected', (reason) => this.notifyLink({ type: 'disconnected', reason }));
  }

  /** Connects to Asterisk; rejects only for errors retrying cannot mend (wrong credentials). */
  start(): Promise<void> {
    return this.connection.start();
  }

  async stop(): Promise<void> {
    this.connection.stop();
    await this.rest.close();
  }

  status(): LinkStatus {
    return {
      connected: this.connection.isUp,
      latencyMs: this.rest.latencyMs ?? this.connection.latencyMs,
      inFlight: this.rest.inFlight,
      pending: this.rest.pending,
    };
  }

  /** Hears how every ARI REST request went (the process's metrics); returns the function that stops it. */
  onRequestMeasured(listener: (measure: AriRequestMeasure) => void): () => void {
    return this.rest.onMeasure(listener);
  }

  /** What the link counts beyond status(): heartbeats without a pong, and ari-client's listeners. */
  linkCounts(): { heartbeatMisses: number; clientListeners: number } {
    return { heartbeatMisses: this.connection.heartbeatMisses, clientListeners: this.connection.clientListenerCount() };
  }

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onLink(listener: (event: LinkEvent) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  async answer(channelId: string): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(channelId)}/answer`);
  }

  async play(channelId: string, media: string, playbackId: string): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(channelId)}/play/${enc(playbackId)}`, { media });
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.rest.request('DELETE', `/playbacks/${enc(playbackId)}`);
  }

  async startMusicOnHold(channelId: string): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(channelId)}/moh`);
  }

  async hangup(channelId: string, reason: 'normal' | 'busy' | 'congestion' = 'normal'): Promise<void> {
    await this.rest.request('DELETE', `/channels/${enc(channelId)}`, { reason });
  }

  async continueInDialplan(channelId: string, target: DialplanTarget): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(channelId)}/continue`, {
      context: target.context, extension: target.extension, priority: target.priority,
    });
  }

  async getVariable(channelId: string, name: string): Promise<string | undefined> {
    try {
      const body = await this.rest.request<{ value?: string }>('GET', `/channels/${enc(channelId)}/variable`, { variable: name });
      return body?.value;
    } catch (error) {
      // ARI answers 404 both for a missing channel and an unset variable.
      if (error instanceof TelephonyError && error.notFound) return undefined;
      throw error;
    }
  }

  async getVariables(channelId: string, names: readonly string[]): Promise<Record<string, string> | undefined> {
    // Asterisk 22.10's GET /channels/{id}/variables takes one comma-separated list (a repeated
    // parameter keeps only the last), and evaluates the names in order.
    if (names.some((name) => name.includes(','))) throw new Error(`variable names must not contain commas: ${names.join(' ')}`);
    try {
      const body = await this.rest.request<{ variables?: Record<string, string> }>('GET', `/channels/${enc(channelId)}/variables`, { variables: names.join(',') });
      return body?.variables ?? {};
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return undefined;
      throw error;
    }
  }

  async setVariable(channelId: string, name: string, value: string): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(channelId)}/variable`, { variable: name, value });
  }

  async createBridge(bridgeId: string, type: 'mixing' | 'holding', name?: string): Promise<void> {
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}`, { type, name });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}/addChannel`, { channel: channelIds.join(',') });
  }

  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}/removeChannel`, { channel: channelIds.join(',') });
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.rest.request('DELETE', `/bridges/${enc(bridgeId)}`);
  }

  async bridgeChannels(bridgeId: string): Promise<string[] | undefined> {
    try {
      const body = await this.rest.request<{ channels?: unknown }>('GET', `/bridges/${enc(bridgeId)}`);
      return Array.isArray(body?.channels) ? body.channels.filter((c): c is string => typeof c === 'string') : [];
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return undefined;
      throw error;
    }
  }

  async startBridgeMoh(bridgeId: string): Promise<void> {
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}/moh`);
  }

  async playOnBridge(bridgeId: string, media: string[], playbackId: string): Promise<void> {
    // ARI takes several media as one comma-separated list and plays them in order.
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}/play/${enc(playbackId)}`, { media: media.join(',') });
  }

  async recordBridge(bridgeId: string, name: string): Promise<void> {
    // Appended, never overwritten: a caller who lost their operator and was answered again keeps
    // the first conversation in the same recording, before the second.
    await this.rest.request('POST', `/bridges/${enc(bridgeId)}/record`, {
      name, format: 'wav', ifExists: 'append', beep: 'false', terminateOn: 'none',
    });
  }

  async deleteStoredRecording(name: string): Promise<void> {
    try {
      await this.rest.request('DELETE', `/recordings/stored/${enc(name)}`);
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return;
      throw error;
    }
  }

  async snoop(options: { channelId: string; snoopId: string; spy: 'none' | 'both'; whisper: 'none' | 'out'; appArgs: string }): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(options.channelId)}/snoop/${enc(options.snoopId)}`, {
      spy: options.spy, whisper: options.whisper, app: this.options.app, appArgs: options.appArgs,
    });
  }

  async originate(options: { endpoint: string; channelId: string; callerId?: string; timeoutSeconds?: number; appArgs?: string }): Promise<void> {
    await this.rest.request('POST', `/channels/${enc(options.channelId)}`, {
      endpoint: options.endpoint,
      app: this.options.app,
      appArgs: options.appArgs,
      callerId: options.callerId,
      timeout: options.timeoutSeconds,
    });
  }

  async listChannels(): Promise<LiveChannel[]> {
    const raw = await this.rest.request<unknown>('GET', '/channels');
    return parseChannels(raw).map((c) => ({ ...c.snapshot, appArgs: stasisArgs(this.options.app, c.appName, c.appData) }));
  }

  async listBridges(): Promise<LiveBridge[]> {
    return parseBridges(await this.rest.request<unknown>('GET', '/bridges'));
  }

  async liveRecording(name: string): Promise<boolean> {
    try {
      await this.rest.request('GET', `/recordings/live/${enc(name)}`);
      return true;
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return false;
      throw error;
    }
  }

  async stopLiveRecording(name: string): Promise<void> {
    try {
      await this.rest.request('POST', `/recordings/live/${enc(name)}/stop`);
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return;
      throw error;
    }
  }

  async getChannel(channelId: string): Promise<ChannelSnapshot | undefined> {
    try {
      return parseChannel(await this.rest.request<unknown>('GET', `/channels/${enc(channelId)}`));
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) return undefined;
      throw error;
    }
  }

  private onRawEvent(raw: unknown): void {
    let event: TelephonyEvent | undefined;
    try {
      event = toTelephonyEvent(raw);
    } catch (error) {
      const type = (raw as { type?: unknown })?.type;
      this.options.log.warn({ err: String(error), type }, 'malformed ARI event ignored');
      // A caller whose StasisStart we cannot read must still reach a human: the core hands the
      // channel to the fallback if at least its id is there.
      const channelId = (raw as { channel?: { id?: unknown } })?.channel?.id;
      if (type !== 'StasisStart' || typeof channelId !== 'string') return;
      event = { type: 'StasisStartUnreadable', channelId, timestamp: new Date().toISOString() };
    }
    if (!event) return;
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.error({ err: String(error), type: event.type }, 'telephony event listener failed');
      }
    }
  }

  private notifyLink(event: LinkEvent): void {
    for (const listener of this.linkListeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.error({ err: String(error) }, 'link listener failed');
      }
    }
  }
}

const enc = encodeURIComponent;
