import { CallState } from '../calls/states.js';
import { isLegChannel } from '../telephony/leg-ids.js';
import { OperatorState } from '../queue/acd.js';
import { OVERFLOW } from '../queue/ringing-offers.js';
import type { LiveChannel } from '../telephony/port.js';
import type { LiveView, MemoryView, PlanOptions, StoredCall, StoredView } from './views.js';

/**
 * What reconciliation does, as data. Each action is idempotent: running a plan twice, or a plan
 * made from slightly stale views, never makes things worse than leaving them.
 */
export type ReconcileAction =
  /** Caller live in our app, nobody driving the call: a session resumes it from its state. */
  | { kind: 'adopt-call'; callId: string; channelId: string }
  /** Connected before the fault, operator leg gone, caller live: back in line, at the head. */
  | { kind: 'requeue-call'; callId: string; channelId: string }
  /** Caller gone while nobody watched: the call is closed with its true end. */
  | { kind: 'close-vanished'; callId: string; state: CallState; endedAt: number; enqueuedAt: number | null; finish: boolean }
  /** Caller gone under a session of ours that never heard it (a lost event). */
  | { kind: 'session-caller-gone'; callId: string }
  /** Caller alive outside our app: someone (the guardian) continued it into the dialplan. */
  | { kind: 'handed-over'; callId: string; by: string; tracked: boolean }
  /** A channel in our app with no open call: it reaches a human through the fallback. */
  | { kind: 'orphan-to-fallback'; channelId: string; closedCallId: string | null }
  | { kind: 'hangup-leg'; channelId: string; why: string }
  /** A leg a module tracks that Asterisk no longer has: its owner is told, as if it had heard. */
  | { kind: 'leg-vanished'; channelId: string }
  | { kind: 'cancel-offer'; channelId: string; callId: string; target: string }
  | { kind: 'free-operator'; operatorId: string; from: OperatorState; to: OperatorState; callId: string | null }
  | { kind: 'resume-wrapup'; operatorId: string; callId: string | null; remainingMs: number }
  | { kind: 'finish-call'; callId: string }
  | { kind: 'stop-recording'; callId: string; name: string }
  | { kind: 'destroy-bridge'; bridgeId: string };

export type ActionKind = ReconcileAction['kind'];

/** The states of an open call that a session knows how to resume. */
const RESUMABLE: ReadonlySet<CallState> = new Set([CallState.arriving, CallState.ivr, CallState.queued, CallState.offered, CallState.connected]);

/** Bridges siaga112 creates: `hold-<callId>`, `call-<callId>`, and those of monitors and callbacks. */
function bridgeOwner(bridgeId: string): { kind: 'hold' | 'call'; callId: string } | { kind: 'other' } | null {
  const match = /^(hold|call)-(.+)$/.exec(bridgeId);
  if (match) return { kind: match[1] as 'hold' | 'call', callId: match[2]! };
  return /^(monitor|callback)-/.test(bridgeId) ? { kind: 'other' } : null;
}

/**
 * Reconciliation, pure: from what SQLite says happened, what this process drives, and what
 * Asterisk says is live (the truth for what is live), the actions that leave nobody stuck: no
 * operator busy or ringing on a call that is gone, no caller in our app without a session or
 * the fallback, no leg or bridge of ours without an open call, every vanished call closed with
 * its true end. Ordered: records first, then what is hung up or destroyed, then what resumes.
 */
