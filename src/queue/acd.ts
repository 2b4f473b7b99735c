import { z } from 'zod';
import { OperatorState, type OperatorView } from '../operators/operator-states.js';

export { OperatorState, operatorStateSchema, type OperatorView } from '../operators/operator-states.js';

/**
 * The switchboard's decisions, pure (issue 4 builds the rest around them): which waiting caller
 * is next and which operators to offer them to. Time comes in as numbers (ms since the epoch).
 */

export interface WaitingCall {
  callId: string;
  priority: number;
  /** Arrival at Asterisk (StasisStart): service levels and order count from here. */
  arrivedAt: number;
  language: string;
  category: string;
  /** Reached an operator once and lost them (a dead softphone): served before everyone else. */
  headOfLine: boolean;
}

export const Strategy = { longestIdle: 'longest-idle', ringAll: 'ringall', skills: 'skills' } as const;
export const strategySchema = z.enum(Strategy);
export type Strategy = z.infer<typeof strategySchema>;

/**
 * Queue order: a caller who lost their operator first (they were already being helped), then
 * higher priority, then earlier arrival; ties by call id for stability.
 */
export function orderQueue(waiting: readonly WaitingCall[]): WaitingCall[] {
  return [...waiting].sort((a, b) => Number(b.headOfLine) - Number(a.headOfLine) || b.priority - a.priority
    || a.arrivedAt - b.arrivedAt || a.callId.localeCompare(b.callId));
}

/** Operators who may be offered a call now: available in siaga112 and reachable in Asterisk. */
export function offerable(operators: readonly OperatorView[]): OperatorView[] {
  return operators.filter((o) => o.state === OperatorState.available && o.reachable);
}

/**
 * The operators to ring for a call. longest-idle: the one free the longest; ringall: every
 * offerable one; skills: longest-idle among those who speak the caller's language and take the
 * category, falling back to anyone offerable so that skills never keep a caller waiting.
 */
export function chooseOperators(call: WaitingCall, operators: readonly OperatorView[], strategy: Strategy): OperatorView[] {
  const free = offerable(operators);
  if (free.length === 0) return [];
  if (strategy === Strategy.ringAll) return [...free].sort((a, b) => a.idleSince - b.idleSince);
  const pool = strategy === Strategy.skills
    ? free.filter((o) => o.languages.includes(call.language) && (o.categories.length === 0 || o.categories.includes(call.category)))
    : free;
  const candidates = pool.length > 0 ? pool : free;
  const longest = candidates.reduce((best, o) => (o.idleSince < best.idleSince || (o.idleSince === best.idleSince && o.operatorId < best.operatorId) ? o : best));
  return [longest];
}
