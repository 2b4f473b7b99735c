import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { OperatorEventPublisher } from './operator-events.js';
import type { OperatorRow, OperatorsRepository } from '../db/operators-repository.js';
import { type Category, categorySchema, type Language, languageSchema } from '../ivr/flow-schema.js';
import { OperatorState, operatorStateSchema, type OperatorView } from './operator-states.js';
import { nextOperatorState, OperatorTrigger } from './operator-states.js';

/** Who takes which calls (the skills strategy): languages spoken, and categories taken ([] = all). */
export const operatorSkillsSchema = z.object({
  languages: z.array(languageSchema).min(1),
  categories: z.array(categorySchema),
});
export type OperatorSkills = z.infer<typeof operatorSkillsSchema>;

export interface Operator extends OperatorSkills {
  id: string;
  endpoint: string;
  state: OperatorState;
  pauseReason: string | null;
  stateSince: number;
  idleSince: number;
  callId: string | null;
}

export interface OperatorChangeEvent {
  operator: Operator;
  from: OperatorState;
  /** An OperatorTrigger, or what forced the state (reconcile, a supervisor). */
  trigger: string;
}

/**
 * The operators' live state, written through to SQLite on every change (with its event) so a
 * restart can rebuild it. Presence is not state: `views()` asks `reachable` at the moment of the
 * decision, so an unregistered softphone is never offered a call whatever its operator's state.
 */
export class OperatorBoard {
  private readonly operators = new Map<string, Operator>();
  private readonly listeners = new Set<(event: OperatorChangeEvent) => void>();

  constructor(
    private readonly repo: OperatorsRepository,
    private readonly clock: Clock,
    private readonly reachable: (operator: Operator) => boolean,
    private readonly events: OperatorEventPublisher,
  ) {}

  /** Loads the configured operators (creating rows for new ones). */
  load(ids: readonly string[], endpointOf: (id: string) => string): void {
    this.repo.ensure(ids, endpointOf, this.clock.now());
    const wanted = new Set(ids);
    for (const row of this.repo.all()) {
      if (wanted.has(row.id)) this.operators.set(row.id, fromRow(row));
    }
  }

  /**
   * Sets an operator's state outside the normal transitions: reconciliation freeing someone left
   * busy or ringing on a call that is gone, or a supervisor or admin forcing it. Recorded with
   * its trigger and detail (who, why) like every change; listeners hear it.
   */
  force(id: string, to: OperatorState, trigger: string, options: { callId?: string | null; reason?: string; detail?: object } = {}): Operator {
    const operator = this.operators.get(id);
    if (!operator) throw new Error(`unknown operator ${id}`);
    const from = operator.state;
    const now = this.clock.now();
    Object.assign(operator, {
      state: to,
      stateSince: now,
      pauseReason: to === OperatorState.paused ? (options.reason ?? 'forced') : null,
      idleSince: to === OperatorState.available && from !== OperatorState.offered ? now : operator.idleSince,
      callId: to === OperatorState.busy || to === OperatorState.wrapup || to === OperatorState.offered ? (options.callId ?? operator.callId) : null,
    });
    this.repo.change(id, from, toChange(operator), trigger, { ...options.detail, ...(options.reason ? { pauseReason: options.reason } : {}) });
    this.changed(operator, from, trigger);
    return operator;
  }

  get(id: string): Operator | undefined {
    return this.operators.get(id);
  }

  list(): Operator[] {
    return [...this.operators.values()];
  }

  isReachable(operator: Operator): boolean {
    return this.reachable(operator);
  }

  /** What the ACD decides on: state, presence, idle time and skills. */
  views(): OperatorView[] {
    return this.list().map((o) => ({
      operatorId: o.id, state: o.state, reachable: this.reachable(o), idleSince: o.idleSince,
      languages: o.languages, categories: o.categories,
    }));
  }

  /**
   * Moves an operator on a trigger (throws InvalidOperatorTransition when not allowed), records
   * it, and tells the listeners (the switchboard) so it can offer the next call at once.
   */
  apply(id: string, trigger: OperatorTrigger, options: { reason?: string; callId?: string | null; detail?: object } = {}): Operator {
    const operator = this.operators.get(id);
    if (!operator) throw new Error(`unknown operator ${id}`);
    const from = operator.state;
    const to = nextOperatorState(from, trigger);
    const now = this.clock.now();
    const becameFree = to === OperatorState.available && trigger !== OperatorTrigger.offerCancelled;
    Object.assign(operator, {
      state: to,
      stateSince: now,
      pauseReason: to === OperatorState.paused ? (options.reason ?? 'break') : null,
      // An offer another operator won leaves this one at the head of the idle order.
      idleSince: becameFree ? now : operator.idleSince,
      callId: to === OperatorState.available || to === OperatorState.offline || to === OperatorState.paused
        ? null : (options.callId !== undefined ? options.callId : operator.callId),
    });
    this.repo.change(id, from, toChange(operator), trigger, { ...options.detail, ...(options.reason ? { reason: options.reason } : {}) });
    this.changed(operator, from, trigger);
    return operator;
  }

  setSkills(id: string, languages: Language[], categories: Category[]): Operator | undefined {
    const operator = this.operators.get(id);
    if (!operator) return undefined;
    this.repo.setSkills(id, languages, categories);
    Object.assign(operator, { languages, categories });
    return operator;
  }

  /** Tells the domain's subscribers, then the board's own listeners (the switchboard), of a change. */
  private changed(operator: Operator, from: OperatorState, trigger: string): void {
    // Published before the listeners run: one of them (the switchboard offering the next call)
    // may change the operator again, and subscribers must see the changes in order.
    this.events.publish('operator.state-changed', { operatorId: operator.id, from, to: operator.state, trigger, callId: operator.callId, at: operator.stateSince });
    for (const listener of this.listeners) listener({ operator, from, trigger });
  }

  onChange(listener: (event: OperatorChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function fromRow(row: OperatorRow): Operator {
  return {
    id: row.id, endpoint: row.endpoint, state: operatorStateSchema.parse(row.state), pauseReason: row.pauseReason,
    stateSince: row.stateSince, idleSince: row.idleSince, callId: row.callId,
    languages: operatorSkillsSchema.shape.languages.parse(JSON.parse(row.languages)),
    categories: operatorSkillsSchema.shape.categories.parse(JSON.parse(row.categories)),
  };
}

function toChange(o: Operator) {
  return { state: o.state, pauseReason: o.pauseReason, stateSince: o.stateSince, idleSince: o.idleSince, callId: o.callId };
}
