import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { type CapabilitySettings, composeCapabilities } from '../../src/capabilities.js';
import { openDatabase, waitBrieflyForLocks } from '../../src/db/database.js';
import { writeBehindOf } from '../../src/db/write-behind.js';
import { VirtualClock } from '../fakes/virtual-clock.js';
import { createDomainEvents } from '../../src/domain-events.js';
import type { HealthReport } from '../../src/health-routes.js';
import type { PresenceList } from '../../src/status-schemas.js';
import type { Strategy } from '../../src/queue/acd.js';
import { FakeTelephony } from '../fakes/fake-telephony.js';

export const FALLBACK = { context: 'emergency-fallback', extension: 's', priority: 1 };

/** A CallService on a fresh in-memory database and a fake Asterisk. */
export interface HarnessOptions {
  maxLiveCalls?: number;
  maxCallSeconds?: number;
  playbackGuardMs?: number;
  /** Queued callers go to the switchboard (otherwise they wait on hold). */
  queue?: boolean;
  strategy?: Strategy;
  ringTimeoutMs?: number;
  wrapupMs?: number;
  announceIntervalMs?: number;
  overflowAfterMs?: number;
  callbackMinWaitMs?: number;
  /** A database file instead of memory (another connection can then lock it). */
  dbPath?: string;
  /** Where the recordings store looks for files. */
  recordingsDir?: string;
  /** Whether callers' SIP location is read (Asterisk's citizens-geolocation.conf); on unless a test says. */
  sipLocation?: boolean;
  /** Location servers a by-reference PIDF-LO may come from (a test's loopback server). */
  pidfRefHosts?: string[];
  /** AML senders that sign with HMAC, and their keys. */
  amlHmacKeys?: Record<string, string>;
  amlRatePerMinute?: number;
  /** The master key for agencies' signing keys; null: none configured (no webhooks). */
  secretsKey?: Buffer | null;
  surgeMinCalls?: number;
  /** Scrapes of GET /metrics from 127.0.0.1 need no token (app.inject comes from 127.0.0.1 unless told otherwise). */
  metricsLoopback?: boolean;
  /** Where the virtual clock starts (ms since the epoch); now unless a test needs a known day. */
  clockStart?: number;
  reportTimeoutMs?: number;
}

export const TEST_OPERATORS = ['op001', 'op002', 'op003'];
export const operatorToken = (id: string): string => `token-of-${id}`;

/**
 * The process's wiring (src/capabilities.ts, as main.ts builds it) on a fresh database, a fake
 * Asterisk and test settings, started as the HTTP app's onReady would start it.
 */
