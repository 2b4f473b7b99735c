import { describe, expect, it } from 'vitest';
import { serviceLevelWindow, startOfDay } from '../../../src/metrics/service-level.js';

describe('the service level\'s day', () => {
  it('given instants through a day in Jakarta, then each belongs to the day that began at the last 00:00 WIB (17:00 UTC the day before)', () => {
    const dayStart = Date.parse('2026-03-09T17:00:00Z');
    for (const at of ['2026-03-09T17:00:00Z', '2026-03-10T03:00:00Z', '2026-03-10T16:59:59.999Z']) expect(startOfDay('Asia/Jakarta', Date.parse(at)), at).toBe(dayStart);
    expect(startOfDay('Asia/Jakarta', Date.parse('2026-03-09T16:59:59.999Z'))).toBe(Date.parse('2026-03-08T17:00:00Z'));
  });

  it('given a day on which the zone changes its clocks, then the day still starts at its own midnight', () => {
    // Berlin springs forward at 02:00 on 29 March 2026: midnight was still UTC+1.
    expect(startOfDay('Europe/Berlin', Date.parse('2026-03-29T20:00:00+02:00'))).toBe(Date.parse('2026-03-29T00:00:00+01:00'));
    expect(startOfDay('Europe/Berlin', Date.parse('2026-10-25T20:00:00+01:00'))).toBe(Date.parse('2026-10-25T00:00:00+02:00'));
  });

  it('given now and the longest call, then calls answered since midnight are counted, of arrivals from the longest call before it', () => {
    const now = Date.parse('2026-03-10T09:30:00+07:00');
    expect(serviceLevelWindow(now, 3_600_000)).toEqual({
      answeredFrom: Date.parse('2026-03-10T00:00:00+07:00'), arrivedFrom: Date.parse('2026-03-09T23:00:00+07:00'), until: now, targetMs: 10_000,
    });
  });
});
