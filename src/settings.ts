import type { CapabilitySettings } from './capabilities.js';
import type { Config } from './config.js';
import { generatePrompts, installRecording } from './ivr/prompt-generator.js';
import type { Operator } from './operators/operator-board.js';

/**
 * Channels and bridges younger than this are left alone by reconciliation: their StasisStart
 * (or the step that made them) may still be on its way.
 */
const RECONCILE_GRACE_MS = 3000;

/** The capabilities' settings from the process's configuration. */
export function settingsFrom(config: Config, reachable: (operator: Operator) => boolean): CapabilitySettings {
  const trunkEndpoint = config.SIAGA112_TRUNK_ENDPOINT;
  return {
    operatorIds: Object.keys(config.SIAGA112_OPERATOR_TOKENS),
    reachable,
    switchboard: true,
    ivrFlows: true,
    queue: {
      strategy: config.SIAGA112_QUEUE_STRATEGY, ringTimeoutMs: config.SIAGA112_RING_TIMEOUT_MS, wrapupMs: config.SIAGA112_WRAPUP_MS,
      announceIntervalMs: config.SIAGA112_ANNOUNCE_INTERVAL_MS, overflowAfterMs: config.SIAGA112_OVERFLOW_AFTER_MS,
      overflowEndpoint: config.SIAGA112_OVERFLOW_NUMBER ? `PJSIP/${config.SIAGA112_OVERFLOW_NUMBER}@${trunkEndpoint}` : null,
      trunkEndpoint,
    },
    calls: {
      greeting: config.SIAGA112_GREETING, maxCallSeconds: config.SIAGA112_MAX_CALL_SECONDS, playbackGuardMs: 60_000,
      admission: { maxLiveCalls: config.SIAGA112_MAX_LIVE_CALLS, maxAriLatencyMs: config.SIAGA112_MAX_ARI_LATENCY_MS },
      fallback: { context: config.SIAGA112_FALLBACK_CONTEXT, extension: config.SIAGA112_FALLBACK_EXTENSION, priority: 1 },
      prank: { threshold: config.SIAGA112_PRANK_THRESHOLD, windowMs: config.SIAGA112_PRANK_WINDOW_HOURS * 3_600_000 },
      cdr: { path: config.SIAGA112_CDR_PATH, pollMs: config.SIAGA112_CDR_POLL_MS },
    },
    ivr: {
      soundsDir: config.SIAGA112_SOUNDS_DIR,
      prepareAnnouncement: async (texts) => {
        await generatePrompts([{ languages: ['id', 'en'], prompts: { announcement: texts } }], config.SIAGA112_SOUNDS_DIR);
      },
      installRecording,
    },
    callbacks: { minWaitMs: config.SIAGA112_CALLBACK_MIN_WAIT_MS },
    recordings: { dir: config.SIAGA112_RECORDINGS_DIR, retentionMs: config.SIAGA112_RECORDING_RETENTION_DAYS * 86_400_000 },
    reconcile: { intervalMs: config.SIAGA112_SELF_CHECK_MS, graceMs: RECONCILE_GRACE_MS },
    location: {
      window: { beforeMs: config.SIAGA112_AML_WINDOW_BEFORE_MS, afterMs: config.SIAGA112_AML_WINDOW_AFTER_MS },
      maxAgeMs: config.SIAGA112_LOCATION_MAX_AGE_MS,
      maxCallMs: config.SIAGA112_MAX_CALL_SECONDS * 1000,
      sipLocation: config.SIAGA112_SIP_LOCATION === 'on',
      reference: { allowedHosts: config.SIAGA112_PIDF_REF_HOSTS, timeoutMs: config.SIAGA112_PIDF_REF_TIMEOUT_MS },
      intake: { hmacKeys: config.SIAGA112_AML_HMAC_KEYS, ratePerMinute: config.SIAGA112_AML_RATE_PER_MINUTE },
    },
    dispatch: {
      secretsKey: config.SIAGA112_SECRETS_KEY ?? null,
      outbox: { pollMs: config.SIAGA112_OUTBOX_POLL_MS, timeoutMs: config.SIAGA112_WEBHOOK_TIMEOUT_MS, random: Math.random },
    },
    incidents: {
      surge: {
        minCalls: config.SIAGA112_SURGE_MIN_CALLS, windowMs: config.SIAGA112_SURGE_WINDOW_MINUTES * 60_000,
        radiusM: config.SIAGA112_SURGE_RADIUS_M, intervalMs: config.SIAGA112_SURGE_CHECK_MS,
      },
    },
    reports: { timeoutMs: config.SIAGA112_REPORT_TIMEOUT_MS, maxQueued: 4 },
    metrics: { loopbackWithoutToken: config.SIAGA112_METRICS_LOOPBACK },
  };
}
