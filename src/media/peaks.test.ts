import { describe, expect, it } from 'vitest';
import {
  chooseLevel,
  computePeaks,
  decodePeakSlice,
  decodePeaks,
  defaultBucketSizes,
  encodePeakSlice,
  encodePeaks,
  PeaksBuilder,
  peaksByteRange,
  readPeaksHeader,
  slicePeaks,
  type Peaks,
} from './peaks.ts';
import { seededRandom, synthSpeechLike } from './wav-write.ts';

/** Brute-force reference: min/max of the raw samples per bucket, then the documented Int8 rounding. */
function reference(samples: Int16Array, size: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < samples.length; b += size) {
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = b; i < Math.min(samples.length, b + size); i++) {
      mn = Math.min(mn, samples[i]!);
      mx = Math.max(mx, samples[i]!);
    }
    out.push(Math.floor(mn / 256), Math.min(127, Math.ceil(mx / 256)) | 0); // | 0: no -0
  }
  return out;
}

function randomSamples(n: number, seed: number): Int16Array {
  const rnd = seededRandom(seed);
  return Int16Array.from({ length: n }, () => Math.round((rnd() - 0.5) * 65535 * rnd() ** 3));
}

describe('computePeaks', () => {
  it('uses 4 ms, 32 ms, 256 ms and 2 s buckets (powers of two) at common sample rates', () => {
    expect(defaultBucketSizes(8000)).toEqual([32, 256, 2048, 16384]);
    expect(defaultBucketSizes(16000)).toEqual([64, 512, 4096, 32768]);
    expect(defaultBucketSizes(48000)).toEqual([256, 2048, 16384, 131072]);
  });

  it('gives every level the min and max of the samples of each bucket', () => {
    const x = randomSamples(100_003, 1); // not a multiple of any bucket size: the last bucket is partial
    const p = computePeaks(x, 8000);
    expect(p.sampleRate).toBe(8000);
    expect(p.totalSamples).toBe(100_003);
    expect(p.levels.map((l) => l.samplesPerBucket)).toEqual([32, 256, 2048, 16384]);
    for (const level of p.levels) {
      expect(level.data.length).toBe(Math.ceil(100_003 / level.samplesPerBucket) * 2);
      expect(Array.from(level.data)).toEqual(reference(x, level.samplesPerBucket));
    }
  });

  it('rounds so that any non-zero signal draws a non-zero bar, and full scale fits', () => {
    const p = computePeaks(Int16Array.from([0, 0, 1, 0, -1, 0, 32767, -32768, 255, 256, -256, -257]), 8000, { bucketSizes: [2] });
    expect(Array.from(p.levels[0]!.data)).toEqual([0, 0, 0, 1, -1, 0, -128, 127, 0, 1, -2, -1]);
  });

  it('gives the same peaks when fed in chunks of any size', () => {
    const x = synthSpeechLike(20_000, 8000, 2);
    const whole = computePeaks(x, 8000);
    const rnd = seededRandom(4);
    const b = new PeaksBuilder(8000);
    for (let at = 0; at < x.length;) {
      const n = Math.min(x.length - at, Math.floor(rnd() * 700));
      b.push(x.subarray(at, at + n));
      at += n;
    }
    expect(b.finish()).toEqual(whole);
  });

  it('reduces a 2-hour 8 kHz stream to a coarse level of a few thousand buckets, fed in chunks', () => {
    const chunk = synthSpeechLike(60_000, 8000, 3); // one minute, pushed 120 times
    const b = new PeaksBuilder(8000);
    for (let i = 0; i < 120; i++) b.push(chunk);
    const p = b.finish();
    expect(p.totalSamples).toBe(2 * 3600 * 8000);
    expect(p.levels.map((l) => l.data.length / 2)).toEqual([1_800_000, 225_000, 28_125, 3516]);
    const bytes = encodePeaks(p).length;
    expect(bytes).toBeLessThan(4.2e6); // about 1/28 of the 115 MB of 16-bit audio
    // The coarse level alone is what the player loads to draw the whole call.
    expect(peaksByteRange(readPeaksHeader(encodePeaks(p)), 3, 0, 7_200_000).length).toBe(3516 * 2);
  });

  it('handles an empty stream and rejects bad bucket sizes', () => {
    const p = computePeaks(new Int16Array(0), 8000);
    expect(p.levels.every((l) => l.data.length === 0)).toBe(true);
    expect(decodePeaks(encodePeaks(p))).toEqual(p);
    expect(() => computePeaks(new Int16Array(10), 8000, { bucketSizes: [32, 100] })).toThrow(/multiple/);
    expect(() => computePeaks(new Int16Array(10), 8000, { bucketSizes: [] })).toThrow(/levels/);
    expect(() => new PeaksBuilder(0)).toThrow(/sampleRate/);
    const b = new PeaksBuilder(8000);
    b.finish();
    expect(() => b.push(new Int16Array(4))).toThrow(/after finish/);
  });
});

