import { z } from 'zod';
import type { OperatorBoard } from '../operators/operator-board.js';
import type { Clock } from '../clock.js';
import type { Switchboard } from './switchboard.js';
import { OperatorState, operatorStateSchema } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';

const count = z.number().int();

/** Operators in each state (in the states' order), then those logged in whose softphone is not. */
const operatorCounts = z.object({
  ...(Object.fromEntries(operatorStateSchema.options.map((state) => [state, count])) as Record<OperatorState, typeof count>),
  unreachable: count.describe('logged in but the softphone is not registered'),
});

/** The queue view; `at` is ms since the epoch (the HTTP body sends it as an ISO time). */
export const queueStateViewSchema = z.object({
  at: z.number(),
  depth: count.describe('callers waiting'),
  longestWaitMs: count,
  connected: count.describe('calls with an operator now'),
  waiting: z.array(z.object({
    callId: z.string(), position: count, priority: z.number(), category: z.string(), language: z.string(),
    waitingMs: count, ringing: z.array(z.string()),
  })),
  operators: operatorCounts,
});
export type QueueStateView = z.infer<typeof queueStateViewSchema>;

/** The live queue as a supervisor's wallboard shows it. Waits count from arrival at Asterisk. */
export function queueState(switchboard: Switchboard, connected: ConnectedCalls, board: OperatorBoard, clock: Clock): QueueStateView {
  const now = clock.now();
  const waiting = switchboard.queueOrder().map((call, index) => ({
    callId: call.callId, position: index + 1, priority: call.priority, category: call.category, language: call.language,
    waitingMs: Math.max(0, now - call.arrivedAt), ringing: switchboard.ringing(call.callId),
  }));
  const operators = { offline: 0, available: 0, offered: 0, busy: 0, wrapup: 0, paused: 0, unreachable: 0 };
  for (const operator of board.list()) {
    operators[operator.state] += 1;
    if (operator.state !== OperatorState.offline && !board.isReachable(operator)) operators.unreachable += 1;
  }
  return {
    at: now, depth: waiting.length, longestWaitMs: waiting.reduce((max, w) => Math.max(max, w.waitingMs), 0),
    connected: connected.size, waiting, operators,
  };
}
