import { Pool } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { TelephonyError } from '../telephony/port.js';

/**
 * ARI REST over one bounded keep-alive pool. ari-client's own REST path (swagger-client over
 * `request`) has no timeout, never settles on some connection errors and opens a new socket per
 * request under load, which is how an overloaded app exhausts Asterisk's HTTP sessions. Here:
 * at most `maxSockets` connections, at most `maxPending` more requests waiting, every request
 * with a deadline, every failure a TelephonyError carrying the HTTP status.
 */
export interface AriRestOptions {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs: number;
  maxSockets: number;
  maxPending: number;
  /** Request deadlines run on it (the system clock unless a test gives one). */
  clock?: Clock;
}

type Query = Record<string, string | number | undefined>;

/** How one ARI request went, for the process's metrics: bounded labels, never an id. */
export interface AriRequestMeasure {
  /** `GET /channels/:id/variable`: ARI's own path words kept, every id replaced. */
  operation: string;
  outcome: 'ok' | 'client-error' | 'server-error' | 'failed';
  seconds: number;
}

/** The words of ARI's REST paths (everything else in a path is an id or a name we chose). */
const ARI_PATH_WORDS = new Set([
  'asterisk', 'info', 'channels', 'bridges', 'playbacks', 'recordings', 'stored', 'live', 'stop', 'answer', 'play', 'moh',
  'continue', 'variable', 'variables', 'addChannel', 'removeChannel', 'record', 'snoop', 'hold', 'ring', 'dtmf', 'mute',
  'silence', 'redirect', 'dial', 'externalMedia', 'copy', 'endpoints', 'applications', 'sounds', 'events', 'deviceStates',
]);

/** The operation a request is logged and measured as: its method and path with every id replaced by :id. */
export function operationLabel(method: string, path: string): string {
  return `${method} ${path.split('/').map((segment) => (segment === '' || ARI_PATH_WORDS.has(segment) ? segment : ':id')).join('/')}`;
}

export class AriRest {
  private readonly pool: Pool;
  private readonly authorization: string;
  private outstanding = 0;
  private latencyEwmaMs: number | null = null;
  private readonly clock: Clock;
  private readonly measured = new Set<(measure: AriRequestMeasure) => void>();

  constructor(private readonly options: AriRestOptions) {
    this.clock = options.clock ?? systemClock;
    this.pool = new Pool(new URL(options.baseUrl).origin, {
      connections: options.maxSockets,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      connectTimeout: options.timeoutMs,
    });
    this.authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  }

  /** Requests in flight plus those waiting for a connection. */
  get inFlight(): number {
    return Math.min(this.outstanding, this.options.maxSockets);
  }

  get pending(): number {
    return Math.max(0, this.outstanding - this.options.maxSockets);
  }

  /** Smoothed round-trip time of recent requests, ms. */
  get latencyMs(): number | null {
    return this.latencyEwmaMs;
  }

  /** Hears how every request went, once it has; returns the function that stops it. */
  onMeasure(listener: (measure: AriRequestMeasure) => void): () => void {
    this.measured.add(listener);
    return () => this.measured.delete(listener);
  }

  /** Sends one request; resolves with the parsed JSON body (undefined for 204). */
  async request<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, query: Query = {}): Promise<T> {
    const operation = operationLabel(method, path);
    if (this.outstanding >= this.options.maxSockets + this.options.maxPending) {
      throw new TelephonyError('too many ARI requests waiting', 503, operation);
    }
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const qs = search.size > 0 ? `?${search.toString()}` : '';
    this.outstanding += 1;
    const started = performance.now();
    let outcome: AriRequestMeasure['outcome'] = 'failed';
    // The deadline aborts as AbortSignal.timeout would, with the same TimeoutError.
    const deadline = new AbortController();
    const timer = this.clock.after(this.options.timeoutMs, () => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')));
    try {
      const response = await this.pool.request({
        method,
        path: `/ari${path}${qs}`,
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal: deadline.signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const text = await response.body.text();
      this.recordLatency(performance.now() - started);
      outcome = response.statusCode >= 500 ? 'server-error' : response.statusCode >= 400 ? 'client-error' : 'ok';
      if (response.statusCode >= 400) {
        throw new TelephonyError(ariMessage(text, response.statusCode), response.statusCode, operation);
      }
      return (text.length > 0 ? JSON.parse(text) : undefined) as T;
    } catch (error) {
      if (error instanceof TelephonyError) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new TelephonyError(`ARI request failed: ${reason}`, 0, operation);
    } finally {
      timer.cancel();
      this.outstanding -= 1;
      this.measure({ operation, outcome, seconds: (performance.now() - started) / 1000 });
    }
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => undefined);
  }

  /** Tells the listeners; one that throws never reaches the request (metrics must not break a call). */
  private measure(measure: AriRequestMeasure): void {
    for (const listener of this.measured) {
      try {
        listener(measure);
      } catch {
        // a metrics bug: the request's own outcome stands
      }
    }
  }

  private recordLatency(ms: number): void {
    this.latencyEwmaMs = this.latencyEwmaMs === null ? ms : this.latencyEwmaMs * 0.8 + ms * 0.2;
  }
}

/** ARI puts the reason in {"message": ...}; fall back to the status. */
function ariMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: use the status
  }
  return `ARI answered HTTP ${status}`;
}
