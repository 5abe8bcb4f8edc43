import { describe, expect, it } from 'vitest';
import { decodeRegions } from './regions.ts';

describe('decodeRegions', () => {
  it('pads each region, clamps to the audio, and merges regions the padding makes touch', () => {
    const r = decodeRegions(
      [
        { startMs: 100, endMs: 1000 },
        { startMs: 1300, endMs: 2000 }, // 300 ms gap: padded (250 each side) they overlap → merged
        { startMs: 5000, endMs: 5900 },
      ],
      5950,
    );
    expect(r).toEqual([
      { startMs: 0, endMs: 2250 },
      { startMs: 4750, endMs: 5950 },
    ]);
  });

  it('sorts, drops empty or invalid regions and blips shorter than the minimum', () => {
    const r = decodeRegions(
      [
        { startMs: 3000, endMs: 3500 },
        { startMs: 10, endMs: 10 },
        { startMs: Number.NaN, endMs: 50 },
        { startMs: 1000, endMs: 1500 },
      ],
      10_000,
      { padMs: 0, minMs: 200 },
    );
    expect(r).toEqual([
      { startMs: 1000, endMs: 1500 },
      { startMs: 3000, endMs: 3500 },
    ]);
  });

  it('cuts a long region into equal pieces no longer than the maximum', () => {
    const r = decodeRegions([{ startMs: 0, endMs: 70_000 }], 70_000, { padMs: 0, maxMs: 30_000 });
    expect(r).toHaveLength(3);
    expect(r[0]!.startMs).toBe(0);
    expect(r[2]!.endMs).toBe(70_000);
    for (let i = 1; i < r.length; i++) expect(r[i]!.startMs).toBe(r[i - 1]!.endMs);
    for (const p of r) expect(p.endMs - p.startMs).toBeLessThanOrEqual(30_000);
  });

  it('returns nothing for no speech', () => {
    expect(decodeRegions([], 60_000)).toEqual([]);
  });
});