describe('peaks encoding', () => {
  const x = randomSamples(50_000, 7);
  const peaks = computePeaks(x, 8000);
  const buf = encodePeaks(peaks);

  it('round-trips', () => {
    const back = decodePeaks(buf);
    expect(back.sampleRate).toBe(8000);
    expect(back.totalSamples).toBe(50_000);
    expect(back.levels.map((l) => l.samplesPerBucket)).toEqual(peaks.levels.map((l) => l.samplesPerBucket));
    for (let i = 0; i < peaks.levels.length; i++) expect(Array.from(back.levels[i]!.data)).toEqual(Array.from(peaks.levels[i]!.data));
  });

  it('has the documented layout: magic, version, level table, then the levels finest first', () => {
    expect(buf.toString('latin1', 0, 4)).toBe('EPKS');
    expect(buf[4]).toBe(1);
    expect(buf[5]).toBe(4);
    expect(buf.readUInt32LE(8)).toBe(8000);
    expect(Number(buf.readBigUInt64LE(12))).toBe(50_000);
    expect(buf.readUInt32LE(20)).toBe(32);
    expect(buf.readUInt32LE(24)).toBe(1563);
    const h = readPeaksHeader(buf);
    expect(h.headerBytes).toBe(20 + 4 * 8);
    expect(h.levels[0]!.byteOffset).toBe(52);
    expect(h.levels[1]!.byteOffset).toBe(52 + 1563 * 2);
    expect(h.totalBytes).toBe(buf.length);
    expect(new Int8Array(buf.buffer, buf.byteOffset + 52, 4)).toEqual(peaks.levels[0]!.data.subarray(0, 4));
  });

  it('reads the header from the first bytes alone', () => {
    expect(readPeaksHeader(buf.subarray(0, 52))).toEqual(readPeaksHeader(buf));
  });

  it('rejects what is not peaks, or is truncated or inconsistent', () => {
    expect(() => readPeaksHeader(Buffer.from('RIFF....WAVEfmt abcdefgh'))).toThrow(/magic/);
    expect(() => readPeaksHeader(buf.subarray(0, 30))).toThrow(/truncated/);
    expect(() => decodePeaks(buf.subarray(0, buf.length - 1))).toThrow(/truncated/);
    const badVersion = Buffer.from(buf);
    badVersion[4] = 9;
    expect(() => readPeaksHeader(badVersion)).toThrow(/version 9/);
    const badCount = Buffer.from(buf);
    badCount.writeUInt32LE(7, 24);
    expect(() => readPeaksHeader(badCount)).toThrow(/corrupt/);
  });
});

describe('zooming', () => {
  const x = randomSamples(8000 * 120, 9); // two minutes
  const peaks: Peaks = computePeaks(x, 8000);
  const buf = encodePeaks(peaks);
  const header = readPeaksHeader(buf);

  it('slices a level by time range', () => {
    const s = slicePeaks(peaks, 1, 10_000, 12_000); // 32 ms buckets: 312.5 .. 375
    expect(s.firstBucket).toBe(312);
    expect(s.data.length / 2).toBe(63);
    expect(s.startMs).toBe(9984);
    expect(s.samplesPerBucket).toBe(256);
    expect(Array.from(s.data)).toEqual(reference(x.subarray(312 * 256, 375 * 256), 256));
  });

  it('clamps ranges to the stream', () => {
    expect(slicePeaks(peaks, 3, -5000, 1e9).data.length).toBe(peaks.levels[3]!.data.length);
    expect(slicePeaks(peaks, 0, 200_000, 300_000).data.length).toBe(0);
    expect(slicePeaks(peaks, 0, 5000, 4000).data.length).toBe(0);
    expect(() => slicePeaks(peaks, 4, 0, 1000)).toThrow(/no level 4/);
  });

  it('locates a slice as a byte range of the encoded peaks, for a ranged read of the stored object', () => {
    for (const level of [0, 1, 2, 3]) {
      const r = peaksByteRange(header, level, 33_333, 47_777);
      const s = slicePeaks(peaks, level, 33_333, 47_777);
      expect(r.firstBucket).toBe(s.firstBucket);
      expect(r.bucketCount).toBe(s.data.length / 2);
      expect(new Int8Array(buf.buffer, buf.byteOffset + r.offset, r.length)).toEqual(s.data);
    }
  });

  it('chooses the coarsest level that keeps one bucket per pixel', () => {
    expect(chooseLevel(peaks, 1)).toBe(0); // finer than the finest: the finest
    expect(chooseLevel(peaks, 4)).toBe(0);
    expect(chooseLevel(peaks, 31)).toBe(0);
    expect(chooseLevel(peaks, 32)).toBe(1);
    expect(chooseLevel(peaks, 300)).toBe(2);
    expect(chooseLevel(header, 7_200_000 / 1000)).toBe(3); // a 2-hour call on 1000 pixels
  });

  it('serves a slice as a compact body', () => {
    const s = slicePeaks(peaks, 2, 60_000, 90_000);
    const body = encodePeakSlice(s);
    expect(body.length).toBe(20 + s.data.length);
    const back = decodePeakSlice(body);
    expect(back).toEqual({ ...s, data: back.data });
    expect(Array.from(back.data)).toEqual(Array.from(s.data));
    expect(() => decodePeakSlice(buf)).toThrow(/magic/);
  });
});