export function coreHarness(overrides: HarnessOptions = {}) {
  /**
   * Virtual time for everything the harness builds: no timer (ring, wrap-up, overflow, guard,
   * drain, self-check, write-behind retry) fires until the test moves time on with
   * `await h.clock.advance(ms)`.
   */
  const clock = new VirtualClock(overrides.clockStart);
  const database = openDatabase(overrides.dbPath ?? ':memory:');
  // Before any repository asks for it: the write-behind queue retries on this clock.
  writeBehindOf(database.db, clock);
  const telephony = new FakeTelephony(clock);
  const log = pino({ level: 'silent' });
  /** The process's domain events; tests subscribe to see what a user's tools would. */
  const events = createDomainEvents(log);
  /** Operators whose softphone is registered (all of them unless a test says otherwise). */
  const reachable = new Set(TEST_OPERATORS);
  /** Texts whose audio the announcement service asked for (no espeak-ng in fast tests). */
  const preparedAnnouncements: unknown[] = [];
  /** Recordings the upload route installed: file base name and size (no sox in fast tests). */
  const installed: Array<{ base: string; bytes: number }> = [];
  const settings: CapabilitySettings = {
    operatorIds: TEST_OPERATORS,
    reachable: (operator) => reachable.has(operator.id),
    switchboard: overrides.queue ?? false,
    // Fast tests hear the greeting only; the IVR has its own tests (unit and e2e).
    ivrFlows: false,
    queue: {
      strategy: overrides.strategy ?? 'longest-idle', ringTimeoutMs: overrides.ringTimeoutMs ?? 15_000, wrapupMs: overrides.wrapupMs ?? 10_000,
      announceIntervalMs: overrides.announceIntervalMs ?? 0, overflowAfterMs: overrides.overflowAfterMs ?? 0,
      overflowEndpoint: overrides.overflowAfterMs ? 'PJSIP/0219999@trunk' : null,
      trunkEndpoint: 'trunk',
    },
    calls: {
      greeting: 'sound:greeting', maxCallSeconds: overrides.maxCallSeconds ?? 3600, playbackGuardMs: overrides.playbackGuardMs ?? 5000,
      admission: { maxLiveCalls: overrides.maxLiveCalls ?? 100, maxAriLatencyMs: 1000 }, fallback: FALLBACK,
      prank: { threshold: 3, windowMs: 86_400_000 }, cdr: null,
    },
    ivr: {
      soundsDir: '/sounds',
      prepareAnnouncement: async (texts) => {
        preparedAnnouncements.push(texts);
      },
      installRecording: async (wav, base) => {
        installed.push({ base, bytes: wav.length });
      },
    },
    callbacks: { minWaitMs: overrides.callbackMinWaitMs ?? 0 },
    recordings: { dir: overrides.recordingsDir ?? '/nonexistent', retentionMs: 30 * 86_400_000 },
    // Tests run reconciliation themselves (reconciler.run), with no grace: every channel is old.
    reconcile: { intervalMs: 0, graceMs: 0 },
    location: {
      window: { beforeMs: 60_000, afterMs: 600_000 }, maxAgeMs: 300_000, maxCallMs: (overrides.maxCallSeconds ?? 3600) * 1000, sipLocation: overrides.sipLocation ?? true,
      reference: { allowedHosts: overrides.pidfRefHosts ?? [], timeoutMs: 2000 },
      intake: { hmacKeys: overrides.amlHmacKeys ?? {}, ratePerMinute: overrides.amlRatePerMinute ?? 1000 },
    },
    dispatch: {
      secretsKey: overrides.secretsKey === undefined ? TEST_SECRETS_KEY : overrides.secretsKey,
      // Retries wait their full ceiling (random = 1): a test knows exactly when the next try is due.
      outbox: { pollMs: 1000, timeoutMs: 2000, random: () => 1 },
    },
    // Tests run surge detection themselves (surges.tick), on the virtual clock.
    incidents: { surge: { minCalls: overrides.surgeMinCalls ?? 10, windowMs: 120_000, radiusM: 300, intervalMs: 0 } },
    reports: { timeoutMs: overrides.reportTimeoutMs ?? 30_000, maxQueued: 4 },
    metrics: { loopbackWithoutToken: overrides.metricsLoopback ?? false },
  };
  /** The process's call handling, started as the app's onReady starts it. */
  const buildCore = () => {
    const core = composeCapabilities({ db: database.db, telephony, clock, log, events }, settings);
    for (const capability of core.all) void capability.start();
    return core;
  };
  let core = buildCore();
  waitBrieflyForLocks(database);
  const view = (c: typeof core) => ({
    core: c,
    /** The calls repository the call service itself writes through. */
    repo: c.calls.repo,
    parts: {
      ...c.queue, board: c.operators.board, operators: c.operators.service, callbacks: c.callbacks.service, dialer: c.legs.dialer,
    },
    service: c.calls.service, reconciler: c.reconcile.reconciler, flows: c.ivr.flows, dispositions: c.calls.dispositions,
    announcements: c.ivr.announcements, promptUploads: c.ivr.promptUploads, location: c.location,
    agencies: c.dispatch.directory, dispatches: c.dispatch.dispatches, outbox: c.dispatch.outbox, incidents: c.incidents.service, surges: c.incidents.surges,
  });
  const harness = {
    database, telephony, clock, events, reachable, preparedAnnouncements, installed, log, settings,
    ...view(core),
    /**
     * The process dies (nothing of it hears Asterisk any more, its timers stop), `whileDown`
     * happens in Asterisk with nobody listening, and a new process starts on the same database
     * and the same Asterisk; the test then reconciles it.
     */
    crashAndRestart: (whileDown: () => void = () => undefined) => {
      for (const capability of core.all) void capability.stop();
      whileDown();
      core = buildCore();
      Object.assign(harness, view(core));
      return harness;
    },
    close: () => {
      for (const capability of core.all) void capability.stop();
      database.close();
    },
  };
  return harness;
}

export const TEST_API_TOKEN = 'api-token-1234567';
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7);
export const TEST_ADMIN_TOKEN = 'admin-token-123456';
export const TEST_SUPERVISOR_TOKEN = 'supervisor-token-123';
export const TEST_AML_SENDER = 'test-gateway';
export const TEST_AML_TOKEN = 'aml-gateway-token-1';
export const TEST_METRICS_TOKEN = 'metrics-scraper-token-1';

/** The HTTP app over a harness's capabilities, as main.ts builds it, with test tokens. */
export function testApp(h: ReturnType<typeof coreHarness>, overrides: { health?: () => HealthReport; presence?: () => PresenceList['contacts'] } = {}) {
  return buildApp({
    logger: h.log, capabilities: h.core.all,
    credentials: {
      apiToken: TEST_API_TOKEN, adminToken: TEST_ADMIN_TOKEN, supervisorToken: TEST_SUPERVISOR_TOKEN,
      operatorTokens: Object.fromEntries(TEST_OPERATORS.map((id) => [id, operatorToken(id)])),
      amlSenderTokens: { [TEST_AML_SENDER]: TEST_AML_TOKEN, 'other-gateway': 'other-gateway-token-1' }, metricsToken: TEST_METRICS_TOKEN,
      stored: (digest) => h.agencies.principalOfDigest(digest),
    },
    presence: overrides.presence ?? (() => []),
    health: overrides.health ?? (() => ({ status: 'ok', ari: h.telephony.status(), ami: { connected: true }, database: { ok: true, pendingWrites: 0 }, admission: h.service.admission(), selfCheck: h.reconciler.report() })),
  });
}