export function planReconcile(stored: StoredView, memory: MemoryView, live: LiveView, options: PlanOptions): ReconcileAction[] {
  const channels = new Map(live.channels.map((c) => [c.id, c]));
  const young = (createdAt: number | null) => createdAt !== null && options.now - createdAt < options.graceMs;
  const channelYoung = (c: LiveChannel) => young(Date.parse(c.creationTime) || null);
  const actions: ReconcileAction[] = [];
  /** Per call kept alive: which of its bridges stay. */
  const keptBridges = new Set<string>();
  const keptLegs = new Set<string>();
  /** Operators who stay busy, on which call. */
  const talking = new Map<string, string>();
  const callers = new Set<string>();
  const resumed: ReconcileAction[] = [];
  const bridges = new Map(live.bridges.map((b) => [b.id, b]));
  /** True when `channelId` is in the bridge with at least one other live party. */
  const withSomeone = (bridgeId: string, channelId: string) => {
    const members = bridges.get(bridgeId)?.channels.filter((id) => channels.has(id)) ?? [];
    return members.includes(channelId) && members.length > 1;
  };
  // A callback conversation (operator and citizen both still there) goes on; its operator talks.
  for (const [bridgeId, callback] of live.callbacks) {
    const members = bridges.get(bridgeId)?.channels.filter((id) => channels.has(id)) ?? [];
    if (members.length < 2) continue;
    keptBridges.add(bridgeId);
    talking.set(callback.operatorId, callback.callId);
  }

  for (const call of stored.openCalls) {
    callers.add(call.channelId);
    const caller = channels.get(call.channelId);
    const tracked = memory.sessions.has(call.callId);
    if (!caller) {
      if (tracked) actions.push({ kind: 'session-caller-gone', callId: call.callId });
      else actions.push(vanished(call, stored, options.now));
      continue;
    }
    if (caller.appArgs === null) {
      actions.push({ kind: 'handed-over', callId: call.callId, by: live.handovers.get(call.channelId) ?? 'unknown', tracked });
      continue;
    }
    if (tracked) {
      // A session drives it; only what it cannot know (a leg's end lost with the link, below
      // with every tracked leg) is repaired.
      keptBridges.add(`hold-${call.callId}`).add(`call-${call.callId}`);
      const connection = memory.connected.get(call.callId);
      if (connection?.operatorId && connection.operatorChannelId && channels.has(connection.operatorChannelId)) {
        talking.set(connection.operatorId, call.callId);
      } else if (!connection && call.state === CallState.connected && call.answered && channels.has(call.answered.channelId) && call.answered.target !== OVERFLOW) {
        // Being re-attached right now (the session has not tracked it yet): its operator talks.
        talking.set(call.answered.target, call.callId);
      }
      continue;
    }
    if (!RESUMABLE.has(call.state)) {
      actions.push({ kind: 'orphan-to-fallback', channelId: call.channelId, closedCallId: call.callId });
      continue;
    }
    const leg = call.state === CallState.connected && call.answered && channels.get(call.answered.channelId)?.appArgs ? call.answered : null;
    if (call.state === CallState.connected && !leg && withSomeone(`call-${call.callId}`, call.channelId)) {
      // The operator handed the caller over to an agency, who is still on the line with them.
      keptBridges.add(`call-${call.callId}`);
      resumed.push({ kind: 'adopt-call', callId: call.callId, channelId: call.channelId });
      continue;
    }
    if (call.state === CallState.connected && !leg) {
      keptBridges.add(`hold-${call.callId}`);
      resumed.push({ kind: 'requeue-call', callId: call.callId, channelId: call.channelId });
      continue;
    }
    if (leg) {
      keptBridges.add(`call-${call.callId}`);
      keptLegs.add(leg.channelId);
      if (leg.target !== OVERFLOW) talking.set(leg.target, call.callId);
    } else keptBridges.add(`hold-${call.callId}`);
    resumed.push({ kind: 'adopt-call', callId: call.callId, channelId: call.channelId });
  }

  for (const call of stored.openCalls) {
    if (call.recordingName && live.recordings.has(call.recordingName) && !keptBridges.has(`call-${call.callId}`)) {
      actions.push({ kind: 'stop-recording', callId: call.callId, name: call.recordingName });
    }
  }

  // Everyone else in a kept call's bridge (an agency, a barging supervisor) stays with it.
  for (const bridge of live.bridges) {
    if (keptBridges.has(bridge.id)) for (const channelId of bridge.channels) keptLegs.add(channelId);
  }

  const offerChannels = new Set(stored.unclosedOffers.map((o) => o.channelId));
  for (const offer of stored.unclosedOffers) {
    if (memory.legs.has(offer.channelId)) continue;
    actions.push({ kind: 'cancel-offer', channelId: offer.channelId, callId: offer.callId, target: offer.target });
  }
  for (const channelId of memory.legs) {
    if (!channels.has(channelId)) actions.push({ kind: 'leg-vanished', channelId });
  }

  for (const channel of live.channels) {
    if (callers.has(channel.id) || memory.legs.has(channel.id) || keptLegs.has(channel.id) || channelYoung(channel)) continue;
    if (isLegChannel(channel.id)) {
      actions.push({ kind: 'hangup-leg', channelId: channel.id, why: offerChannels.has(channel.id) ? 'ring-left-over' : 'no-open-call' });
    } else if (channel.appArgs !== null) {
      actions.push({ kind: 'orphan-to-fallback', channelId: channel.id, closedCallId: null });
    }
  }

  for (const bridge of live.bridges) {
    const owner = bridgeOwner(bridge.id);
    if (!owner || keptBridges.has(bridge.id) || memory.bridges.has(bridge.id) || young(bridge.createdAt)) continue;
    actions.push({ kind: 'destroy-bridge', bridgeId: bridge.id });
  }

  actions.push(...operatorActions(stored, memory, talking, options));
  return [...actions, ...resumed];
}

