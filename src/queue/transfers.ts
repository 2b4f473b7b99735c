import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { Telephony, TelephonyEvent } from '../telephony/port.js';
import type { LegOwner } from '../telephony/leg-owner.js';
import { OperatorState } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';
import { callerIdOf, LEG_PREFIX } from './queued-call.js';

export interface TransferDeps {
  telephony: Telephony;
  board: OperatorBoard;
  connected: ConnectedCalls;
  clock: Clock;
  log: Logger;
  /** Agency name → number dialled through the trunk. */
  agencies: Record<string, string>;
  trunkEndpoint: string;
}

interface PendingTransfer {
  callId: string;
  agency: string;
  /** The operator hands over and leaves once the agency answers. */
  stay: boolean;
  timer: NodeJS.Timeout;
}

export interface TransferStarted {
  callId: string;
  agency: string;
  number: string;
  channelId: string;
}

/** How long an agency's line may ring before the attempt is given up. */
const AGENCY_RING_MS = 30_000;

/**
 * Transfer or conference to an agency (Damkar, Dinkes, Polisi, BPBD, Satpol PP): the agency is
 * dialled through the trunk and added to the call's mixing bridge when it answers, so the caller
 * is never put on hold or cut off; the operator stays (conference) or leaves (hand-over).
 */
export class Transfers implements LegOwner {
  private readonly pending = new Map<string, PendingTransfer>();

  constructor(private readonly deps: TransferDeps) {}

  start(): () => void {
    return this.deps.telephony.onEvent((event) => this.onEvent(event));
  }

  async transfer(operatorId: string, agency: string, stay: boolean): Promise<TransferStarted> {
    const { board, connected, telephony, agencies, trunkEndpoint } = this.deps;
    const operator = board.get(operatorId);
    const live = operator?.callId ? connected.get(operator.callId) : undefined;
    if (operator?.state !== OperatorState.busy || !live || live.operatorId !== operatorId) {
      throw new DomainError(409, 'no-call', `${operatorId} is not on a call`);
    }
    const number = agencies[agency];
    if (!number) throw new DomainError(400, 'unknown-agency', `unknown agency ${agency}; known: ${Object.keys(agencies).join(', ')}`);
    const channelId = `${LEG_PREFIX}${randomUUID()}`;
    const { call } = live;
    const timer = setTimeout(() => {
      if (this.pending.delete(channelId)) {
        call.record.note('transfer-failed', { agency, reason: 'no-answer' });
        void telephony.hangup(channelId).catch(() => undefined);
      }
    }, AGENCY_RING_MS);
    timer.unref();
    this.pending.set(channelId, { callId: call.callId, agency, stay, timer });
    call.record.note('transfer-started', { agency, number, stay, operatorId, channelId });
    try {
      await telephony.originate({
        endpoint: `PJSIP/${number}@${trunkEndpoint}`, channelId, timeoutSeconds: AGENCY_RING_MS / 1000,
        // The agency sees the citizen's number, so it can call back if the line drops.
        callerId: callerIdOf(`112 ${call.category.toUpperCase()}`, call.callerNumber),
        appArgs: `leg=agency,call=${call.callId}`,
      });
    } catch (error) {
      clearTimeout(timer);
      this.pending.delete(channelId);
      call.record.note('transfer-failed', { agency, reason: String(error) });
      throw new DomainError(502, 'transfer-failed', `could not dial ${agency}`, undefined, { cause: error });
    }
    return { callId: call.callId, agency, number, channelId };
  }

  stop(): void {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
  }

  /** Agencies still ringing (once answered, an agency is a leg of the connected call). */
  legs(): string[] {
    return [...this.pending.keys()];
  }

  bridges(): string[] {
    return [];
  }

  engaged(): Array<[string, 'ringing' | 'talking']> {
    return [];
  }

  channelGone(channelId: string): boolean {
    if (!this.pending.has(channelId)) return false;
    this.agencyGone(channelId, 0, 'vanished');
    return true;
  }

  private onEvent(event: TelephonyEvent): void {
    if (event.type === 'StasisStart') {
      const pending = this.pending.get(event.channel.id);
      if (pending) void this.agencyAnswered(event.channel.id, pending);
    } else if (event.type === 'ChannelDestroyed') {
      this.agencyGone(event.channelId, event.cause, event.causeText);
    }
  }

  private agencyGone(channelId: string, cause: number, causeText: string): void {
    const pending = this.pending.get(channelId);
    if (!pending) return;
    this.pending.delete(channelId);
    clearTimeout(pending.timer);
    this.deps.connected.get(pending.callId)?.call.record.note('transfer-failed', { agency: pending.agency, cause, causeText });
  }

  private async agencyAnswered(channelId: string, pending: PendingTransfer): Promise<void> {
    this.pending.delete(channelId);
    clearTimeout(pending.timer);
    const live = this.deps.connected.get(pending.callId);
    try {
      await this.deps.connected.addLeg(pending.callId, channelId);
      if (!live) return;
      live.call.record.note('agency-joined', { agency: pending.agency, channelId });
      if (!pending.stay) await this.deps.connected.operatorLeaves(pending.callId);
    } catch (error) {
      this.deps.log.error({ err: String(error), callId: pending.callId }, 'could not add the agency to the call');
      live?.call.record.note('transfer-failed', { agency: pending.agency, reason: String(error) });
      await this.deps.telephony.hangup(channelId).catch(() => undefined);
    }
  }
}
