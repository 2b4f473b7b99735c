import type { OperatorBoard } from '../operators/operator-board.js';
import type { Clock } from '../clock.js';
import type { Switchboard } from './switchboard.js';
import { OperatorState } from './acd.js';
import type { ConnectedCalls } from './connected-calls.js';

export interface QueueStateView {
  at: number;
  depth: number;
  longestWaitMs: number;
  connected: number;
  waiting: Array<{ callId: string; position: number; priority: number; category: string; language: string; waitingMs: number; ringing: string[] }>;
  operators: Record<OperatorState | 'unreachable', number>;
}

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
