import { describe, expect, it } from 'vitest';
import { estimateWait } from '../../../src/queue/wait-estimate.js';

describe('expected wait announced to a queued caller', () => {
  it('given no answered calls yet, then only the position is said', () => {
    expect(estimateWait(3, [], 1)).toEqual({ position: 3, expectedMinutes: null, phrasing: 'unknown' });
  });

  it('given short recent waits, then the caller hears "less than a minute"', () => {
    expect(estimateWait(1, [12_000, 20_000, 15_000], 1)).toEqual({ position: 1, expectedMinutes: 1, phrasing: 'less-than-a-minute' });
  });

  it('given longer waits, then minutes are rounded up and one outlier does not dominate (median)', () => {
    expect(estimateWait(2, [40_000, 45_000, 600_000], 1)).toEqual({ position: 2, expectedMinutes: 2, phrasing: 'about' });
  });

  it('given several operators answering, then the callers ahead are shared among them', () => {
    expect(estimateWait(4, [50_000], 4).phrasing).toBe('less-than-a-minute');
    expect(estimateWait(4, [50_000], 1)).toMatchObject({ expectedMinutes: 4, phrasing: 'about' });
  });
});
