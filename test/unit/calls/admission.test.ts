import { describe, expect, it } from 'vitest';
import { admissionLimitOf, admissionStatus } from '../../../src/calls/admission.js';

const link = (latencyMs: number | null) => ({ connected: true, latencyMs, inFlight: 0, pending: 0 });
const policy = { maxLiveCalls: 5, maxAriLatencyMs: 500 };

describe('admission control', () => {
  it('given room and a fast ARI, then new calls are accepted', () => {
    expect(admissionStatus(policy, 4, link(10), false)).toMatchObject({ accepting: true, liveCalls: 4 });
  });

  it('given the live-call limit reached, then new calls go to the fallback with the reason', () => {
    const status = admissionStatus(policy, 5, link(10), false);
    expect(status.accepting).toBe(false);
    expect(status.reason).toBe('live calls 5 >= 5');
  });

  it('given a slow ARI, then new calls go to the fallback', () => {
    expect(admissionStatus(policy, 0, link(800), false)).toMatchObject({ accepting: false, reason: 'ARI latency 800 ms > 500 ms' });
  });

  it('given no latency measured yet, then calls are accepted', () => {
    expect(admissionStatus(policy, 0, link(null), false).accepting).toBe(true);
  });

  it('given a shutdown in progress, then nothing is accepted', () => {
    expect(admissionStatus(policy, 0, link(1), true)).toMatchObject({ accepting: false, draining: true, reason: 'shutting down' });
  });

  it('given each refusal, then the limit behind it is named in a bounded word; accepting has none', () => {
    expect(admissionLimitOf(admissionStatus(policy, 4, link(10), false))).toBeUndefined();
    expect(admissionLimitOf(admissionStatus(policy, 5, link(10), false))).toBe('live-calls');
    expect(admissionLimitOf(admissionStatus(policy, 0, link(800), false))).toBe('ari-latency');
    expect(admissionLimitOf(admissionStatus(policy, 9, link(800), true))).toBe('draining');
  });
});
