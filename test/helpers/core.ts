import { pino } from 'pino';
import { CallService } from '../../src/calls/call-service.js';
import { CallsRepository } from '../../src/db/calls-repository.js';
import { openDatabase } from '../../src/db/database.js';
import { IvrRepository } from '../../src/db/ivr-repository.js';
import { FlowService } from '../../src/ivr/flow-service.js';
import { DispositionService } from '../../src/calls/disposition-service.js';
import { DispositionsRepository } from '../../src/db/dispositions-repository.js';
import { buildApp } from '../../src/app.js';
import { AnnouncementService } from '../../src/ivr/announcement-service.js';
import { PromptUploads } from '../../src/ivr/prompt-uploads.js';
import type { HealthReport } from '../../src/http/routes/health.js';
import { FakeTelephony } from '../fakes/fake-telephony.js';

export const FALLBACK = { context: 'emergency-fallback', extension: 's', priority: 1 };

/** A CallService on a fresh in-memory database and a fake Asterisk. */
export function coreHarness(overrides: { maxLiveCalls?: number; maxCallSeconds?: number; playbackGuardMs?: number } = {}) {
  const database = openDatabase(':memory:');
  const repo = new CallsRepository(database.db);
  const telephony = new FakeTelephony();
  const log = pino({ level: 'silent' });
  const service = new CallService({
    telephony,
    repo,
    clock: { now: () => Date.now() },
    log,
    session: { greeting: 'sound:greeting', maxCallSeconds: overrides.maxCallSeconds ?? 3600, playbackGuardMs: overrides.playbackGuardMs ?? 5000 },
    admission: { maxLiveCalls: overrides.maxLiveCalls ?? 100, maxAriLatencyMs: 1000 },
    fallback: FALLBACK,
  });
  service.start();
  const flows = new FlowService(new IvrRepository(database.db), { now: () => Date.now() });
  const dispositions = new DispositionService(repo, new DispositionsRepository(database.db), { threshold: 3, windowMs: 86_400_000 }, { now: () => Date.now() });
  /** Texts whose audio the announcement service asked for (no espeak-ng in fast tests). */
  const preparedAnnouncements: unknown[] = [];
  const announcements = new AnnouncementService(database.db, { now: () => Date.now() }, async (texts) => {
    preparedAnnouncements.push(texts);
  });
  /** Recordings the upload route installed: file base name and size (no sox in fast tests). */
  const installed: Array<{ base: string; bytes: number }> = [];
  const promptUploads = new PromptUploads(flows, '/sounds', async (wav, base) => {
    installed.push({ base, bytes: wav.length });
  });
  return { database, repo, telephony, service, flows, dispositions, announcements, preparedAnnouncements, promptUploads, installed, log, close: () => database.close() };
}

export const TEST_API_TOKEN = 'api-token-1234567';
export const TEST_ADMIN_TOKEN = 'admin-token-123456';

/** The HTTP app over a harness, as main.ts builds it, with test tokens. */
export function testApp(h: ReturnType<typeof coreHarness>, overrides: { health?: () => HealthReport; presence?: () => Array<{ aor: string; status: string; uri: string; updatedAt: string }> } = {}) {
  return buildApp({
    apiToken: TEST_API_TOKEN, adminToken: TEST_ADMIN_TOKEN, flows: h.flows, dispositions: h.dispositions, announcements: h.announcements, promptUploads: h.promptUploads, calls: h.repo, logger: h.log,
    presence: overrides.presence ?? (() => []),
    health: overrides.health ?? (() => ({ status: 'ok', ari: h.telephony.status(), ami: { connected: true }, database: { ok: true }, admission: h.service.admission() })),
  });
}
