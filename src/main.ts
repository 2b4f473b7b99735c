import { buildApp } from './app.js';
import { AmiClient } from './ami/ami-client.js';
import { ContactPresence } from './ami/contact-presence.js';
import { AriAuthError } from './ari/connection.js';
import { AriTelephony } from './ari/telephony.js';
import { systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { generatePrompts } from './ivr/prompt-generator.js';
import { MigrationError, openDatabase, waitBrieflyForLocks } from './db/database.js';
import { writeBehindOf } from './db/write-behind.js';
import type { HealthReport } from './health-routes.js';
import { createLogger } from './log.js';
import { queuePrompts } from './queue/queue-prompts.js';
import { createDomainEvents } from './domain-events.js';
import { composeCapabilities } from './capabilities.js';
import { settingsFrom } from './settings.js';

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
  // A database locked by another process never freezes calls; it is said loudly, and once the
  // lock is gone everything waiting is written, in order, and reconciled.
  const writer = writeBehindOf(database.db);
  const dbLog = log.child({ component: 'database' });
  writer.onChange((event) => {
    if (event.type === 'delayed') dbLog.error({ pendingWrites: event.pending, err: event.error }, 'DATABASE LOCKED: call records are kept in memory until it is free');
    else dbLog.warn({ written: event.written, delayedMs: event.delayedMs }, 'database free again: delayed call records written in order');
  });

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
  // Domain events: each module publishes what it owns; callbacks, metrics and the console subscribe.
  const events = createDomainEvents(log);
  const capabilities = composeCapabilities({ db: database.db, telephony, clock: systemClock, log, events }, settingsFrom(config, (operator) => presence.isReachable(operator.id)));
  waitBrieflyForLocks(database);
  capabilities.metrics.attachAri(telephony);
  const { switchboard } = capabilities.queue;
  // A softphone that registers (or comes back) may take a waiting call at once.
  presence.onChange(() => switchboard.offerWaitingCalls());
  generatePrompts([{ languages: ['id', 'en'], prompts: queuePrompts() }], config.SIAGA112_SOUNDS_DIR).catch((error: unknown) => {
    log.warn({ err: String(error) }, 'queue announcement prompts could not be generated');
  });
  const calls = capabilities.calls.service;
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
    return { status: ok ? 'ok' : 'degraded', ari, ami: { connected: ami.isUp }, database: { ok: databaseOk, pendingWrites: writer.pending }, admission, selfCheck: capabilities.reconcile.reconciler.report() };
  };
  const app = await buildApp({
    logger: log, capabilities: capabilities.all, health,
    credentials: {
      apiToken: config.SIAGA112_API_TOKEN, adminToken: config.SIAGA112_ADMIN_TOKEN, supervisorToken: config.SIAGA112_SUPERVISOR_TOKEN,
      operatorTokens: config.SIAGA112_OPERATOR_TOKENS, amlSenderTokens: config.SIAGA112_AML_SENDERS, metricsToken: config.SIAGA112_METRICS_TOKEN,
      stored: (digest) => capabilities.dispatch.directory.principalOfDigest(digest),
    },
    presence: () => presence.list().map((c) => ({ ...c, updatedAt: new Date(c.updatedAt).toISOString() })),
  });
  // Starts every capability in order (the CDR import first, reconciliation last).
  await app.ready();
  await app.listen({ host: config.SIAGA112_HTTP_HOST, port: config.SIAGA112_HTTP_PORT });
  ami.start();

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, liveCalls: calls.liveCalls }, 'stopping: new calls go to the fallback, draining live calls');
    await calls.drain(config.SIAGA112_DRAIN_TIMEOUT_MS);
    // Every capability stops (timers, subscriptions); then the links to Asterisk.
    await app.close();
    await capabilities.calls.importer?.importNew();
    ami.stop();
    await telephony.stop();
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

void main().catch((error: unknown) => {
  createLogger('info').fatal({ err: error instanceof Error ? error.message : String(error) }, 'start-up failed');
  process.exit(1);
});
