import { AriRest } from '../ari/rest.js';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { Guardian } from './guardian.js';

/**
 * The guardian process (its own systemd unit, scripts/systemd/siaga112-guardian.service): asks
 * siaga112's /health every SIAGA112_GUARDIAN_POLL_MS and, while siaga112 does not answer, hands
 * callers to the dialplan fallback. It shares siaga112's configuration and nothing else.
 */
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    createLogger('info').fatal(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const log = createLogger(config.SIAGA112_LOG_LEVEL).child({ component: 'guardian' });
  const rest = new AriRest({
    baseUrl: config.SIAGA112_ARI_URL, user: config.SIAGA112_ARI_USER, password: config.SIAGA112_ARI_PASSWORD,
    timeoutMs: config.SIAGA112_ARI_TIMEOUT_MS, maxSockets: 4, maxPending: 64,
  });
  const healthUrl = `http://${config.SIAGA112_HTTP_HOST}:${config.SIAGA112_HTTP_PORT}/health`;
  const guardian = new Guardian({
    rest, app: config.SIAGA112_ARI_APP, pollMs: config.SIAGA112_GUARDIAN_POLL_MS,
    freeAfterMs: config.SIAGA112_GUARDIAN_AFTER_MS, holdingAfterMs: config.SIAGA112_GUARDIAN_HOLDING_AFTER_MS,
    fallback: { context: config.SIAGA112_FALLBACK_CONTEXT, extension: config.SIAGA112_FALLBACK_EXTENSION, priority: 1 },
    clock: systemClock, log,
    siaga112Alive: async () => {
      // A 503 still says siaga112 is alive; what matters is that it holds its ARI link.
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(Math.max(250, config.SIAGA112_GUARDIAN_POLL_MS * 2)) });
      const body = (await response.json()) as { ari?: { connected?: unknown } };
      return body.ari?.connected === true;
    },
  });
  guardian.start();
  log.info({ watching: healthUrl, afterMs: config.SIAGA112_GUARDIAN_AFTER_MS }, 'guardian watching siaga112');
  const stop = () => {
    guardian.stop();
    void rest.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
