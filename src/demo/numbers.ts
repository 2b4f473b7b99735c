import type { Random } from './random.js';

/**
 * Callers' numbers as Indonesian networks present them. Mobile prefixes weighted roughly by
 * subscriber share (Telkomsel, Indosat, XL Axis, Tri, Smartfren); Bekasi's fixed lines are
 * (021) 88xx/89xx/82xx. Most networks present the national form (0812...), some +62 or 62.
 */
const MOBILE_PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ['0811', 3], ['0812', 12], ['0813', 10], ['0821', 8], ['0822', 7], ['0852', 5], ['0853', 4],
  ['0814', 1], ['0815', 2], ['0816', 2], ['0855', 2], ['0856', 5], ['0857', 6], ['0858', 3],
  ['0817', 3], ['0818', 3], ['0819', 4], ['0859', 3], ['0877', 5], ['0878', 5], ['0831', 2], ['0838', 3],
  ['0895', 2], ['0896', 3], ['0897', 1], ['0898', 2], ['0899', 1],
  ['0881', 1], ['0882', 1], ['0887', 1],
];
const LANDLINE_PREFIXES: ReadonlyArray<readonly [string, number]> = [['02188', 5], ['02189', 3], ['02182', 3], ['02184', 1]];

/** A mobile number as a network presents it. */
export function mobileNumber(rng: Random): string {
  const national = rng.weighted(MOBILE_PREFIXES) + rng.digits(rng.chance(0.7) ? 8 : 7);
  const form = rng.next();
  if (form < 0.8) return national;
  if (form < 0.95) return `+62${national.slice(1)}`;
  return `62${national.slice(1)}`;
}

/** A Bekasi fixed line, as the trunk presents it. */
export function landlineNumber(rng: Random): string {
  return rng.weighted(LANDLINE_PREFIXES) + rng.digits(6);
}

/** True for the fixed lines landlineNumber makes (no handset: no AML, no SIP location). */
export const isLandline = (number: string): boolean => number.startsWith('021');

/**
 * Numbers that call again and again: a few pranksters call far more than the rest (a Zipf-like
 * law), and so do a few faulty handsets that keep dialling 112 by themselves.
 */
export class RepeatCallers {
  private readonly numbers: string[];
  private readonly weights: number[];
  private readonly total: number;

  constructor(rng: Random, size: number, exponent: number) {
    this.numbers = Array.from({ length: size }, () => mobileNumber(rng));
    this.weights = this.numbers.map((_, rank) => 1 / (rank + 1) ** exponent);
    this.total = this.weights.reduce((a, b) => a + b, 0);
  }

  pick(rng: Random): string {
    let left = rng.next() * this.total;
    for (let i = 0; i < this.numbers.length; i += 1) {
      left -= this.weights[i]!;
      if (left < 0) return this.numbers[i]!;
    }
    return this.numbers[this.numbers.length - 1]!;
  }
}

/** Test calls come from a handful of lines: the operators' test handset, the networks' probes. */
export const TEST_NUMBERS = ['02188951120', '081110001120', '081510001120', '081710001120', '089610001120', '+6281310000112'] as const;
