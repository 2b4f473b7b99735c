import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { CallRow, CallsRepository } from '../db/calls-repository.js';
import type { Db } from '../db/database.js';
import { CdrImportRepository } from '../db/cdr-import-repository.js';
import { writeBehindOf } from '../db/write-behind.js';
import type { Logger } from '../log.js';
import type { CallEventPublisher } from './call-events.js';
import { callerNameFromClid, completeLines, parseCdrLine, type CdrLine } from './cdr-line.js';
import { FallbackReason } from './fallback-reason.js';
import { CallState, CallTrigger, EndReason } from './states.js';
import { CallRecord } from './call-record.js';
import { GUARDIAN } from './handover.js';
import { normaliseNumber } from '../numbers/phone-number.js';

const SOURCE = 'asterisk-cdr';
const MAX_CHUNK = 4 * 1024 * 1024;

/**
 * Imports the calls that Asterisk's dialplan fallback handled on its own (siaga112 down, or a
 * call it handed back) from the cdr_custom file, so /api/calls misses none of them. Runs at
 * start-up and then every few seconds; the file offset is stored with the rows it produced, in
 * one transaction, so a crash never imports a line twice or skips one.
 */
export class FallbackImporter {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly positions: CdrImportRepository;

  constructor(
    private readonly path: string,
    private readonly db: Db,
    private readonly repo: CallsRepository,
    private readonly log: Logger,
    private readonly events: CallEventPublisher,
  ) {
    this.positions = new CdrImportRepository(db);
  }

  /** Imports new lines every `intervalMs`; returns the function that stops it. */
  start(intervalMs: number): () => void {
    this.timer = setInterval(() => void this.importNew(), intervalMs);
    this.timer.unref();
    return () => this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Imports every complete line added since the last run; returns how many calls were added. */
  async importNew(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      return await this.importOnce();
    } catch (error) {
      this.log.error({ err: String(error), path: this.path }, 'fallback-call import failed; will retry');
      return 0;
    } finally {
      this.busy = false;
    }
  }

  private async importOnce(): Promise<number> {
    // While the call path's writes wait for a lock, the rows here are not yet what happened.
    if (writeBehindOf(this.db).pending > 0) return 0;
    const info = await stat(this.path).catch(() => undefined);
    if (!info) return 0;
    const saved = this.positions.position(SOURCE);
    // A new file (rotated) or a truncated one starts from the top; rows are keyed by channel id.
    const from = saved && saved.inode === info.ino && saved.offset <= info.size ? saved.offset : 0;
    if (from >= info.size) return 0;
    const handle = await open(this.path, 'r');
    let chunk: Buffer;
    try {
      const length = Math.min(info.size - from, MAX_CHUNK);
      chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, from);
    } finally {
      await handle.close();
    }
    const { lines, consumed } = completeLines(chunk);
    // Checked again after the read: its rows must not overtake writes waiting for a lock.
    if (consumed === 0 || writeBehindOf(this.db).pending > 0) return 0;
    let added = 0;
    this.positions.importAtomically(SOURCE, { inode: info.ino, offset: from + consumed }, () => {
      for (const line of lines) {
        const cdr = parseCdrLine(line);
        if (!cdr) {
          this.log.warn({ path: this.path }, 'malformed CDR line skipped');
          continue;
        }
        if (this.importLine(cdr)) added += 1;
      }
    });
    if (added > 0) this.log.info({ added }, 'imported calls handled by the dialplan fallback');
    return added;
  }

  /**
   * Adds a call the service never saw (the fallback's), or completes one it knows: the true end
   * of its caller's channel, which also corrects a call closed after the fact (ended while down)
   * and finishes one the guardian handed over while siaga112 was not answering.
   */
  private importLine(cdr: CdrLine): boolean {
    const endedAt = cdr.end > 0 ? Math.round(cdr.end * 1000) : null;
    const existing = this.repo.findByChannelId(cdr.uniqueid);
    if (existing) {
      if (endedAt !== null) this.completeKnown(existing, endedAt, cdr);
      return false;
    }
    if (cdr.userfield !== 'fallback') return false;
    const arrivedAt = Math.round(cdr.start * 1000);
    return this.repo.create({
      id: randomUUID(),
      channelId: cdr.uniqueid,
      callerNumber: cdr.src,
      callerNumberKey: normaliseNumber(cdr.src),
      callerName: callerNameFromClid(cdr.clid),
      dialledNumber: cdr.dialled,
      state: CallState.fallback,
      arrivedAt,
      answeredAt: cdr.answer > 0 ? Math.round(cdr.answer * 1000) : null,
      endedAt,
      endReason: EndReason.fallback,
      fallbackReason: cdr.handover === GUARDIAN ? FallbackReason.guardian : FallbackReason.notRunning,
    }, { type: 'imported', at: arrivedAt, detail: { source: SOURCE, disposition: cdr.disposition } });
  }

  private completeKnown(existing: CallRow, endedAt: number, cdr: CdrLine): void {
    // A channel has several CDR lines (one per bridge it was in): the last one is its end.
    const channelEndedAt = Math.max(existing.channelEndedAt ?? 0, endedAt);
    // Nothing new, unless a call closed after the fact still carries the moment it was noticed.
    const stale = existing.endReason === EndReason.endedWhileDown && existing.endedAt !== channelEndedAt;
    if (channelEndedAt === existing.channelEndedAt && !stale) return;
    const detail = { disposition: cdr.disposition, channelEndedAt };
    if (existing.state === CallState.fallback) {
      const later = (existing.endedAt ?? 0) < channelEndedAt;
      this.repo.change(existing.id, { channelEndedAt, ...(later ? { endedAt: channelEndedAt } : {}) }, { type: 'ended-in-fallback', at: channelEndedAt, detail });
    } else if (existing.endedAt === null && cdr.handover === GUARDIAN) {
      new CallRecord(existing.id, existing.state as CallState, this.repo, { now: () => channelEndedAt }, this.events).apply(CallTrigger.fallback,
        { channelEndedAt, endedAt: channelEndedAt, endReason: EndReason.fallback, fallbackReason: FallbackReason.guardian }, { reason: FallbackReason.guardian, source: SOURCE });
    } else if (existing.endReason === EndReason.endedWhileDown) {
      this.repo.change(existing.id, { channelEndedAt }, { type: 'channel-ended', at: channelEndedAt, detail });
      correctToTrueEnd(this.repo, existing.id);
    } else if (existing.endedAt === null) {
      // Ended while nobody watched: reconciliation closes it with this time.
      this.repo.change(existing.id, { channelEndedAt }, { type: 'channel-ended', at: channelEndedAt, detail });
    }
  }
}

/**
 * A call closed after the fact (ended while down) gets the end Asterisk recorded for its caller's
 * channel, and an abandoned caller's wait runs to it. Safe to call any time: nothing to correct,
 * nothing written.
 */
export function correctToTrueEnd(repo: CallsRepository, callId: string): void {
  const call = repo.findById(callId);
  const trueEnd = call?.channelEndedAt;
  if (!call || !trueEnd || call.endReason !== EndReason.endedWhileDown || call.endedAt === trueEnd) return;
  const wait = call.state === CallState.abandoned && call.enqueuedAt !== null ? { queueWaitMs: Math.max(0, trueEnd - call.enqueuedAt) } : {};
  repo.change(callId, { endedAt: trueEnd, ...wait }, { type: 'true-end', at: trueEnd, detail: { noticedAt: call.endedAt } });
}
