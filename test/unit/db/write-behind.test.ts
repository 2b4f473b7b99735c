import { describe, expect, it } from 'vitest';
import { WriteBehind, type WriteBehindEvent } from '../../../src/db/write-behind.js';

const locked = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('writes that wait for a lock', () => {
  it('given the database locked, then writes wait in order, later ones queue behind the first, and all land in order once it is free', () => {
    const writer = new WriteBehind(60_000);
    const events: WriteBehindEvent[] = [];
    writer.onChange((event) => events.push(event));
    let isLocked = true;
    const written: string[] = [];
    const write = (name: string) => () => {
      if (isLocked) throw locked();
      written.push(name);
    };
    expect(writer.run<unknown>(write('arrived'), 'delayed')).toBe('delayed');
    // Not even tried while the first waits: the record stays in order.
    writer.run(() => written.push('answered-out-of-order'), undefined);
    expect(written).toEqual([]);
    expect(writer.pending).toBe(2);
    expect(writer.flush()).toBe(false);
    isLocked = false;
    expect(writer.flush()).toBe(true);
    expect(written).toEqual(['arrived', 'answered-out-of-order']);
    expect(events.map((e) => e.type)).toEqual(['delayed', 'flushed']);
    expect(writer.run(() => 'now', 'delayed')).toBe('now');
    writer.stop();
  });

  it('given an error that is not a lock, then it is thrown at once and nothing waits', () => {
    const writer = new WriteBehind(60_000);
    expect(() => writer.run(() => {
      throw Object.assign(new Error('constraint failed'), { code: 'SQLITE_CONSTRAINT' });
    }, undefined)).toThrow('constraint failed');
    expect(writer.pending).toBe(0);
  });
});
