import { DomainError } from '../errors.js';
import type { Category, Language } from '../ivr/flow-schema.js';
import { OperatorState } from './operator-states.js';
import { InvalidOperatorTransition, OperatorTrigger } from './operator-states.js';
import type { Operator, OperatorBoard } from './operator-board.js';

/** States a supervisor or admin may force an operator into. */
export const FORCEABLE_STATES = [OperatorState.available, OperatorState.paused, OperatorState.offline] as const;
export type ForceableState = (typeof FORCEABLE_STATES)[number];

export interface OperatorStatus extends Operator {
  /** The softphone is registered and answers Asterisk's qualify. */
  reachable: boolean;
}

/** What operators do to their own state through the API, with the errors they get. */
export class OperatorService {
  /**
   * @param engagedNow what a module has the operator doing right now (a ring, a call), if
   *   anything: a state that claims more than this is stale, and never keeps them from leaving.
   */
  constructor(private readonly board: OperatorBoard, private readonly engagedNow: (operatorId: string) => 'ringing' | 'talking' | undefined = () => undefined) {}

  status(operatorId: string): OperatorStatus {
    const operator = this.board.get(operatorId);
    if (!operator) throw new DomainError(404, 'operator-not-found', `no operator ${operatorId}`);
    return { ...operator, reachable: this.board.isReachable(operator) };
  }

  list(): OperatorStatus[] {
    return this.board.list().map((o) => ({ ...o, reachable: this.board.isReachable(o) }));
  }

  login(operatorId: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.login);
  }

  /**
   * Logs out. An operator marked busy on a call that no longer exists (nothing of it is live)
   * can always leave: the stale state is not theirs to be stuck in.
   */
  logout(operatorId: string): OperatorStatus {
    const operator = this.status(operatorId);
    if (operator.state === OperatorState.busy && this.engagedNow(operatorId) === undefined) {
      this.board.force(operatorId, OperatorState.offline, OperatorTrigger.logout, { detail: { via: 'api', staleCall: operator.callId } });
      return this.status(operatorId);
    }
    return this.move(operatorId, OperatorTrigger.logout);
  }

  /**
   * A supervisor or admin sets an operator's state (audited with who and why; `by` names the
   * principal, e.g. `supervisor:supervisor`). Refused while the operator is really on a live
   * call: that call is ended by hanging it up, not by a state.
   */
  force(operatorId: string, to: ForceableState, by: string, reason: string): OperatorStatus {
    const operator = this.status(operatorId);
    if (this.engagedNow(operatorId) === 'talking') {
      throw new DomainError(409, 'operator-on-live-call', `${operatorId} is on a live call; it ends when the call is hung up`, { state: operator.state });
    }
    this.board.force(operatorId, to, 'forced', { reason: to === OperatorState.paused ? 'forced' : undefined, detail: { by, reason, from: operator.state, callId: operator.callId } });
    return this.status(operatorId);
  }

  pause(operatorId: string, reason: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.pause, reason);
  }

  resume(operatorId: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.resume);
  }

  setSkills(operatorId: string, languages: Language[], categories: Category[]): OperatorStatus {
    if (!this.board.setSkills(operatorId, languages, categories)) throw new DomainError(404, 'operator-not-found', `no operator ${operatorId}`);
    return this.status(operatorId);
  }

  private move(operatorId: string, trigger: OperatorTrigger, reason?: string): OperatorStatus {
    this.status(operatorId);
    try {
      this.board.apply(operatorId, trigger, { reason, detail: { via: 'api' } });
    } catch (error) {
      if (error instanceof InvalidOperatorTransition) {
        throw new DomainError(409, 'operator-state-conflict', `cannot ${trigger} while ${error.from}`, { state: error.from });
      }
      throw error;
    }
    return this.status(operatorId);
  }
}
