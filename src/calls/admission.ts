import { z } from 'zod';
import type { LinkStatus } from '../telephony/port.js';

/** Limits past which new calls go straight to the native dialplan fallback. */
export interface AdmissionPolicy {
  maxLiveCalls: number;
  maxAriLatencyMs: number;
}

/** Whether new calls enter siaga112's flow, and the figures behind it (shown by /health). */
export const admissionStatusSchema = z.object({
  accepting: z.boolean(),
  reason: z.string().optional(),
  draining: z.boolean(),
  liveCalls: z.number(),
  maxLiveCalls: z.number(),
  ariLatencyMs: z.number().nullable(),
  maxAriLatencyMs: z.number(),
});
export type AdmissionStatus = z.infer<typeof admissionStatusSchema>;

/** Which limit made admission refuse a call (a bounded label for metrics, unlike `reason`). */
export const AdmissionLimit = { draining: 'draining', liveCalls: 'live-calls', ariLatency: 'ari-latency' } as const;
export const admissionLimitSchema = z.enum(AdmissionLimit);
export type AdmissionLimit = z.infer<typeof admissionLimitSchema>;

/** The limit behind a refusal, read from the figures admissionStatus decided on; undefined when accepting. */
export function admissionLimitOf(status: AdmissionStatus): AdmissionLimit | undefined {
  if (status.accepting) return undefined;
  if (status.draining) return AdmissionLimit.draining;
  return status.liveCalls >= status.maxLiveCalls ? AdmissionLimit.liveCalls : AdmissionLimit.ariLatency;
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
