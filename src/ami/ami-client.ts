import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { type Clock, systemClock, type Timer } from '../clock.js';
import type { Logger } from '../log.js';

/**
 * AMI through asterisk-manager 0.2.0 (patched: no console output). The library reports a failed
 * login nowhere and its reconnect prints to stdout, so here: an explicit login check, our own
 * reconnect with capped backoff, promise actions with timeouts, and list actions (EventList)
 * collected into one answer.
 */

const require = createRequire(import.meta.url);

export type AmiMessage = Record<string, string | string[] | Record<string, string> | undefined>;

interface ManagerLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  connect(port: number, host: string, callback: (error: unknown) => void): void;
  action(action: Record<string, string>, callback: (error: unknown, response: AmiMessage) => void): string;
  /** Logs in with the credentials given to the factory; marks the session authenticated. */
  login(callback: (error: unknown) => void): void;
  disconnect(): void;
  isConnected(): boolean;
}

type ManagerFactory = (port?: number, host?: string, user?: string, password?: string, events?: boolean) => ManagerLike;

export interface AmiOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  timeoutMs: number;
  log: Logger;
  /** Timeouts and reconnect backoff run on it (the system clock unless a test gives one). */
  clock?: Clock;
}

/** The AMI account was refused: configuration, not a transient fault. */
export class AmiAuthError extends Error {}

export class AmiClient extends EventEmitter<{ event: [AmiMessage]; up: []; down: [string] }> {
  private manager: ManagerLike | null = null;
  private loggedIn = false;
  private stopped = false;
  private retryDelay = 500;
  private reconnectTimer: Timer | null = null;
  private readonly clock: Clock;

  constructor(private readonly options: AmiOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get isUp(): boolean {
    return this.loggedIn && (this.manager?.isConnected() ?? false);
  }

  /** Connects and logs in; keeps reconnecting in the background until stop(). */
  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.reconnectTimer?.cancel();
    this.teardown();
  }

  /** Sends an action; resolves with its response, rejects on error or timeout. */
  action(action: Record<string, string>): Promise<AmiMessage> {
    const manager = this.manager;
    if (!manager || !this.loggedIn) return Promise.reject(new Error('AMI is not connected'));
    return new Promise((resolve, reject) => {
      let actionId = '';
      const timer = this.clock.after(this.options.timeoutMs, () => {
        if (actionId) manager.removeAllListeners(actionId);
        reject(new Error(`AMI action ${action.action} timed out after ${this.options.timeoutMs} ms`));
      });
      actionId = manager.action(action, (error, response) => {
        timer.cancel();
        const reason = (error as AmiMessage | undefined)?.message;
        if (error) reject(new Error(`AMI action ${action.action} failed: ${typeof reason === 'string' ? reason : 'error'}`));
        else resolve(response);
      });
    });
  }

  /**
   * Sends a list action (e.g. PJSIPShowContacts) and collects its events until the one with
   * "EventList: Complete". An empty list is an error response in some actions ("No Contacts
   * found"): that rejects like any other error.
   */
  async list(action: Record<string, string>): Promise<AmiMessage[]> {
    const actionId = `list-${this.clock.now()}-${Math.random().toString(36).slice(2)}`;
    const items: AmiMessage[] = [];
    let finish: (error?: Error) => void = () => undefined;
    const complete = new Promise<void>((resolve, reject) => {
      finish = (error) => (error ? reject(error) : resolve());
    });
    // Observed from the start: the list may time out while the action itself is still pending.
    complete.catch(() => undefined);
    const onEvent = (message: AmiMessage) => {
      if (message.actionid !== actionId) return;
      if (message.eventlist === 'Complete') finish();
      else items.push(message);
    };
    const timer = this.clock.after(this.options.timeoutMs, () => finish(new Error(`AMI list ${action.action} timed out`)));
    this.on('event', onEvent);
    try {
      await this.action({ ...action, actionid: actionId });
      await complete;
      return items;
    } finally {
      timer.cancel();
      this.off('event', onEvent);
    }
  }

  private async connect(): Promise<void> {
    const factory = require('asterisk-manager') as ManagerFactory;
    this.teardown();
    // No port: the library must not connect and log in by itself (its login errors go nowhere).
    const manager = factory(undefined, this.options.host, this.options.user, this.options.password, true);
    this.manager = manager;
    manager.on('error', () => undefined);
    manager.on('close', () => this.onClose());
    manager.on('managerevent', (message) => this.safeEmitEvent(message as AmiMessage));
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(String(error)));
        manager.connect(this.options.port, this.options.host, (error) => (error ? fail(error) : resolve()));
        manager.on('error', fail);
      });
      await this.login(manager);
      this.loggedIn = true;
      this.retryDelay = 500;
      this.options.log.info('AMI connected');
      this.emit('up');
    } catch (error) {
      if (error instanceof AmiAuthError) this.options.log.error(error.message);
      else this.options.log.warn({ err: String(error) }, 'AMI connection failed; retrying');
      this.teardown();
      this.scheduleReconnect();
    }
  }

  private login(manager: ManagerLike): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.after(this.options.timeoutMs, () => reject(new Error('AMI login timed out')));
      // login() (not a raw Login action): only it marks the library's session authenticated;
      // until then the library holds every other action back.
      manager.login((error) => {
        timer.cancel();
        if (error) reject(new AmiAuthError(`AMI rejected user "${this.options.user}": check SIAGA112_AMI_USER and SIAGA112_AMI_PASSWORD`));
        else resolve();
      });
    });
  }

  private onClose(): void {
    const wasUp = this.loggedIn;
    this.loggedIn = false;
    if (wasUp) this.emit('down', 'connection closed');
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    this.reconnectTimer = this.clock.after(delay, () => {
      this.reconnectTimer = null;
      void this.connect();
    });
  }

  private teardown(): void {
    const manager = this.manager;
    this.manager = null;
    this.loggedIn = false;
    if (!manager) return;
    manager.removeAllListeners('close');
    manager.removeAllListeners('managerevent');
    try {
      manager.disconnect();
    } catch {
      // already closed
    }
  }

  private safeEmitEvent(message: AmiMessage): void {
    try {
      this.emit('event', message);
    } catch (error) {
      this.options.log.error({ err: String(error) }, 'AMI event listener failed');
    }
  }
}
