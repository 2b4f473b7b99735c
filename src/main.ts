import { buildApp } from './app.js';
import { AmiClient } from './ami/ami-client.js';
import { ContactPresence } from './ami/contact-presence.js';
import { AriAuthError } from './ari/connection.js';
import { AriTelephony } from './ari/telephony.js';
import { CallService } from './calls/call-service.js';
import { FallbackImporter } from './calls/fallback-import.js';
import { systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { CallsRepository } from './db/calls-repository.js';
import { IvrRepository } from './db/ivr-repository.js';
import { DispositionsRepository } from './db/dispositions-repository.js';
import { DispositionService } from './calls/disposition-service.js';
import { FlowService } from './ivr/flow-service.js';
import { AnnouncementService } from './ivr/announcement-service.js';
import { generatePrompts, installRecording } from './ivr/prompt-generator.js';
import { PromptUploads } from './ivr/prompt-uploads.js';
import { MigrationError, openDatabase, waitBrieflyForLocks } from './db/database.js';
import { writeBehindOf } from './db/write-behind.js';
import type { HealthReport } from './http/routes/health.js';
import { createLogger } from './log.js';
import { createSwitchboard } from './queue/create-switchboard.js';
import { queuePrompts } from './queue/queue-prompts.js';
import { RecordingStore } from './recordings/recording-store.js';
import { createReconciler } from './reconcile/create-reconciler.js';
import { createDomainEvents } from './events/domain-events.js';

/**
 * The siaga112 process: configuration, database, Asterisk links, call handling, HTTP.
 * A start-up failure (configuration, migration, ARI credentials) is one log line and exit 1.
 * SIGTERM/SIGINT drain: new calls go to the dialplan fallback, live calls finish, then exit 0.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    createLogger('info').fatal(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const log = createLogger(config.SIAGA112_LOG_LEVEL);
  // A promise nobody awaited that rejects leaves no half-done state behind: log it and go on
  // serving calls. A thrown exception might have: exit, and let the next start re-adopt calls.
  let database: ReturnType<typeof openDatabase> | undefined;
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason instanceof Error ? reason : String(reason) }, 'unhandled promise rejection');
  });
  process.on('uncaughtException', (error) => {
    // Calls left in Stasis are re-adopted or handed to the fallback by the next start; records
    // still waiting for a database lock are written if the lock allows.
    log.fatal({ err: error }, 'uncaught exception; exiting');
    if (database && !writeBehindOf(database.db).flush()) log.error({ pendingWrites: writeBehindOf(database.db).pending }, 'call records lost with the exit: the database was locked');
    process.exit(1);
  });

  try {
    database = openDatabase(config.SIAGA112_DB_PATH, config.SIAGA112_DB_SYNCHRONOUS);
  } catch (error) {
    log.fatal(error instanceof MigrationError ? error.message : `cannot open database: ${String(error)}`);
    process.exit(1);
  }
  const repo = new CallsRepository(database.db);
  // A database locked by another process never freezes calls; it is said loudly, and once the
  // lock is gone everything waiting is written, in order, and reconciled.
  const writer = writeBehindOf(database.db);
  const dbLog = log.child({ component: 'database' });
  writer.onChange((event) => {
    if (event.type === 'delayed') dbLog.error({ pendingWrites: event.pending, err: event.error }, 'DATABASE LOCKED: call records are kept in memory until it is free');
    else dbLog.warn({ written: event.written, delayedMs: event.delayedMs }, 'database free again: delayed call records written in order');
  });
  const flows = new FlowService(new IvrRepository(database.db), systemClock);
  flows.ensureDefault();
  const announcements = new AnnouncementService(database.db, systemClock, async (texts) => {
    await generatePrompts([{ languages: ['id', 'en'], prompts: { announcement: texts } }], config.SIAGA112_SOUNDS_DIR);
  });
  const promptUploads = new PromptUploads(flows, config.SIAGA112_SOUNDS_DIR, installRecording);
  const dispositions = new DispositionService(repo, new DispositionsRepository(database.db), {
    threshold: config.SIAGA112_PRANK_THRESHOLD, windowMs: config.SIAGA112_PRANK_WINDOW_HOURS * 3_600_000,
  }, systemClock);

  const telephony = new AriTelephony({
    url: config.SIAGA112_ARI_URL,
    user: config.SIAGA112_ARI_USER,
    password: config.SIAGA112_ARI_PASSWORD,
    app: config.SIAGA112_ARI_APP,
    timeoutMs: config.SIAGA112_ARI_TIMEOUT_MS,
    maxSockets: config.SIAGA112_ARI_MAX_SOCKETS,
    maxPending: config.SIAGA112_ARI_MAX_PENDING,
    heartbeatMs: config.SIAGA112_ARI_HEARTBEAT_MS,
    log: log.child({ component: 'ari' }),
  });
  const ami = new AmiClient({
    host: config.SIAGA112_AMI_HOST,
    port: config.SIAGA112_AMI_PORT,
    user: config.SIAGA112_AMI_USER,
    password: config.SIAGA112_AMI_PASSWORD,
    timeoutMs: config.SIAGA112_ARI_TIMEOUT_MS,
    log: log.child({ component: 'ami' }),
  });
  const presence = new ContactPresence(ami, log.child({ component: 'presence' }));
  const switchboardLog = log.child({ component: 'switchboard' });
  // Domain events: each module publishes what it owns; callbacks, later metrics and the console subscribe.
  const events = createDomainEvents(log);
  const parts = createSwitchboard({
    db: database.db, telephony, clock: systemClock, events, log,
    operatorIds: Object.keys(config.SIAGA112_OPERATOR_TOKENS),
    reachable: (operator) => presence.isReachable(operator.id),
    strategy: config.SIAGA112_QUEUE_STRATEGY, ringTimeoutMs: config.SIAGA112_RING_TIMEOUT_MS, wrapupMs: config.SIAGA112_WRAPUP_MS,
    announceIntervalMs: config.SIAGA112_ANNOUNCE_INTERVAL_MS, overflowAfterMs: config.SIAGA112_OVERFLOW_AFTER_MS,
    overflowEndpoint: config.SIAGA112_OVERFLOW_NUMBER ? `PJSIP/${config.SIAGA112_OVERFLOW_NUMBER}@${config.SIAGA112_TRUNK_ENDPOINT}` : null,
    agencies: config.SIAGA112_AGENCY_NUMBERS, trunkEndpoint: config.SIAGA112_TRUNK_ENDPOINT,
    callbackMinWaitMs: config.SIAGA112_CALLBACK_MIN_WAIT_MS,
  });
  const { switchboard } = parts;
  waitBrieflyForLocks(database);
  parts.start();
  // A softphone that registers (or comes back) may take a waiting call at once.
  presence.onChange(() => switchboard.offerWaitingCalls());
  generatePrompts([{ languages: ['id', 'en'], prompts: queuePrompts() }], config.SIAGA112_SOUNDS_DIR).catch((error: unknown) => {
    switchboardLog.warn({ err: String(error) }, 'queue announcement prompts could not be generated');
  });
  const recordings = new RecordingStore(database.db, config.SIAGA112_RECORDINGS_DIR, telephony, systemClock, log.child({ component: 'recordings' }));
  const retentionMs = config.SIAGA112_RECORDING_RETENTION_DAYS * 86_400_000;
  const sweep = setInterval(() => {
    recordings.sweep(retentionMs).catch((error: unknown) => log.warn({ err: String(error) }, 'recording retention sweep failed'));
  }, RETENTION_SWEEP_MS);
  sweep.unref();
  const calls = new CallService({
    telephony,
    channelEvents: parts.callEvents,
    events,
    repo,
    clock: systemClock,
    log: log.child({ component: 'calls' }),
    session: {
      flowFor: (dialled) => flows.forCall(dialled),
      inPrankLane: (callerNumber) => dispositions.inPrankLane(callerNumber),
      announcement: () => announcements.current(),
      queue: switchboard,
      greeting: config.SIAGA112_GREETING, maxCallSeconds: config.SIAGA112_MAX_CALL_SECONDS, playbackGuardMs: 60_000 },
    admission: { maxLiveCalls: config.SIAGA112_MAX_LIVE_CALLS, maxAriLatencyMs: config.SIAGA112_MAX_ARI_LATENCY_MS },
    fallback: { context: config.SIAGA112_FALLBACK_CONTEXT, extension: config.SIAGA112_FALLBACK_EXTENSION, priority: 1 },
  });
  // Asterisk is the truth for what is live: at every connect, and every few seconds after.
  const reconciler = createReconciler(parts, calls, {
    telephony, clock: systemClock, log: log.child({ component: 'reconcile' }), intervalMs: config.SIAGA112_SELF_CHECK_MS,
    graceMs: RECONCILE_GRACE_MS, wrapupMs: config.SIAGA112_WRAPUP_MS,
  });
  const importer = new FallbackImporter(config.SIAGA112_CDR_PATH, database.db, repo, log.child({ component: 'cdr-import' }), events);

  const health = (): HealthReport => {
    let databaseOk = writer.pending === 0;
    try {
      database.sqlite.prepare('SELECT 1').get();
    } catch {
      databaseOk = false;
    }
    const ari = telephony.status();
    const admission = calls.admission();
    const ok = ari.connected && ami.isUp && databaseOk && admission.accepting;
    return { status: ok ? 'ok' : 'degraded', ari, ami: { connected: ami.isUp }, database: { ok: databaseOk, pendingWrites: writer.pending }, admission, selfCheck: reconciler.report() };
  };

  await importer.importNew();
  importer.start(config.SIAGA112_CDR_POLL_MS);
  calls.start();
  const stopReconciler = reconciler.start();
  // Once the lock is gone SQLite is whole again: compare everything with Asterisk at once.
  writer.onChange((event) => {
    if (event.type === 'flushed') void reconciler.run('full');
  });
  const app = await buildApp({
    apiToken: config.SIAGA112_API_TOKEN, adminToken: config.SIAGA112_ADMIN_TOKEN, flows, dispositions, announcements, promptUploads, calls: repo, health, logger: log,
    presence: () => presence.list().map((c) => ({ ...c, updatedAt: new Date(c.updatedAt).toISOString() })),
    operators: parts.operators, transfers: parts.transfers, supervision: parts.supervision, callbacks: parts.callbacks, operatorTokens: config.SIAGA112_OPERATOR_TOKENS, supervisorToken: config.SIAGA112_SUPERVISOR_TOKEN,
    queue: parts.feed, recordings,
  });
  await app.listen({ host: config.SIAGA112_HTTP_HOST, port: config.SIAGA112_HTTP_PORT });
  ami.start();

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, liveCalls: calls.liveCalls }, 'stopping: new calls go to the fallback, draining live calls');
    await calls.drain(config.SIAGA112_DRAIN_TIMEOUT_MS);
    stopReconciler();
    parts.stop();
    clearInterval(sweep);
    importer.stop();
    await importer.importNew();
    ami.stop();
    await telephony.stop();
    await app.close();
    // Records still waiting for a lock are written before the process goes (at most 30 s).
    const flushDeadline = Date.now() + 30_000;
    while (!writer.flush() && Date.now() < flushDeadline) await new Promise((resolve) => setTimeout(resolve, 250));
    if (writer.pending > 0) log.error({ pendingWrites: writer.pending }, 'database still locked at shutdown: these call records are lost');
    writer.stop();
    database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await telephony.start();
  } catch (error) {
    log.fatal(error instanceof AriAuthError ? error.message : `ARI start failed: ${String(error)}`);
    process.exit(1);
  }
  log.info({ http: `http://${config.SIAGA112_HTTP_HOST}:${config.SIAGA112_HTTP_PORT}`, app: config.SIAGA112_ARI_APP }, 'siaga112 ready');
}

/**
 * Channels and bridges younger than this are left alone by reconciliation: their StasisStart
 * (or the step that made them) may still be on its way.
 */
const RECONCILE_GRACE_MS = 3000;

/** Expired recordings are looked for this often (retention is counted in days). */
const RETENTION_SWEEP_MS = 3_600_000;

void main().catch((error: unknown) => {
  createLogger('info').fatal({ err: error instanceof Error ? error.message : String(error) }, 'start-up failed');
  process.exit(1);
});
