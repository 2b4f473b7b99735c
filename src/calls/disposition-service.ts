import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { CallsRepository } from '../db/calls-repository.js';
import type { DispositionRow, DispositionsRepository } from '../db/dispositions-repository.js';
import { DomainError } from '../errors.js';
import { normaliseNumber } from '../numbers/phone-number.js';
import { type PrankPolicy, type PrankStatus, prankStatus } from './prank-policy.js';

/** `duplicate`: another caller about a known incident (set when the call is linked to it). */
export const DISPOSITIONS = ['valid', 'info', 'prank', 'ghost', 'test', 'duplicate'] as const;
export const dispositionSchema = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof dispositionSchema>;
/** A stored disposition; its verdict is one of DISPOSITIONS (only dispose() writes them). */
export type DispositionRecord = Omit<DispositionRow, 'disposition'> & { disposition: Disposition };

/** Operators' dispositions of calls and the prank lane they feed. */
export class DispositionService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly repo: DispositionsRepository,
    private readonly policy: PrankPolicy,
    private readonly clock: Clock,
  ) {}

  /** Records an operator's verdict on a call; audited in call_dispositions and the call's events. */
  dispose(callId: string, disposition: Disposition, note: string, by: string): DispositionRecord {
    const call = this.calls.findById(callId);
    if (!call) throw new DomainError(404, 'call-not-found', `no call ${callId}`);
    const at = this.clock.now();
    const row = this.repo.add({ callId, number: normaliseNumber(call.callerNumber), disposition, note, by, at });
    this.calls.appendEvent(callId, { type: 'disposition', at, detail: { disposition, by } });
    return { ...row, disposition };
  }

  /** The call's current disposition: the latest recorded (the earlier ones stay in the history). */
  current(callId: string): Disposition | null {
    // forCall is newest first: the same rule as call-outcome's currentDisposition.
    const parsed = dispositionSchema.safeParse(this.repo.forCall(callId)[0]?.disposition);
    return parsed.success ? parsed.data : null;
  }

  status(rawNumber: string): PrankStatus {
    const number = normaliseNumber(rawNumber);
    const now = this.clock.now();
    return prankStatus(number, this.repo.prankMarkTimes(number, now - this.policy.windowMs), this.repo.lastClearance(number), now, this.policy);
  }

  /** An admin clears a number: its earlier prank marks stop counting. */
  clear(rawNumber: string, by: string, reason: string): PrankStatus {
    this.repo.clear(normaliseNumber(rawNumber), by, reason, this.clock.now());
    return this.status(rawNumber);
  }

  /** True when a caller's number is in the prank lane now. */
  inPrankLane(rawNumber: string): boolean {
    return this.status(rawNumber).prankLane;
  }
}
