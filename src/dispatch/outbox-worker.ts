import { Agent, request } from 'undici';
import type { Clock, Timer } from '../clock.js';
import type { DispatchRepository, OutboxRow } from '../db/dispatch-repository.js';
import type { Logger } from '../log.js';
import type { AgencyDirectory } from './agency-directory.js';
import { isDeadLetter, nextAttemptDelayMs } from './retry-schedule.js';
import { IDEMPOTENCY_KEY_HEADER, signWebhook, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature.js';

export interface OutboxWorkerSettings {
  /** How often due retries are looked for (new webhooks are sent at once, without waiting for it). */
  pollMs: number;
  /** How long an agency's endpoint may take to connect, to answer, and to send its body. */
  timeoutMs: number;
  /** Jitter source for the backoff (Math.random; a constant in tests). */
  random: () => number;
}

/**
 * Delivers the webhook outbox: each agency's oldest pending webhook, one at a time per agency (a
 * receiver hears a dispatch's steps in order), signed at each attempt, retried with backoff and
 * jitter until it is accepted (any 2xx) or goes to the dead-letter list. At-least-once: a crash
 * between the agency's 2xx and our note of it sends the webhook again after the restart, with
 * the same idempotency key, which the receiver uses to drop the duplicate.
 */
export class OutboxWorker {
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Agencies whose last result could not be written: left until the next poll, not resent in a loop. */
  private readonly resting = new Set<string>();
  private timer: Timer | null = null;
  private stopped = true;
  private http: Agent | null = null;

  constructor(
    private readonly repo: DispatchRepository,
    private readonly directory: AgencyDirectory,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly settings: OutboxWorkerSettings,
  ) {}

  start(): () => void {
    this.stopped = false;
    const { timeoutMs } = this.settings;
    this.http = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 4 });
    this.timer = this.clock.every(this.settings.pollMs, () => {
      this.resting.clear();
      this.kick();
    });
    // Whatever a previous process left in the outbox (a crash, a stop mid-delivery) goes out now.
    this.kick();
    return () => this.stop();
  }

  /** Stops sending: in-flight requests are aborted and left pending, to be sent again after a restart. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    for (const { controller } of this.inFlight.values()) controller.abort();
    // Its keep-alive sockets must not hold the process open after the service stops.
    void this.http?.destroy().catch(() => undefined);
    this.http = null;
  }

  /** Resolves when nothing is in flight (tests, and a graceful stop that wants to wait). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()].map((entry) => entry.done));
  }

  /** Sends what is due now; called after every dispatch change and on every poll. */
  kick(): void {
    if (this.stopped) return;
    let due: OutboxRow[];
    try {
      due = this.repo.dueHeads(this.clock.now());
    } catch (error) {
      // A locked database: the next poll tries again; the outbox rows are not going anywhere.
      this.log.warn({ err: String(error) }, 'outbox could not be read; retrying on the next poll');
      return;
    }
    for (const row of due) {
      if (this.inFlight.has(row.agencyId) || this.resting.has(row.agencyId)) continue;
      const controller = new AbortController();
      const done = this.deliver(row, controller.signal).finally(() => {
        this.inFlight.delete(row.agencyId);
        // The agency's next webhook may be waiting behind this one.
        this.kick();
      });
      this.inFlight.set(row.agencyId, { controller, done });
    }
  }

  private async deliver(row: OutboxRow, signal: AbortSignal): Promise<void> {
    const attemptAt = this.clock.now();
    const firstAttemptAt = row.firstAttemptAt ?? attemptAt;
    const attempts = row.attempts + 1;
    let failure: string;
    let refused = false;
    try {
      ({ failure, refused } = await this.send(row, signal));
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    // Stopped mid-request: the row stays as it was and goes out again after the restart.
    if (this.stopped) return;
    const now = this.clock.now();
    try {
      if (failure === '') {
        this.repo.markDelivered(row.id, now, attempts, firstAttemptAt);
        return;
      }
      const dead = refused || isDeadLetter(attempts, firstAttemptAt, now);
      this.repo.markFailed(row.id, {
        attempts, firstAttemptAt, lastError: failure.slice(0, 500), deadAt: dead ? now : null,
        nextAttemptAt: now + nextAttemptDelayMs(attempts, this.settings.random),
      });
      const context = { agencyId: row.agencyId, idempotencyKey: row.idempotencyKey, attempts, error: failure.slice(0, 200) };
      if (dead) this.log.error(context, 'webhook gave up: on the dead-letter list');
      else this.log.warn(context, 'webhook failed; will retry');
    } catch (error) {
      // The result could not be written (database locked, disk full): the row is sent again at the
      // next poll, not at once (the key dedupes it at the agency).
      this.resting.add(row.agencyId);
      this.log.warn({ err: String(error), outboxId: row.id }, 'webhook result not recorded; it will be sent again');
    }
  }

  /**
   * One attempt: failure '' when the agency accepted it, else why not. `refused`: the agency
   * answered that this request will never succeed (a 4xx other than 408 and 429), so retrying
   * it would only hold back the agency's later webhooks; it goes to the dead-letter list at once.
   */
  private async send(row: OutboxRow, signal: AbortSignal): Promise<{ failure: string; refused: boolean }> {
    const retry = (failure: string) => ({ failure, refused: false });
    const agency = this.directory.get(row.agencyId);
    if (!agency.webhookUrl) return retry('the agency has no webhook URL any more');
    const key = this.directory.signingKeyOf(agency.id);
    if (!key) return retry('the agency has no signing key (or SIAGA112_SECRETS_KEY is not set)');
    if (!this.http) return retry('stopped');
    const response = await request(agency.webhookUrl, {
      method: 'POST', body: row.body, signal, dispatcher: this.http,
      headers: {
        'content-type': 'application/json', 'user-agent': 'siaga112',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(row.body, key, Math.floor(this.clock.now() / 1000)),
        [IDEMPOTENCY_KEY_HEADER]: row.idempotencyKey,
      },
    });
    // Read to the end so the connection is reused; the content is not ours to keep.
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return retry('');
    const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
    return { failure: refused ? `HTTP ${status} (refused by the agency: not retried)` : `HTTP ${status}`, refused };
  }
}
