/** Why the dialplan fallback (the operators' app_queue) took a call, as stored in calls.fallback_reason. */
export const FallbackReason = {
  admission: 'admission',
  draining: 'draining',
  error: 'error',
  orphaned: 'orphaned',
  notRunning: 'not-running',
  /** siaga112 did not answer, and its guardian continued the caller into the dialplan. */
  guardian: 'guardian',
} as const;
export type FallbackReason = (typeof FallbackReason)[keyof typeof FallbackReason];
