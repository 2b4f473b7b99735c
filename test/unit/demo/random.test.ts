import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apportion, ArrivalCurve } from '../../../src/demo/distributions.js';
import { Random } from '../../../src/demo/random.js';

describe('the demo\'s seeded random numbers', () => {
  it('given the same seed, then the same numbers; given another seed, then others', () => {
    const draws = (seed: number) => {
      const rng = new Random(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
  });

  it('given a fork, then its numbers do not depend on how many the parent or another fork drew', () => {
    const a = new Random(9);
    const first = a.fork('ids').next();
    const b = new Random(9);
    b.fork('plan').next();
    b.next();
    expect(b.fork('ids').next()).toBe(first);
  });

  it('given many draws, then next() stays in [0, 1) and uuid() is a valid version-4 UUID', () => {
    const rng = new Random(3);
    for (let i = 0; i < 10_000; i += 1) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
    for (let i = 0; i < 200; i += 1) expect(z.uuid().safeParse(rng.uuid()).success).toBe(true);
  });
});

describe('the demo\'s distributions', () => {
  it('given weights, then apportion splits the total exactly, each part within one of its share', () => {
    const weights = [2180, 1420, 1210, 940, 860, 890];
    const parts = apportion(1000, weights);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1000);
    parts.forEach((part, i) => expect(Math.abs(part - (1000 * weights[i]!) / 7500)).toBeLessThan(1));
  });

  it('given an arrival curve busy only from 10:00 to 11:00, then every arrival falls in that hour', () => {
    const from = Date.UTC(2026, 0, 1) - 7 * 3_600_000;
    const curve = new ArrivalCurve(from, from + 86_400_000, (local) => (local.hour === 10 ? 1 : 0));
    const rng = new Random(5);
    for (let i = 0; i < 500; i += 1) {
      const hour = new Date(curve.sample(rng) + 7 * 3_600_000).getUTCHours();
      expect(hour).toBe(10);
    }
  });
});
