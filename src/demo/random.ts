/**
 * The demo's only source of chance: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * from PractRand), seeded through splitmix32. Small, fast, well tested, and the same numbers on
 * every machine, so a seed always gives the same period. Math.random and randomUUID never appear
 * in the generator: one stray call would make two runs of one seed differ.
 */

/** splitmix32: spreads a small seed over 32 bits so that seeds 1 and 2 start far apart. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a of a label: names a sub-stream, so one part of the generator never shifts another's draws. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i += 1) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const HEX = '0123456789abcdef';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number, readonly label = '') {
    const mix = splitmix32((seed ^ hashLabel(label)) >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // sfc32's authors discard the first outputs so that close seeds decorrelate.
    for (let i = 0; i < 12; i += 1) this.nextUint32();
  }

  /** An independent stream for one part of the generator (arrivals, numbers, the switchboard ...). */
  fork(label: string): Random {
    return new Random(this.seed, `${this.label}/${label}`);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A whole number in [min, max]. */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.next() * total;
    for (const [value, weight] of entries) {
      left -= weight;
      if (left < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** The items in a random order (Fisher-Yates); the input is not changed. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** `length` decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 1) text += String(this.int(10));
    return text;
  }

  /** An RFC 4122 version-4 UUID from this stream (the same ids for the same seed). */
  uuid(): string {
    let text = '';
    for (let i = 0; i < 32; i += 1) {
      let nibble = this.int(16);
      if (i === 12) nibble = 4;
      if (i === 16) nibble = 8 | (nibble & 3);
      text += HEX[nibble];
      if (i === 7 || i === 11 || i === 15 || i === 19) text += '-';
    }
    return text;
  }
}
