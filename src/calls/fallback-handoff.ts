import { type Clock, sleep } from '../clock.js';
import type { DialplanTarget, Telephony } from '../telephony/port.js';
import { TelephonyError } from '../telephony/port.js';
import type { FallbackReason } from './fallback-reason.js';
import type { CallSession } from './call-session.js';
import { GUARDIAN, HANDOVER_VARIABLE } from './handover.js';
import { CallTrigger, EndReason } from './states.js';

/** Waits between attempts to continue a call into the dialplan fallback (about 4 s in all). */
const FALLBACK_RETRY_DELAYS_MS = [0, 250, 500, 1000, 2000];

/**
 * Continues a (detached) session's caller into the dialplan fallback, the operators' app_queue,
 * and records why. ARI may be slow or briefly unreachable exactly when this is needed, so it is
 * retried; a caller it still cannot move keeps an open record with no session, which the next
 * self-check resumes.
 */
export async function continueToFallback(
  session: CallSession, deps: { telephony: Telephony; clock: Clock; fallback: DialplanTarget }, reason: FallbackReason, detail?: string,
): Promise<void> {
  const { telephony, clock, fallback } = deps;
  let lastError: unknown;
  for (const delayMs of FALLBACK_RETRY_DELAYS_MS) {
    if (delayMs > 0) await sleep(clock, delayMs);
    try {
      await telephony.continueInDialplan(session.channelId, fallback);
      session.record.apply(CallTrigger.fallback, { endedAt: clock.now(), endReason: EndReason.fallback, fallbackReason: reason }, { reason, detail });
      return;
    } catch (error) {
      if (error instanceof TelephonyError && error.notFound) {
        session.record.apply(CallTrigger.callerHangup, { endedAt: clock.now(), endReason: EndReason.callerHangup }, { during: 'fallback' });
        return;
      }
      // 409: the channel is no longer in our app. If the guardian moved it, that is the hand-over.
      if (error instanceof TelephonyError && error.status === 409) {
        const by = await telephony.getVariable(session.channelId, HANDOVER_VARIABLE).catch(() => undefined);
        if (by === GUARDIAN) {
          session.record.apply(CallTrigger.fallback, { endedAt: clock.now(), endReason: EndReason.fallback, fallbackReason: 'guardian' }, { reason: 'guardian', by });
          return;
        }
      }
      lastError = error;
      session.log.warn({ err: String(error) }, 'hand-off to the fallback failed; retrying');
    }
  }
  session.log.error({ err: String(lastError) }, 'could not hand the call to the fallback; reconciliation will resume it');
  session.record.note('fallback-failed', { reason, error: String(lastError) });
}
