import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../clock.js';
import type { Logger } from '../log.js';
import type { Telephony } from '../telephony/port.js';
import type { WaitingCall } from './acd.js';
import type { CallRecord } from '../calls/call-record.js';
import { holdingBridgeId } from './queued-call.js';
import { estimateWait, type WaitAnnouncement } from './wait-estimate.js';

export interface QueueAnnouncerDeps {
  telephony: Telephony;
  log: Logger;
  clock: Clock;
  intervalMs: number;
  /** The queue in answer order, and a waiting call's record. */
  queue: () => { order: WaitingCall[]; record: (callId: string) => CallRecord | undefined };
  recentWaits: () => number[];
  /** Operators taking calls now (available, ringing, busy or wrapping up). */
  staffed: () => number;
  media: (language: string, announcement: WaitAnnouncement) => string[];
}

/**
 * Tells each waiting caller, every `intervalMs`, their position and the expected wait, in their
 * language, over the music of their holding bridge.
 */
export class QueueAnnouncer {
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly deps: QueueAnnouncerDeps) {}

  track(callId: string): void {
    if (this.deps.intervalMs <= 0 || this.timers.has(callId)) return;
    const timer = this.deps.clock.every(this.deps.intervalMs, () => void this.announce(callId));
    this.timers.set(callId, timer);
  }

  untrack(callId: string): void {
    this.timers.get(callId)?.cancel();
    this.timers.delete(callId);
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private async announce(callId: string): Promise<void> {
    const { order, record } = this.deps.queue();
    const index = order.findIndex((c) => c.callId === callId);
    const callRecord = record(callId);
    if (index < 0 || !callRecord) return this.untrack(callId);
    const estimate = estimateWait(index + 1, this.deps.recentWaits(), this.deps.staffed());
    try {
      const media = this.deps.media(order[index]!.language, estimate);
      await this.deps.telephony.playOnBridge(holdingBridgeId(callId), media, randomUUID());
      callRecord.note('position-announced', { ...estimate, media });
    } catch (error) {
      this.deps.log.warn({ err: String(error), callId }, 'queue announcement failed');
    }
  }
}
