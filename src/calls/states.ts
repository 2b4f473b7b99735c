import { z } from 'zod';

/**
 * Call states and the one pure function that owns which changes are allowed.
 *
 *   arriving -> ivr -> queued -> offered -> connected -> wrapup -> ended
 * with exits: abandoned (caller hung up before an operator), fallback (handed to the dialplan),
 * callback (an abandoned call called back).
 */
export const CallState = {
  arriving: 'arriving',
  ivr: 'ivr',
  queued: 'queued',
  offered: 'offered',
  connected: 'connected',
  wrapup: 'wrapup',
  ended: 'ended',
  abandoned: 'abandoned',
  fallback: 'fallback',
  callback: 'callback',
} as const;
export const callStateSchema = z.enum(CallState);
export type CallState = z.infer<typeof callStateSchema>;

export const CallTrigger = {
  answered: 'answered',
  enqueued: 'enqueued',
  offered: 'offered',
  offerFailed: 'offer-failed',
  connected: 'connected',
  callerHangup: 'caller-hangup',
  operatorHangup: 'operator-hangup',
  /** The operator's leg vanished mid-call (softphone dead, no BYE): the caller goes back in line. */
  operatorLost: 'operator-lost',
  maxDuration: 'max-duration',
  fallback: 'fallback',
  wrapupDone: 'wrapup-done',
  calledBack: 'called-back',
  /** The IVR's ghost-call policy hung up (only if an admin switched it on). */
  ivrHangup: 'ivr-hangup',
} as const;
export type CallTrigger = (typeof CallTrigger)[keyof typeof CallTrigger];

/** Why a call ended, as stored in calls.end_reason. */
export const EndReason = {
  callerHangup: 'caller-hangup',
  operatorHangup: 'operator-hangup',
  maxDuration: 'max-duration',
  fallback: 'fallback',
  /** The call was gone when siaga112 came back; Asterisk did not say how it ended. */
  endedWhileDown: 'ended-while-down',
  ghostPolicy: 'ghost-policy',
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

const BEFORE_OPERATOR = { 'caller-hangup': CallState.abandoned, fallback: CallState.fallback, 'max-duration': CallState.ended } as const;

const TRANSITIONS: Record<CallState, Partial<Record<CallTrigger, CallState>>> = {
  arriving: { answered: CallState.ivr, ...BEFORE_OPERATOR },
  ivr: { enqueued: CallState.queued, 'ivr-hangup': CallState.ended, ...BEFORE_OPERATOR },
  queued: { offered: CallState.offered, ...BEFORE_OPERATOR },
  offered: { connected: CallState.connected, 'offer-failed': CallState.queued, ...BEFORE_OPERATOR },
  connected: {
    'caller-hangup': CallState.wrapup, 'operator-hangup': CallState.wrapup,
    'max-duration': CallState.wrapup, fallback: CallState.fallback, 'operator-lost': CallState.queued,
  },
  wrapup: { 'wrapup-done': CallState.ended },
  abandoned: { 'called-back': CallState.callback },
  callback: { connected: CallState.connected, 'caller-hangup': CallState.ended },
  ended: {},
  fallback: {},
};

export class InvalidTransitionError extends Error {
  constructor(readonly from: CallState, readonly trigger: CallTrigger) {
    super(`call in state ${from} cannot take ${trigger}`);
  }
}

/** The state a call moves to on a trigger; throws InvalidTransitionError when not allowed. */
export function nextState(from: CallState, trigger: CallTrigger): CallState {
  const to = TRANSITIONS[from][trigger];
  if (!to) throw new InvalidTransitionError(from, trigger);
  return to;
}

/** True when the trigger is allowed from this state. */
export function canTake(from: CallState, trigger: CallTrigger): boolean {
  return TRANSITIONS[from][trigger] !== undefined;
}
