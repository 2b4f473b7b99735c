import { z } from 'zod';
import { callTagsSchema } from '../db/calls-repository.js';
import { dispositionSchema } from './disposition-service.js';
import { CallState, CallTrigger, canTake, nextState } from './states.js';

/**
 * The reporting rules for a call, in one place, so reports, the call view and exports count a
 * call the same way. Pure: it reads what the repositories return and writes nothing.
 */

/** A disposition as call_dispositions stores it (a DispositionRow fits). */
export interface DispositionLike { id: number; disposition: string }
/**
 * A call event as CallsRepository.events() returns it (a CallEventRow fits). Only `type` counts:
 * transitions are written with the trigger as their type and details that vary by path ({cause},
 * {during}, {via, lastState}), never the state they lead to.
 */
export interface CallEventLike { type: string; id?: number; detail?: unknown }

const GHOST = dispositionSchema.enum.ghost;
const GHOST_TAG = 'ghost';
const TRIGGERS: ReadonlySet<string> = new Set(Object.values(CallTrigger));
const isTrigger = (type: string): type is CallTrigger => TRIGGERS.has(type);

/**
 * The call's current disposition: the latest recorded (highest id). Dispositions are append-only,
 * so a correction is a new row and the history stays; the id, not the time, orders them because
 * two verdicts may share a millisecond. Null when no operator has disposed of the call.
 */
export function currentDisposition(dispositions: readonly DispositionLike[]): string | null {
  let latest: DispositionLike | undefined;
  for (const row of dispositions) if (!latest || row.id > latest.id) latest = row;
  return latest?.disposition ?? null;
}

/**
 * True when the call was ever abandoned (its caller hung up before reaching an operator), even
 * if a callback later moved its state on: the caller still gave up waiting, and abandonment
 * rates must not fall because someone rang back. No event is typed 'abandoned': the transition
 * is written as a 'caller-hangup' event, which means abandoned only before an operator (after
 * one it is wrap-up, after a callback the end). So the trail is replayed through nextState(),
 * the one function that owns transitions, from 'arriving' (the 'arrived' event's state).
 * Events that are not transitions from the current state are notes (a second 'offered' while
 * offered, 'dtmf' ...) and are skipped. A 'called-back' event proves it on its own: only an
 * abandoned call can take it.
 */
export function wasAbandoned(events: readonly CallEventLike[]): boolean {
  const ordered = events.every((e) => e.id !== undefined) ? [...events].sort((a, b) => a.id! - b.id!) : events;
  let state: CallState = CallState.arriving;
  for (const { type } of ordered) {
    if (type === CallTrigger.calledBack) return true;
    if (!isTrigger(type) || !canTake(state, type)) continue;
    state = nextState(state, type);
    if (state === CallState.abandoned) return true;
  }
  return false;
}

/** A call's tags: the row's JSON column as stored, or already parsed. */
function tagsFrom(tags: string | readonly string[]): readonly string[] {
  return typeof tags === 'string' ? callTagsSchema.parse(JSON.parse(tags)) : tags;
}

/**
 * True when the call counts as a ghost call (no one on the line): the IVR tagged it ghost (it
 * heard only silence), or its current disposition is ghost. The tag is a fact about the call (the
 * IVR heard nothing), so a later verdict does not erase it; an earlier ghost verdict an operator
 * corrected does not count. Either way a boolean: tagged and disposed ghost is one ghost call.
 */
export function isGhost(tags: string | readonly string[], dispositions: readonly DispositionLike[]): boolean {
  return tagsFrom(tags).includes(GHOST_TAG) || currentDisposition(dispositions) === GHOST;
}

/**
 * A call's outcome for reports, the call view and exports. The disposition is a string, not
 * dispositionSchema: a response must not fail on a verdict stored by an older or newer release.
 */
export const callOutcomeSchema = z.object({
  disposition: z.string().nullable().describe('the latest disposition (valid, info, prank, ghost, test ...), null when none'),
  abandoned: z.boolean().describe('the caller hung up before an operator, even if called back since'),
  ghost: z.boolean().describe('a ghost call: the current disposition says so, or with none the IVR tagged it'),
});
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

export interface CallOutcomeInput {
  /** The call row's state: 'abandoned' counts even when its events were not read. */
  state: string;
  tags: string | readonly string[];
  events: readonly CallEventLike[];
  dispositions: readonly DispositionLike[];
}

/** The outcome of one call, by the rules above. */
export function callOutcome({ state, tags, events, dispositions }: CallOutcomeInput): CallOutcome {
  return {
    disposition: currentDisposition(dispositions),
    abandoned: state === CallState.abandoned || wasAbandoned(events),
    ghost: isGhost(tags, dispositions),
  };
}