/** The record of a call whose caller left while nobody watched: how it is closed. */
function vanished(call: StoredCall, stored: StoredView, now: number): ReconcileAction {
  // An operator still on it (busy or wrapping up) closes it with their wrap-up; otherwise now.
  const operatorOnIt = stored.operators.some((o) => o.callId === call.callId && (o.state === OperatorState.busy || o.state === OperatorState.wrapup));
  return {
    kind: 'close-vanished', callId: call.callId, state: call.state, endedAt: call.channelEndedAt ?? now,
    enqueuedAt: call.enqueuedAt, finish: call.state === CallState.connected && !operatorOnIt,
  };
}

/**
 * Operators: busy only on a call that is still connected, ringing only while a ring runs, and a
 * wrap-up always has its timer. Everyone else keeps their state (logged in, paused, offline).
 */
function operatorActions(stored: StoredView, memory: MemoryView, talking: ReadonlyMap<string, string>, options: PlanOptions): ReconcileAction[] {
  const actions: ReconcileAction[] = [];
  const wrapping = new Set<string>();
  for (const operator of stored.operators) {
    const engaged = memory.engaged.get(operator.operatorId);
    const { operatorId, callId } = operator;
    if (operator.state === OperatorState.busy && talking.get(operatorId) !== callId && engaged !== 'talking') {
      actions.push({ kind: 'free-operator', operatorId, from: operator.state, to: OperatorState.wrapup, callId });
      actions.push({ kind: 'resume-wrapup', operatorId, callId, remainingMs: options.wrapupMs });
      if (callId) wrapping.add(callId);
    } else if (operator.state === OperatorState.offered && !engaged) {
      actions.push({ kind: 'free-operator', operatorId, from: operator.state, to: OperatorState.available, callId: null });
    } else if (operator.state === OperatorState.wrapup) {
      if (callId) wrapping.add(callId);
      if (!memory.wrappingUp.has(operatorId)) {
        actions.push({ kind: 'resume-wrapup', operatorId, callId, remainingMs: Math.max(0, options.wrapupMs - (options.now - operator.stateSince)) });
      }
    }
  }
  for (const callId of stored.wrapupCalls) {
    // An operator who paused or logged out during their wrap-up still has its timer running.
    if (!wrapping.has(callId) && !memory.wrappingCalls.has(callId)) actions.push({ kind: 'finish-call', callId });
  }
  return actions;
}

/** A stable key per action (times left out), so the periodic self-check acts only on what persists. */
export function actionKey(action: ReconcileAction): string {
  return JSON.stringify(action, (key, value: unknown) => (key === 'endedAt' || key === 'remainingMs' ? undefined : value));
}
