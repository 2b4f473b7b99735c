import { FallbackReason } from '../calls/fallback-reason.js';
import { CallState, CallTrigger, EndReason } from '../calls/states.js';
import type { Flow } from '../ivr/flow-schema.js';
import { promptSoundName } from '../ivr/prompt-files.js';
import { CallTrail, type CallIdentity } from './call-trail.js';
import { logNormalBetween } from './distributions.js';
import type { Random } from './random.js';

/** What siaga112 said when it could not take a call itself (admission control, a failed ARI request). */
const ADMISSION_DETAIL = (rng: Random) => `ARI latency ${rng.intBetween(1010, 2400)} ms > 1000 ms`;
const ERROR_DETAILS = ['ARI request timed out after 2000 ms', 'Channel not in Stasis application', 'ARI POST /channels/play failed: 500 Internal Server Error'];

/**
 * A call the dialplan fallback (the operators' app_queue) took, recorded as the service records
 * it for each reason: imported from Asterisk's CDR when siaga112 was not running; handed over by
 * the guardian, by admission control, by a drain or after an error, and then completed with the
 * channel's true end when its CDR line is imported (ended-in-fallback).
 */
export function fallbackTrail(rng: Random, identity: CallIdentity, reason: FallbackReason, flow: { flow: Flow; version: number }): CallTrail {
  const arrivedAt = identity.arrivedAt;
  const answered = rng.chance(0.92);
  // app_queue rings the operators' phones directly; the human who answers is not in siaga112's records.
  const humanAnswerAt = arrivedAt + rng.between(4000, 15_000);
  const channelEnd = Math.round(answered ? humanAnswerAt + logNormalBetween(rng, 110_000, 0.6, 20_000, 900_000) : arrivedAt + rng.between(25_000, 60_000));
  const cdrDisposition = answered ? 'ANSWERED' : 'NO ANSWER';
  if (reason === FallbackReason.notRunning) {
    // FallbackImporter.importLine: one row in its final state, one event, at the call's start.
    const trail = new CallTrail(identity, CallState.fallback);
    Object.assign(trail.row, {
      answeredAt: answered ? Math.round(humanAnswerAt) : null, endedAt: channelEnd, endReason: EndReason.fallback, fallbackReason: FallbackReason.notRunning,
    });
    trail.note('imported', arrivedAt, { source: 'asterisk-cdr', disposition: cdrDisposition });
    return trail;
  }
  const trail = new CallTrail(identity);
  const stasisAt = arrivedAt + rng.between(15, 60);
  trail.note('arrived', stasisAt, { via: 'stasis', channelName: channelNameOf(rng) });
  let handOffAt = stasisAt + rng.between(2, 8);
  let detail: string | undefined;
  if (reason === FallbackReason.admission) {
    detail = ADMISSION_DETAIL(rng);
  } else if (reason === FallbackReason.guardian) {
    // siaga112 stopped answering: the guardian waits SIAGA112_GUARDIAN_AFTER_MS (3 s), polling every 500 ms.
    handOffAt = stasisAt + rng.between(3000, 3600);
  } else {
    const answeredAt = stasisAt + logNormalBetween(rng, 260, 0.3, 80, 1500);
    trail.apply(CallTrigger.answered, answeredAt, { answeredAt: Math.round(answeredAt) });
    trail.note('ivr-started', answeredAt + 5, { flowId: flow.flow.flowId, version: flow.version });
    const text = flow.flow.prompts.greeting?.id ?? '';
    trail.note('prompt-started', answeredAt + 25, { promptId: 'greeting', language: 'id', media: `sound:${promptSoundName('greeting', text, 'id')}`, playbackId: rng.uuid() });
    handOffAt = answeredAt + (reason === FallbackReason.draining ? rng.between(300, 6000) : rng.between(40, 500));
    if (reason === FallbackReason.error) detail = rng.pick(ERROR_DETAILS);
  }
  const at = Math.round(handOffAt);
  const by = reason === FallbackReason.guardian ? { by: 'guardian' } : detail !== undefined ? { detail } : {};
  trail.apply(CallTrigger.fallback, at, { endedAt: at, endReason: EndReason.fallback, fallbackReason: reason }, { reason, ...by });
  const end = Math.max(at + 1000, channelEnd);
  trail.change('ended-in-fallback', end, { channelEndedAt: end, endedAt: end }, { disposition: cdrDisposition, channelEndedAt: end });
  return trail;
}

/** How Asterisk names a citizen's channel (the citizens endpoint of pjsip.conf, then 8 hex digits). */
export function channelNameOf(rng: Random): string {
  return `PJSIP/citizens-${rng.nextUint32().toString(16).padStart(8, '0')}`;
}
