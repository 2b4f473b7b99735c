import { describe, expect, it } from 'vitest';
import { normaliseNumber } from '../../../src/numbers/phone-number.js';
import { prankStatus } from '../../../src/calls/prank-policy.js';

const HOUR = 3_600_000;
const policy = { threshold: 3, windowMs: 24 * HOUR };
const now = 100 * HOUR;

describe('prank policy', () => {
  it('given three marks inside 24 h, then the number is in the prank lane', () => {
    expect(prankStatus('+62811', [now - 1, now - 2 * HOUR, now - 23 * HOUR], null, now, policy)).toMatchObject({ prankMarks: 3, prankLane: true });
  });

  it('given a mark older than the window, then it no longer counts', () => {
    expect(prankStatus('+62811', [now - 1, now - 2 * HOUR, now - 25 * HOUR], null, now, policy)).toMatchObject({ prankMarks: 2, prankLane: false });
  });

  it('given a clearance after the marks, then they no longer count', () => {
    expect(prankStatus('+62811', [now - 3 * HOUR, now - 2 * HOUR, now - HOUR], now - 90 * 60_000, now, policy)).toMatchObject({ prankMarks: 1, prankLane: false });
  });

  it('given a threshold of 0, then nobody is ever in the prank lane', () => {
    expect(prankStatus('+62811', [now - 1, now - 2, now - 3], null, now, { ...policy, threshold: 0 }).prankLane).toBe(false);
  });

  it('given Indonesian numbers written any way, then they normalise to +62', () => {
    expect(['0812-3456-7890', '+62 812 3456 7890', '6281234567890'].map(normaliseNumber)).toEqual(['+6281234567890', '+6281234567890', '+6281234567890']);
    expect(normaliseNumber('112')).toBe('112');
    expect(normaliseNumber('')).toBe('unknown');
    expect(normaliseNumber('anonymous')).toBe('anonymous');
  });
});
