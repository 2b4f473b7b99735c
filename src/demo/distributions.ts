import { HOUR_MS, jakartaTime, type LocalTime } from './calendar.js';
import type { Random } from './random.js';

/** A standard normal draw (Box-Muller; the second value is thrown away for simplicity). */
export function standardNormal(rng: Random): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Durations people take (answering a ring, talking, an agency's travel) are skewed: most are near
 * the median, a few take much longer. A log-normal with this median and shape (sigma of the log)
 * fits call-centre handle times well and never goes below zero.
 */
export function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/** Log-normal, clamped to [min, max]: a 40-minute prank call or a 0 ms ring is not realistic. */
export function logNormalBetween(rng: Random, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, logNormal(rng, median, sigma)));
}

/** The gap between independent events at rate 1/mean (a Poisson process). */
export function exponential(rng: Random, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/**
 * Splits `total` into whole parts proportional to `weights` (largest remainder): the parts sum to
 * `total` exactly and each is within one of its exact share, which is how the seed's category
 * shares hold to the count rather than to chance. Ties go to the earlier weight.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/** Rounds a scaled count, keeping it whole and not below zero. */
export const wholeCount = (x: number): number => Math.max(0, Math.round(x));

/**
 * An arrival intensity over a period, hour by hour in Jakarta time: `weightOf(local)` says how busy
 * that hour is relative to others. Drawing N times from it gives N arrivals of a Poisson process
 * with that intensity, conditioned on its count: the count is the mix's, the timing chance's.
 */
export class ArrivalCurve {
  private readonly starts: number[] = [];
  private readonly cumulative: number[] = [];
  private readonly to: number;
  readonly mass: number;

  constructor(from: number, to: number, weightOf: (local: LocalTime, hourStart: number) => number) {
    let total = 0;
    for (let start = from; start < to; start += HOUR_MS) {
      const weight = Math.max(0, weightOf(jakartaTime(start), start)) * (Math.min(to, start + HOUR_MS) - start) / HOUR_MS;
      total += weight;
      this.starts.push(start);
      this.cumulative.push(total);
    }
    this.mass = total;
    this.to = to;
  }

  /** One arrival time (ms), uniform within the hour the intensity picks. */
  sample(rng: Random): number {
    if (this.mass <= 0) throw new RangeError('an arrival curve with no weight');
    const target = rng.next() * this.mass;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    const start = this.starts[low]!;
    return Math.floor(start + rng.next() * (Math.min(this.to, start + HOUR_MS) - start));
  }
}
