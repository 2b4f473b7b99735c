import { describe, expect, it } from 'vitest';
import { EventRing } from '../../../src/live/event-ring.js';

const filled = (capacity: number, count: number) => {
  const ring = new EventRing<string>(capacity);
  for (let i = 1; i <= count; i++) ring.push(`e${i}`);
  return ring;
};
const items = (entries: Array<{ seq: number; item: string }> | undefined) => entries?.map((e) => `${e.seq}:${e.item}`);

describe('the live event ring', () => {
  it('given events pushed, then they are numbered 1, 2, 3 … in order', () => {
    const ring = new EventRing<string>(5);
    expect([ring.push('a').seq, ring.push('b').seq, ring.push('c').seq]).toEqual([1, 2, 3]);
    expect(ring.lastSeq).toBe(3);
  });

  it('given a listener that saw event 2 of 4, then it gets 3 and 4 exactly; one that saw the newest gets nothing', () => {
    const ring = filled(5, 4);
    expect(items(ring.after(2))).toEqual(['3:e3', '4:e4']);
    expect(ring.after(4)).toEqual([]);
    expect(items(ring.after(0))).toEqual(['1:e1', '2:e2', '3:e3', '4:e4']);
  });

  it('given more events than it holds, then the oldest are gone and a listener who missed any of them gets undefined (a fresh snapshot)', () => {
    const ring = filled(3, 7);
    expect(ring.size).toBe(3);
    expect(items(ring.after(4))).toEqual(['5:e5', '6:e6', '7:e7']);
    expect(items(ring.after(6))).toEqual(['7:e7']);
    expect(ring.after(3)).toBeUndefined();
    expect(ring.after(0)).toBeUndefined();
  });

  it('given a number never handed out (ahead of the ring, negative, not an integer), then undefined', () => {
    const ring = filled(3, 2);
    for (const seq of [3, -1, 1.5, Number.NaN]) expect(ring.after(seq), String(seq)).toBeUndefined();
  });

  it('given a capacity that is not a positive integer, then it refuses to exist', () => {
    expect(() => new EventRing(0)).toThrow('positive integer');
  });
});
