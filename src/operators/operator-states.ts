import { z } from 'zod';

export const OperatorState = {
  offline: 'offline',
  available: 'available',
  offered: 'offered',
  busy: 'busy',
  wrapup: 'wrapup',
  paused: 'paused',
} as const;
export const operatorStateSchema = z.enum(OperatorState);
export type OperatorState = z.infer<typeof operatorStateSchema>;

export interface OperatorView {
  operatorId: string;
  state: OperatorState;
  /** The softphone answers Asterisk's qualify (PJSIP contact Reachable). */
  reachable: boolean;
  /** When the operator last became free (end of wrap-up or log-in). */
  idleSince: number;
  languages: string[];
  categories: string[];
}

/** What happens to an operator. */
export const OperatorTrigger = {
  login: 'login',
  logout: 'logout',
  offer: 'offer',
  answer: 'answer',
  noAnswer: 'no-answer',
  offerCancelled: 'offer-cancelled',
  callEnded: 'call-ended',
  wrapupDone: 'wrapup-done',
  pause: 'pause',
  resume: 'resume',
} as const;
export type OperatorTrigger = (typeof OperatorTrigger)[keyof typeof OperatorTrigger];

const TRANSITIONS: Record<OperatorState, Partial<Record<OperatorTrigger, OperatorState>>> = {
  offline: { login: 'available' },
  available: { offer: 'offered', pause: 'paused', logout: 'offline' },
  // A ring that goes unanswered pauses the operator (reason no-answer); the caller never hears it.
  offered: { answer: 'busy', 'no-answer': 'paused', 'offer-cancelled': 'available', logout: 'offline' },
  busy: { 'call-ended': 'wrapup' },
  wrapup: { 'wrapup-done': 'available', pause: 'paused', logout: 'offline' },
  paused: { resume: 'available', logout: 'offline' },
};

export class InvalidOperatorTransition extends Error {
  constructor(readonly from: OperatorState, readonly trigger: OperatorTrigger) {
    super(`operator in state ${from} cannot take ${trigger}`);
  }
}

/** The state an operator moves to; throws InvalidOperatorTransition when not allowed. */
export function nextOperatorState(from: OperatorState, trigger: OperatorTrigger): OperatorState {
  const to = TRANSITIONS[from][trigger];
  if (!to) throw new InvalidOperatorTransition(from, trigger);
  return to;
}
