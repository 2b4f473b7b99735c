/** An item with its place in the stream: 1, 2, 3 … in the order pushed, never reused. */
export interface Numbered<T> {
  seq: number;
  item: T;
}

/**
 * The last `capacity` events of the stream, numbered. A listener that reconnects says the last
 * number it got; if everything after it is still here it gets exactly that (no gap, no repeat),
 * otherwise it must start again from a snapshot. Fixed memory: the oldest entry is overwritten.
 */
export class EventRing<T> {
  private readonly slots: Array<Numbered<T> | undefined>;
  private last = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, not ${capacity}`);
    this.slots = new Array<Numbered<T> | undefined>(capacity);
  }

  /** The number of the newest entry (0 before the first). */
  get lastSeq(): number {
    return this.last;
  }

  /** Entries held now. */
  get size(): number {
    return Math.min(this.last, this.capacity);
  }

  push(item: T): Numbered<T> {
    const entry = { seq: ++this.last, item };
    this.slots[(entry.seq - 1) % this.capacity] = entry;
    return entry;
  }

  /**
   * Every entry after `seq`, oldest first ([] when `seq` is the newest); undefined when some of
   * them were overwritten already, or `seq` was never handed out.
   */
  after(seq: number): Array<Numbered<T>> | undefined {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > this.last) return undefined;
    const oldest = this.last - this.size + 1;
    if (seq < oldest - 1) return undefined;
    const missed: Array<Numbered<T>> = [];
    for (let next = seq + 1; next <= this.last; next++) missed.push(this.slots[(next - 1) % this.capacity]!);
    return missed;
  }
}
