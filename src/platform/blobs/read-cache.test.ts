import { describe, expect, it } from 'vitest';
import { ReadCache, dekCopy } from './read-cache.ts';
import type { BlobRow } from './repository.ts';

const row = (id: string) => ({ id, tenant_id: 't' }) as BlobRow;
const key = (b: number) => Buffer.alloc(32, b);

describe('ReadCache (rows and unwrapped data keys of recently read blobs)', () => {
  it('keeps at most maxEntries, dropping the least recently used and zeroing its key', () => {
    const c = new ReadCache(2, 60_000);
    const k1 = key(1);
    c.set(row('a'), k1);
    c.set(row('b'), key(2));
    expect(c.get('a')?.row.id).toBe('a'); // a is now the most recent
    c.set(row('c'), key(3));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.dek.equals(key(1))).toBe(true);
    c.set(row('d'), key(4));
    expect(c.get('c')).toBeUndefined();
    expect(k1.equals(key(1))).toBe(true); // a was used after c, so c went first
    c.set(row('e'), key(5));
    expect(k1.equals(Buffer.alloc(32))).toBe(true); // a evicted now: zeroed
    c.clear();
  });

  it('forgets entries after the TTL and zeroes their keys, also when nobody asks again', () => {
    let now = 1_000;
    const c = new ReadCache(10, 100, () => now);
    const k = key(9);
    c.set(row('a'), k);
    now += 99;
    expect(c.get('a')).toBeDefined();
    now += 1;
    expect(c.get('a')).toBeUndefined();
    expect(k.equals(Buffer.alloc(32))).toBe(true);
    const k2 = key(8);
    c.set(row('b'), k2);
    now += 100;
    c.purgeExpired(); // what the timer does
    expect(c.size).toBe(0);
    expect(k2.equals(Buffer.alloc(32))).toBe(true);
  });

  it('hands readers their own copy, so eviction during a read leaves the reader a working key', () => {
    const c = new ReadCache(1, 60_000);
    const e = c.set(row('a'), key(3));
    const mine = dekCopy(e);
    c.delete('a');
    expect(e.dek.equals(Buffer.alloc(32))).toBe(true);
    expect(mine.equals(key(3))).toBe(true);
  });
});
