import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { type Clock, sleep, systemClock, type Timer } from '../clock.js';
import type { Logger } from '../log.js';
import { AriRest } from './rest.js';

/**
 * The ARI event stream, through ari-client 2.2.0 (patched, see patches/). ari-client is used
 * only here, and only for what it does well enough: loading the API description and running
 * the event WebSocket. Around it:
 *  - a pre-flight request tells wrong credentials (fatal, one clear error) from an Asterisk
 *    that is not up yet (retried with capped backoff) before swagger-client ever runs;
 *  - one listener on the client's "*" event dispatches everything, so listeners never pile up
 *    per channel; each consumer is isolated so a throwing handler cannot reach ws;
 *  - a heartbeat (WebSocket ping/pong) notices a dead or half-open socket: the link is reported
 *    down after one heartbeat interval without a pong and the socket is torn down after five,
 *    which makes ari-client reconnect (the patch makes it retry forever, capped at 2 s);
 *  - the WebSocket URL carries the credentials (ARI's api_key), so it is never logged.
 */

const require = createRequire(import.meta.url);

interface AriClientLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(): unknown;
  eventNames(): Array<string | symbol>;
  listenerCount(event: string | symbol): number;
  start(app: string): Promise<void>;
  stop(): void;
  ping(): void;
  _ws?: { terminate(): void; readyState: number };
}

interface AriClientModule {
  connect(url: string, user: string, password: string): Promise<AriClientLike>;
}

/** Wrong ARI credentials: retrying cannot help, start-up must stop. */
export class AriAuthError extends Error {}

export interface AriConnectionOptions {
  url: string;
  user: string;
  password: string;
  app: string;
  heartbeatMs: number;
  log: Logger;
  rest: AriRest;
  /** Start-up retry waits and the heartbeat run on it (the system clock unless a test gives one). */
  clock?: Clock;
}

export class AriConnection extends EventEmitter<{
  event: [raw: unknown];
  connected: [reconnect: boolean];
  disconnected: [reason: string];
}> {
  private client: AriClientLike | null = null;
  private connectedOnce = false;
  private up = false;
  private pingSentAt: number | null = null;
  private heartbeatLatencyMs: number | null = null;
  private heartbeat: Timer | null = null;
  private missedPongs = 0;
  private closed = false;
  private readonly clock: Clock;

  constructor(private readonly options: AriConnectionOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get isUp(): boolean {
    return this.up;
  }

  get latencyMs(): number | null {
    return this.heartbeatLatencyMs;
  }

  /**
   * Connects and registers the Stasis app; resolves once events flow. Retries forever (capped
   * backoff) while Asterisk is unreachable or answers 5xx; rejects with AriAuthError on 401.
   */
  async start(): Promise<void> {
    await this.waitForAsterisk();
    const ari = require('ari-client') as AriClientModule;
    let delay = 200;
    for (;;) {
      if (this.closed) return;
      try {
        this.client = await ari.connect(this.options.url, this.options.user, this.options.password);
        break;
      } catch (error) {
        this.options.log.warn({ err: describe(error), retryInMs: delay }, 'ARI API description failed to load; retrying');
        await sleep(this.clock, delay);
        delay = Math.min(delay * 2, 5000);
        await this.waitForAsterisk();
      }
    }
    const client = this.client;
    client.on('*', (raw) => this.dispatch(raw));
    client.on('WebSocketConnected', () => this.markUp());
    client.on('WebSocketReconnecting', (error) => this.markDown(`reconnecting: ${describe(error)}`));
    client.on('EventProcessingError', (error) => this.options.log.error({ err: describe(error) }, 'ARI event could not be processed'));
    client.on('pong', () => this.onPong());
    await client.start(this.options.app);
    this.heartbeat = this.clock.every(Math.max(50, Math.floor(this.options.heartbeatMs / 2)), () => this.beat());
  }

  /** Heartbeat ticks that found the previous ping still without its pong, since start. */
  get heartbeatMisses(): number {
    return this.missedPongs;
  }

  /** Sum of listeners on ari-client's emitter: constant however many calls have passed. */
  clientListenerCount(): number {
    const client = this.client;
    if (!client) return 0;
    return client.eventNames().reduce((sum, name) => sum + client.listenerCount(name), 0);
  }

  stop(): void {
    this.closed = true;
    this.heartbeat?.cancel();
    if (this.client) {
      try {
        this.client.stop();
      } catch {
        // the socket may never have opened
      }
      this.client.removeAllListeners();
    }
    this.up = false;
  }

  /** Polls /asterisk/info until Asterisk answers 200; 401/403 is fatal. */
  private async waitForAsterisk(): Promise<void> {
    let delay = 200;
    for (;;) {
      try {
        await this.options.rest.request('GET', '/asterisk/info', { only: 'system' });
        return;
      } catch (error) {
        const status = (error as { status?: number }).status ?? 0;
        if (status === 401 || status === 403) {
          throw new AriAuthError(`ARI rejected user "${this.options.user}" (HTTP ${status}): check SIAGA112_ARI_USER and SIAGA112_ARI_PASSWORD`);
        }
        if (this.closed) return;
        this.options.log.warn({ status, err: describe(error), retryInMs: delay }, 'Asterisk ARI not reachable yet; retrying');
        await sleep(this.clock, delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private dispatch(raw: unknown): void {
    try {
      this.emit('event', raw);
    } catch (error) {
      this.options.log.error({ err: describe(error) }, 'ARI event handler failed');
    }
  }

  private markUp(): void {
    this.pingSentAt = null;
    this.up = true;
    const reconnect = this.connectedOnce;
    this.connectedOnce = true;
    this.options.log.info({ reconnect }, 'ARI WebSocket connected');
    this.safeEmit('connected', reconnect);
  }

  private markDown(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.options.log.warn({ reason }, 'ARI link down');
    this.safeEmit('disconnected', reason);
  }

  private onPong(): void {
    if (this.pingSentAt !== null) this.heartbeatLatencyMs = this.clock.now() - this.pingSentAt;
    this.pingSentAt = null;
    if (!this.up && this.client?._ws?.readyState === 1) this.markUp();
  }

  private beat(): void {
    const client = this.client;
    if (!client) return;
    if (this.pingSentAt !== null) {
      this.missedPongs += 1;
      const silentMs = this.clock.now() - this.pingSentAt;
      // A whole tick (half an interval) passed without a pong: down. Comparing the elapsed time
      // with the tick length instead would miss by one tick whenever the timer fires early.
      this.markDown(`no pong for ${silentMs} ms`);
      // A socket that stays silent this long is dead or half-open: tear it down to reconnect.
      if (silentMs >= this.options.heartbeatMs * 5) {
        this.options.log.warn({ silentMs }, 'ARI WebSocket silent; reconnecting');
        this.pingSentAt = null;
        client._ws?.terminate();
      }
      return;
    }
    this.pingSentAt = this.clock.now();
    try {
      client.ping();
    } catch (error) {
      this.markDown(`ping failed: ${describe(error)}`);
    }
  }

  private safeEmit(event: 'connected', reconnect: boolean): void;
  private safeEmit(event: 'disconnected', reason: string): void;
  private safeEmit(event: 'connected' | 'disconnected', arg: boolean | string): void {
    try {
      if (event === 'connected') this.emit('connected', arg as boolean);
      else this.emit('disconnected', arg as string);
    } catch (error) {
      this.options.log.error({ err: describe(error), event }, 'ARI link listener failed');
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? 'unknown';
}
