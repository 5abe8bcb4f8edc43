import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { OffThreadSha256 } from './sha256-thread.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function offThread(data: Buffer, piece: number): Promise<string> {
  const h = new OffThreadSha256();
  for (let off = 0; off < data.length; off += piece) await h.update(data.subarray(off, off + piece));
  return h.digest();
}

describe('OffThreadSha256', () => {
  it('matches node:crypto for empty, small, slot-sized and multi-slot inputs, however they are cut', async () => {
    expect(await new OffThreadSha256().digest()).toBe(sha(Buffer.alloc(0)));
    for (const size of [1, 1000, 1024 * 1024, 1024 * 1024 + 1, 9 * 1024 * 1024 + 7]) {
      const data = randomBytes(size);
      for (const piece of [777, 65536, 3 * 1024 * 1024]) expect(await offThread(data, piece), `${size}/${piece}`).toBe(sha(data));
    }
  });

  it('keeps concurrent hashes apart', async () => {
    const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(2 * 1024 * 1024 + i * 333));
    const got = await Promise.all(inputs.map((d, i) => offThread(d, 50_000 + i * 1000)));
    expect(got).toEqual(inputs.map(sha));
  });

  it('lets callers reuse their buffer right after update()', async () => {
    const h = new OffThreadSha256();
    const buf = Buffer.alloc(1000, 1);
    await h.update(buf);
    buf.fill(2);
    await h.update(buf);
    expect(await h.digest()).toBe(sha(Buffer.concat([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)])));
  });

  it('can be abandoned mid-way', async () => {
    const h = new OffThreadSha256();
    await h.update(randomBytes(5 * 1024 * 1024));
    h.abort();
    h.abort();
    expect(await offThread(Buffer.from('abc'), 1)).toBe(sha(Buffer.from('abc')));
  });
});
