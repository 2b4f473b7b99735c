import { GUARDIAN, HANDOVER_CDR_VARIABLE, HANDOVER_VARIABLE } from '../calls/handover.js';
import { parseBridges, parseChannels, stasisArgs } from '../ari/events.js';
import type { AriRest } from '../ari/rest.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { DialplanTarget } from '../telephony/port.js';
import { callersToHandOver, type GuardianThresholds } from './decide.js';

export interface GuardianOptions extends GuardianThresholds {
  rest: AriRest;
  app: string;
  fallback: DialplanTarget;
  /** Resolves true when siaga112 answers and has its ARI link (GET /health). */
  siaga112Alive: () => Promise<boolean>;
  pollMs: number;
  clock: Clock;
  log: Logger;
}

/**
 * siaga112's guardian: an independent process that watches siaga112 and, while it does not
 * answer, keeps callers from sitting in silence inside Stasis (Asterisk keeps them there with
 * nobody driving them). It marks each caller it moves (a channel variable and a CDR variable)
 * so siaga112 records a hand-over, never a hang-up, and re-adopts or imports them when back.
 */
export class Guardian {
  private timer: NodeJS.Timeout | null = null;
  private lastAliveAt: number;
  private checking = false;
  private wasAlive = true;

  constructor(private readonly options: GuardianOptions) {
    this.lastAliveAt = options.clock.now();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.pollMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One look: is siaga112 alive, and if not for long enough, who must go to the fallback. */
  async tick(): Promise<string[]> {
    if (this.checking) return [];
    this.checking = true;
    try {
      const { clock, log } = this.options;
      const alive = await this.options.siaga112Alive().catch(() => false);
      if (alive) {
        if (!this.wasAlive) log.info('siaga112 answers again');
        this.wasAlive = true;
        this.lastAliveAt = clock.now();
        return [];
      }
      if (this.wasAlive) log.warn('siaga112 does not answer');
      this.wasAlive = false;
      const silentForMs = clock.now() - this.lastAliveAt;
      if (silentForMs < this.options.freeAfterMs) return [];
      return await this.handOver(silentForMs);
    } catch (error) {
      this.options.log.error({ err: String(error) }, 'guardian check failed');
      return [];
    } finally {
      this.checking = false;
    }
  }

  private async handOver(silentForMs: number): Promise<string[]> {
    const { rest, app, fallback, log } = this.options;
    const [rawChannels, rawBridges] = await Promise.all([rest.request<unknown>('GET', '/channels'), rest.request<unknown>('GET', '/bridges')]);
    const channels = parseChannels(rawChannels).map((c) => ({ ...c.snapshot, appArgs: stasisArgs(app, c.appName, c.appData) }));
    const chosen = callersToHandOver(channels, parseBridges(rawBridges), silentForMs, this.options);
    const moved: string[] = [];
    // In parallel: Asterisk runs a continue only once the prompt playing to that caller ends.
    await Promise.all(chosen.map(async (channelId) => {
      const path = `/channels/${encodeURIComponent(channelId)}`;
      try {
        log.warn({ channelId, silentForMs }, 'siaga112 not answering: handing the caller to the dialplan fallback');
        // Marked first: whoever reads the channel or its CDR afterwards knows who moved it.
        await rest.request('POST', `${path}/variable`, { variable: HANDOVER_VARIABLE, value: GUARDIAN });
        await rest.request('POST', `${path}/variable`, { variable: HANDOVER_CDR_VARIABLE, value: GUARDIAN });
        await rest.request('POST', `${path}/continue`, { context: fallback.context, extension: fallback.extension, priority: fallback.priority });
        moved.push(channelId);
      } catch (error) {
        // Gone meanwhile (hung up), or siaga112 came back and moved it: nothing to do.
        log.info({ channelId, err: String(error) }, 'could not hand the caller over');
      }
    }));
    return moved;
  }
}
