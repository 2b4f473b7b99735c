import { DomainError } from '../errors.js';
import { InvalidOperatorTransition, OperatorTrigger } from '../queue/operator-states.js';
import type { Operator, OperatorBoard } from './operator-board.js';

export interface OperatorStatus extends Operator {
  /** The softphone is registered and answers Asterisk's qualify. */
  reachable: boolean;
}

/** What operators do to their own state through the API, with the errors they get. */
export class OperatorService {
  constructor(private readonly board: OperatorBoard) {}

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

  logout(operatorId: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.logout);
  }

  pause(operatorId: string, reason: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.pause, reason);
  }

  resume(operatorId: string): OperatorStatus {
    return this.move(operatorId, OperatorTrigger.resume);
  }

  setSkills(operatorId: string, languages: string[], categories: string[]): OperatorStatus {
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
