import { pino } from 'pino';
import { systemClock } from '../../src/clock.js';
import { createDomainEvents } from '../../src/events/domain-events.js';
import { CallService } from '../../src/calls/call-service.js';
import { CallsRepository } from '../../src/db/calls-repository.js';
import { openDatabase, waitBrieflyForLocks } from '../../src/db/database.js';
import { IvrRepository } from '../../src/db/ivr-repository.js';
import { FlowService } from '../../src/ivr/flow-service.js';
import { DispositionService } from '../../src/calls/disposition-service.js';
import { DispositionsRepository } from '../../src/db/dispositions-repository.js';
import { buildApp } from '../../src/app.js';
import { AnnouncementService } from '../../src/ivr/announcement-service.js';
import { PromptUploads } from '../../src/ivr/prompt-uploads.js';
import type { HealthReport } from '../../src/http/routes/health.js';
import type { PresenceList } from '../../src/http/schemas.js';
import { FakeTelephony } from '../fakes/fake-telephony.js';
import { createSwitchboard } from '../../src/queue/create-switchboard.js';
import type { Strategy } from '../../src/queue/acd.js';
import { RecordingStore } from '../../src/recordings/recording-store.js';
import { createReconciler } from '../../src/reconcile/create-reconciler.js';

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
}

export const TEST_OPERATORS = ['op001', 'op002', 'op003'];
export const operatorToken = (id: string): string => `token-of-${id}`;

/** A CallService on a fresh in-memory database and a fake Asterisk. */
export function coreHarness(overrides: HarnessOptions = {}) {
  const database = openDatabase(overrides.dbPath ?? ':memory:');
  const repo = new CallsRepository(database.db);
  const telephony = new FakeTelephony();
  const log = pino({ level: 'silent' });
  /** The process's domain events; tests subscribe to see what a user's tools would. */
  const events = createDomainEvents(log);
  const clock = systemClock;
  /** Operators whose softphone is registered (all of them unless a test says otherwise). */
  const reachable = new Set(TEST_OPERATORS);
  /** The process's call handling, as main.ts wires it: switchboard, call service, reconciler. */
  const buildCore = () => {
    const parts = createSwitchboard({
      db: database.db, telephony, clock, events, log, operatorIds: TEST_OPERATORS,
      reachable: (operator) => reachable.has(operator.id),
      strategy: overrides.strategy ?? 'longest-idle', ringTimeoutMs: overrides.ringTimeoutMs ?? 15_000, wrapupMs: overrides.wrapupMs ?? 10_000,
      announceIntervalMs: overrides.announceIntervalMs ?? 0, overflowAfterMs: overrides.overflowAfterMs ?? 0,
      overflowEndpoint: overrides.overflowAfterMs ? 'PJSIP/0219999@trunk' : null,
      agencies: { damkar: '113', dinkes: '118' }, trunkEndpoint: 'trunk', callbackMinWaitMs: overrides.callbackMinWaitMs ?? 0,
    });
    parts.start();
    const service = new CallService({
      telephony, channelEvents: parts.callEvents, events, repo, clock, log,
      session: {
        greeting: 'sound:greeting', maxCallSeconds: overrides.maxCallSeconds ?? 3600, playbackGuardMs: overrides.playbackGuardMs ?? 5000,
        queue: overrides.queue ? parts.switchboard : undefined,
      },
      admission: { maxLiveCalls: overrides.maxLiveCalls ?? 100, maxAriLatencyMs: 1000 },
      fallback: FALLBACK,
    });
    service.start();
    // Tests run reconciliation themselves (reconciler.run), with no grace: every channel is old.
    const reconciler = createReconciler(parts, service, { telephony, clock, log, intervalMs: 0, graceMs: 0, wrapupMs: overrides.wrapupMs ?? 10_000 });
    const stopReconciler = reconciler.start();
    return { parts, service, reconciler, stop: () => {
      stopReconciler();
      service.stop();
      parts.stop();
    } };
  };
  let core = buildCore();
  waitBrieflyForLocks(database);
  const flows = new FlowService(new IvrRepository(database.db), clock);
  const dispositions = new DispositionService(repo, new DispositionsRepository(database.db), { threshold: 3, windowMs: 86_400_000 }, clock);
  /** Texts whose audio the announcement service asked for (no espeak-ng in fast tests). */
  const preparedAnnouncements: unknown[] = [];
  const announcements = new AnnouncementService(database.db, clock, async (texts) => {
    preparedAnnouncements.push(texts);
  });
  /** Recordings the upload route installed: file base name and size (no sox in fast tests). */
  const installed: Array<{ base: string; bytes: number }> = [];
  const promptUploads = new PromptUploads(flows, '/sounds', async (wav, base) => {
    installed.push({ base, bytes: wav.length });
  });
  const harness = {
    database, repo, telephony, events, reachable, flows, dispositions, announcements, preparedAnnouncements, promptUploads, installed, log,
    parts: core.parts, service: core.service, reconciler: core.reconciler,
    /**
     * The process dies (nothing of it hears Asterisk any more, its timers stop), `whileDown`
     * happens in Asterisk with nobody listening, and a new process starts on the same database
     * and the same Asterisk; the test then reconciles it.
     */
    crashAndRestart: (whileDown: () => void = () => undefined) => {
      core.stop();
      whileDown();
      core = buildCore();
      Object.assign(harness, { parts: core.parts, service: core.service, reconciler: core.reconciler });
      return harness;
    },
    close: () => {
      core.stop();
      database.close();
    },
  };
  return harness;
}

export const TEST_API_TOKEN = 'api-token-1234567';
export const TEST_ADMIN_TOKEN = 'admin-token-123456';
export const TEST_SUPERVISOR_TOKEN = 'supervisor-token-123';

/** The HTTP app over a harness, as main.ts builds it, with test tokens. */
export function testApp(h: ReturnType<typeof coreHarness>, overrides: { recordingsDir?: string; health?: () => HealthReport; presence?: () => PresenceList['contacts'] } = {}) {
  return buildApp({
    apiToken: TEST_API_TOKEN, adminToken: TEST_ADMIN_TOKEN, flows: h.flows, dispositions: h.dispositions, announcements: h.announcements, promptUploads: h.promptUploads, calls: h.repo, logger: h.log,
    presence: overrides.presence ?? (() => []),
    operators: h.parts.operators, transfers: h.parts.transfers, supervision: h.parts.supervision, callbacks: h.parts.callbacks, operatorTokens: Object.fromEntries(TEST_OPERATORS.map((id) => [id, operatorToken(id)])),
    supervisorToken: TEST_SUPERVISOR_TOKEN, queue: h.parts.feed,
    recordings: new RecordingStore(h.database.db, overrides.recordingsDir ?? '/nonexistent', h.telephony, systemClock, h.log),
    health: overrides.health ?? (() => ({ status: 'ok', ari: h.telephony.status(), ami: { connected: true }, database: { ok: true, pendingWrites: 0 }, admission: h.service.admission(), selfCheck: h.reconciler.report() })),
  });
}
