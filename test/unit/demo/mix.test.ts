import { describe, expect, it } from 'vitest';
import { categorySchema } from '../../../src/ivr/flow-schema.js';
import { periodOf } from '../../../src/demo/demo-year.js';
import { DEFAULT_COUNTS, SEED_INCIDENTS, SEED_SHARES_PCT } from '../../../src/demo/mix.js';
import { defaultPeriod, plannedCounts } from '../../../src/demo/plan.js';

describe('the demo year\'s mix', () => {
  it('given the default period (January to October 2026), then the incidents are the seed\'s table, each share within one point of the article\'s', () => {
    const { categories, kinds } = plannedCounts(defaultPeriod());
    expect(categories).toEqual(SEED_INCIDENTS);
    const total = Object.values(categories).reduce((a, b) => a + b, 0);
    expect(total).toBe(7500);
    for (const category of categorySchema.options) expect(Math.abs((100 * categories[category]) / total - SEED_SHARES_PCT[category])).toBeLessThan(1);
    expect(kinds).toEqual(DEFAULT_COUNTS);
    expect(total + Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(54_000);
  });

  it('given the default period, then pranks are Jakarta\'s 23 % and ghost calls the largest share', () => {
    const { kinds } = plannedCounts(defaultPeriod());
    expect(kinds.prank / 54_000).toBeCloseTo(0.23, 2);
    expect(Math.max(...Object.values(kinds), 7500)).toBe(kinds.ghost);
    expect((kinds.abandoned / 54_000) * 100).toBeGreaterThanOrEqual(2);
    expect((kinds.abandoned / 54_000) * 100).toBeLessThanOrEqual(4);
  });

  it('given a January and an August, then the rainy season brings more floods and the dry season more fires', () => {
    const january = plannedCounts(periodOf('2026-01-01', '2026-01-31')).categories;
    const august = plannedCounts(periodOf('2026-08-01', '2026-08-31')).categories;
    expect(january.disaster).toBeGreaterThan(2 * august.disaster);
    expect(august.fire).toBeGreaterThan(january.fire);
  });
});
