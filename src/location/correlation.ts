/** A call as correlation sees it: when it started and (if over) ended. */
export interface CandidateCall {
  id: string;
  arrivedAt: number;
  endedAt: number | null;
}

export interface CorrelationWindow {
  /** An AML may come this long before its call starts (the phone sends as it dials). */
  beforeMs: number;
  /** …and this long after it ended (a late SMS, a retry). */
  afterMs: number;
}

/**
 * The call an AML message received at `receivedAt` belongs to: the live call from that number,
 * else the most recent one whose window (start − before, end + after) holds the message. Null
 * when none does: the message waits for its call. (A redial's message that comes before the new
 * call's StasisStart therefore goes to the call before it, within its window: the operator of the
 * earlier call sees it; the new call does not get it.)
 */
export function callForMessage(calls: readonly CandidateCall[], receivedAt: number, window: CorrelationWindow): CandidateCall | null {
  const inWindow = calls.filter((call) => receivedAt >= call.arrivedAt - window.beforeMs
    && (call.endedAt === null || receivedAt <= call.endedAt + window.afterMs));
  const live = inWindow.filter((call) => call.endedAt === null && call.arrivedAt <= receivedAt);
  const pick = (list: CandidateCall[]) => list.reduce<CandidateCall | null>((best, call) => (best === null || call.arrivedAt > best.arrivedAt ? call : best), null);
  return pick(live) ?? pick(inWindow);
}
