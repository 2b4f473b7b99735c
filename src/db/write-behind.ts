import { type Clock, systemClock, type Timer } from '../clock.js';
import type { Db } from './database.js';

/** SQLite's answers when another connection holds the write lock. */
const LOCKED_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

export function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LOCKED_CODES.has(code);
}

export type WriteBehindEvent =
  | { type: 'delayed'; pending: number; error: string }
  | { type: 'flushed'; written: number; delayedMs: number };

/**
 * The call path's writes when the database is locked by someone else. better-sqlite3 waits for a
 * lock on the event loop, so a lock held for seconds would freeze every call. Instead a write
 * that finds the database locked is kept in memory, in order, with the times it carries; every
 * later write queues behind it (so the record stays in order), and the queue is retried until
 * the lock is gone. Calls go on meanwhile: a call may be answered before its row is on disk.
 */
export class WriteBehind {
  private readonly queue: Array<() => void> = [];
  private timer: Timer | null = null;
  private delayedSince: number | null = null;
  private readonly listeners = new Set<(event: WriteBehindEvent) => void>();

  constructor(private readonly retryMs = 250, private readonly clock: Clock = systemClock) {}

  /** Writes waiting for the lock to go. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Runs `write` now, or, while the database is locked (or earlier writes still wait), keeps it
   * for later and returns `whenDelayed`. Errors other than a lock are thrown as usual.
   */
  run<T>(write: () => T, whenDelayed: T): T {
    if (this.queue.length === 0) {
      try {
        return write();
      } catch (error) {
        if (!isLocked(error)) throw error;
        this.delay(write, error);
        return whenDelayed;
      }
    }
    this.queue.push(write);
    return whenDelayed;
  }

  onChange(listener: (event: WriteBehindEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes what waits, in order, as far as the lock allows; true when nothing waits any more. */
  flush(): boolean {
    let written = 0;
    while (this.queue.length > 0) {
      try {
        this.queue[0]!();
      } catch (error) {
        if (isLocked(error)) return false;
        // A write that fails for another reason would fail forever: it is dropped, loudly.
        this.emit({ type: 'delayed', pending: this.queue.length - 1, error: `dropped after: ${String(error)}` });
      }
      this.queue.shift();
      written += 1;
    }
    this.timer?.cancel();
    this.timer = null;
    const delayedMs = this.delayedSince === null ? 0 : this.clock.now() - this.delayedSince;
    this.delayedSince = null;
    if (written > 0) this.emit({ type: 'flushed', written, delayedMs });
    return true;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private delay(write: () => void, error: unknown): void {
    this.queue.push(write);
    this.delayedSince ??= this.clock.now();
    this.emit({ type: 'delayed', pending: this.queue.length, error: String(error) });
    this.timer ??= this.clock.every(this.retryMs, () => this.flush());
  }

  private emit(event: WriteBehindEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const writers = new WeakMap<Db, WriteBehind>();

/**
 * The one write-behind queue of a database connection (all its repositories share it, so order
 * holds). Its retries run on the clock of the first call (a test's virtual clock, if it asks first).
 */
export function writeBehindOf(db: Db, clock: Clock = systemClock): WriteBehind {
  let writer = writers.get(db);
  if (!writer) {
    writer = new WriteBehind(250, clock);
    writers.set(db, writer);
  }
  return writer;
}
