// Deterministic randomness for the generator: a small fast PRNG (mulberry32), one stream per conversation seeded from
// (seed, index) so any range of conversations can be generated on its own, and Zipf / weighted samplers.

import { seededRandom } from '../../src/platform/random.ts';

export type Rand = () => number;

/** mulberry32 (src/platform/random.ts, the one the demo and the synthetic audio use): uniform in [0, 1). */
export const mulberry32: (seed: number) => Rand = seededRandom;

/** A well-mixed 32-bit seed from a base seed and a stream number (splitmix-style finaliser). */
export function streamSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream >>> 0, 0x85ebca77) ^ Math.floor(stream / 4294967296)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export const int = (r: Rand, lo: number, hiExclusive: number) => lo + Math.floor(r() * (hiExclusive - lo));
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Samples indices 0…n-1 with weight 1/(i+1)^s (Zipf); s = 0 is uniform. */
export class Zipf {
  private readonly cdf: Float64Array;
  constructor(n: number, s = 1) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) this.cdf[i] = sum += 1 / Math.pow(i + 1, s);
    for (let i = 0; i < n; i++) this.cdf[i]! /= sum;
  }
  sample(r: Rand): number {
    const x = r();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Picks a value by explicit weights (they need not sum to 1). */
export class Weighted<T> {
  private readonly values: T[];
  private readonly cdf: number[];
  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map((e) => e[0]);
    const total = entries.reduce((s, e) => s + e[1], 0);
    let acc = 0;
    this.cdf = entries.map((e) => (acc += e[1] / total));
  }
  sample(r: Rand): T {
    const x = r();
    for (let i = 0; i < this.cdf.length; i++) if (x < this.cdf[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
}
