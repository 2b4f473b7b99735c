import { describe, expect, it } from 'vitest';
import { localDate, localMidnight, offsetSegments } from '../../src/time-zone.js';

describe('local days in a time zone', () => {
  it('given Jakarta (UTC+7, no daylight saving), then a day starts at 17:00 UTC the day before, and one offset covers a year', () => {
    expect(new Date(localMidnight('2026-03-10', 'Asia/Jakarta')).toISOString()).toBe('2026-03-09T17:00:00.000Z');
    expect(offsetSegments('Asia/Jakarta', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'))).toHaveLength(1);
  });

  it('given a zone whose clocks jump forward at midnight (Santiago, 6 September 2026), then the day starts at its first instant, 01:00 local, not an hour of the day before', () => {
    const start = localMidnight('2026-09-06', 'America/Santiago');
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDate(start - 60_000, 'America/Santiago')).toBe('2026-09-05');
    expect(new Date(start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it('given New York over a year, then the offsets change twice, each to the second', () => {
    const segments = offsetSegments('America/New_York', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(segments.slice(1).map((s) => [new Date(s.from).toISOString(), s.offsetMs / 3_600_000])).toEqual([['2026-03-08T07:00:00.000Z', -4], ['2026-11-01T06:00:00.000Z', -5]]);
  });
});
