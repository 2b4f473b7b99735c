import type { LinkStatus } from '../telephony/port.js';

/** Limits past which new calls go straight to the native dialplan fallback. */
export interface AdmissionPolicy {
  maxLiveCalls: number;
  maxAriLatencyMs: number;
}

export interface AdmissionStatus {
  accepting: boolean;
  reason?: string;
  draining: boolean;
  liveCalls: number;
  maxLiveCalls: number;
  ariLatencyMs: number | null;
  maxAriLatencyMs: number;
}

/**
 * Admission control, pure. Under overload ARI slows down first; a call that enters our flow
 * then waits on ARI while native dialplan would still answer it at once, so past the limits we
 * let Asterisk's own dialplan take new calls.
 */
export function admissionStatus(policy: AdmissionPolicy, liveCalls: number, link: LinkStatus, draining: boolean): AdmissionStatus {
  const base = {
    draining, liveCalls, maxLiveCalls: policy.maxLiveCalls,
    ariLatencyMs: link.latencyMs, maxAriLatencyMs: policy.maxAriLatencyMs,
  };
  if (draining) return { ...base, accepting: false, reason: 'shutting down' };
  if (liveCalls >= policy.maxLiveCalls) return { ...base, accepting: false, reason: `live calls ${liveCalls} >= ${policy.maxLiveCalls}` };
  if (link.latencyMs !== null && link.latencyMs > policy.maxAriLatencyMs) {
    return { ...base, accepting: false, reason: `ARI latency ${Math.round(link.latencyMs)} ms > ${policy.maxAriLatencyMs} ms` };
  }
  return { ...base, accepting: true };
}
