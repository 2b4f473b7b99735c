import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Dialer } from '../legs/dialer.js';
import type { Leg, LegEnd } from '../legs/leg.js';
import type { Logger } from '../log.js';
import type { OperatorBoard } from '../operators/operator-board.js';
import { OperatorState } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';
import { callerIdOf } from './queued-call.js';

export interface TransferDeps {
  dialer: Dialer;
  board: OperatorBoard;
  connected: ConnectedCalls;
  clock: Clock;
  log: Logger;
  agencies: AgencyNumbers;
  trunkEndpoint: string;
}

/** Where an agency's desk is reached: its number dialled through the trunk (admins keep them in SQLite). */
export interface AgencyNumbers {
  numberOf(agencyId: string): string | undefined;
  list(): ReadonlyArray<{ id: string; numbers: readonly string[] }>;
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
export class Transfers {
  constructor(private readonly deps: TransferDeps) {}

  async transfer(operatorId: string, agency: string, stay: boolean): Promise<TransferStarted> {
    const { board, connected, dialer, agencies, trunkEndpoint } = this.deps;
    const operator = board.get(operatorId);
    const live = operator?.callId ? connected.get(operator.callId) : undefined;
    if (operator?.state !== OperatorState.busy || !live || live.operatorId !== operatorId) {
      throw new DomainError(409, 'no-call', `${operatorId} is not on a call`);
    }
    const number = agencies.numberOf(agency);
    if (!number) {
      const known = agencies.list().filter((a) => a.numbers.length > 0).map((a) => a.id);
      throw new DomainError(400, 'unknown-agency', `no number for agency ${agency}; agencies with a number: ${known.join(', ')}`);
    }
    const { call } = live;
    const leg = dialer.dial({
      kind: 'agency', callId: call.callId, endpoint: `PJSIP/${number}@${trunkEndpoint}`, ringMs: AGENCY_RING_MS,
      // The agency sees the citizen's number, so it can call back if the line drops.
      callerId: callerIdOf(`112 ${call.category.toUpperCase()}`, call.callerNumber),
    });
    call.record.note('transfer-started', { agency, number, stay, operatorId, channelId: leg.channelId });
    leg.onAnswered(() => void this.agencyAnswered(leg, agency, stay)).onEnded((_, end) => this.agencyGone(leg, agency, end));
    try {
      await leg.placed;
    } catch (error) {
      throw new DomainError(502, 'transfer-failed', `could not dial ${agency}`, undefined, { cause: error });
    }
    return { callId: call.callId, agency, number, channelId: leg.channelId };
  }

  /** The agency's line ended before it answered: the attempt failed, and the call's record says why. */
  private agencyGone(leg: Leg, agency: string, end: LegEnd): void {
    if (end.answered) return;
    const reason = end.reason === 'timeout' ? 'no-answer' : end.reason === 'failed' ? end.causeText : undefined;
    const detail = reason ? { agency, reason } : { agency, cause: end.cause, causeText: end.causeText };
    this.deps.connected.get(leg.callId)?.call.record.note('transfer-failed', detail);
  }

  private async agencyAnswered(leg: Leg, agency: string, stay: boolean): Promise<void> {
    const live = this.deps.connected.get(leg.callId);
    try {
      await this.deps.connected.addLeg(leg.callId, leg);
      if (!live) return;
      live.call.record.note('agency-joined', { agency, channelId: leg.channelId });
      if (!stay) await this.deps.connected.operatorLeaves(leg.callId);
    } catch (error) {
      this.deps.log.error({ err: String(error), callId: leg.callId }, 'could not add the agency to the call');
      live?.call.record.note('transfer-failed', { agency, reason: String(error) });
      leg.hangUp();
    }
  }
}
