import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimeSource } from '../clock.js';
import type { RecordingRow, RecordingsRepository } from '../db/recordings-repository.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';

export type RecordingInfo = RecordingRow;

export interface RecordingFile {
  bytes: number;
  /** Inclusive byte range served, and the stream of it. */
  start: number;
  end: number;
  partial: boolean;
  stream: ReadStream;
}

/**
 * Call recordings: Asterisk writes them (ARI bridge recording) into its recordings spool, which
 * siaga112 reads for downloads (same host or a shared volume, like the CDR file). Deleting goes
 * through ARI so Asterisk's own view stays right.
 */
export class RecordingStore {
  constructor(
    private readonly repo: RecordingsRepository,
    private readonly dir: string,
    private readonly telephony: Telephony,
    private readonly clock: TimeSource,
    private readonly log: Logger,
  ) {}

  list(limit: number, offset: number): { total: number; items: RecordingInfo[] } {
    return this.repo.page(limit, offset);
  }

  /** Opens a call's recording, or the byte range asked for (HTTP Range: bytes=a-b, a-, -n). */
  async open(callId: string, range: string | undefined): Promise<RecordingFile> {
    const name = this.repo.keptName(callId);
    if (!name) throw new DomainError(404, 'recording-not-found', `no recording kept for call ${callId}`);
    const path = join(this.dir, `${name}.wav`);
    const bytes = await stat(path).then((s) => s.size, () => {
      throw new DomainError(404, 'recording-not-found', `the recording of call ${callId} is not in the spool (yet)`);
    });
    const parsed = parseRange(range, bytes);
    if (parsed === 'unsatisfiable') throw new DomainError(416, 'range-not-satisfiable', `range ${range} is outside 0-${bytes - 1}`, { bytes });
    const { start, end } = parsed ?? { start: 0, end: bytes - 1 };
    return { bytes, start, end, partial: parsed !== undefined, stream: createReadStream(path, { start, end }) };
  }

  /** Deletes recordings of calls that ended longer ago than the retention period. */
  async sweep(retentionMs: number): Promise<number> {
    const cutoff = this.clock.now() - retentionMs;
    let deleted = 0;
    for (const { callId: id, name } of this.repo.expired(cutoff)) {
      try {
        await this.telephony.deleteStoredRecording(name);
        this.repo.markDeleted(id, this.clock.now());
        deleted += 1;
      } catch (error) {
        this.log.warn({ err: String(error), callId: id }, 'could not delete an expired recording; will retry');
      }
    }
    return deleted;
  }
}

/** undefined: the whole file; 'unsatisfiable': a range outside it. Only single ranges are served. */
export function parseRange(header: string | undefined, bytes: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, bytes - suffix);
    end = bytes - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? bytes - 1 : Math.min(Number(match[2]), bytes - 1);
  }
  if (start >= bytes || start > end) return 'unsatisfiable';
  return { start, end };
}
