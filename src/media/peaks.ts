// Waveform peaks: a pyramid of min/max pairs per stream, so the player draws a 2-hour call at once and zooms in
// by fetching only the visible part of a finer level.
//
// Levels (at 8 kHz): 32, 256, 2048 and 16384 samples per bucket, i.e. 4 ms, 32 ms, 256 ms and 2.048 s. The finest
// level gives a 1000-pixel view of 4 s (closer than that the player has the audio itself); each level is 8x the
// one below, so the client never thins out more than 8 buckets into one pixel; the coarsest holds a 2-hour call in
// 3516 buckets (7 KB), the whole overview in one small response. Other sample rates scale the sizes by the nearest
// power of two (16 kHz: 64 ... 32768), keeping the durations about the same. A 2-hour 8 kHz stream costs about
// 4.1 MB of peaks in all, 1/28 of its 16-bit audio.
//
// Values are Int8: a 16-bit sample s maps to floor(s / 256) for a minimum and ceil(s / 256) for a maximum (clamped
// to 127), so any non-zero signal still draws a non-zero bar. Coarser levels are min/max of the finer one, which is
// exact since the rounding is monotonic.
//
// The binary formats (the stored pyramid, the slice the player fetches) are laid out in peaks-format.ts, which the
// browser shares.
import {
  PEAKS_FIXED_HEADER as FIXED_HEADER,
  PEAKS_LEVEL_HEADER as LEVEL_HEADER,
  PEAKS_MAGIC,
  PEAKS_MAX_LEVELS as MAX_LEVELS,
  PEAKS_VERSION,
  encodePeakSlice as encodeSliceBytes,
  type PeakSlice,
} from './peaks-format.ts';

export { PEAKS_HEADER_MAX, PEAKS_MAGIC, PEAKS_VERSION, chooseLevel, decodePeakSlice, type PeakSlice } from './peaks-format.ts';

export interface PeakLevel {
  samplesPerBucket: number;
  /** Interleaved min, max per bucket. */
  data: Int8Array;
}

export interface Peaks {
  sampleRate: number;
  totalSamples: number;
  /** Finest first. */
  levels: PeakLevel[];
}

export interface PeaksHeaderLevel {
  samplesPerBucket: number;
  bucketCount: number;
  /** Byte offset of the level's first bucket in the encoded buffer. */
  byteOffset: number;
}

export interface PeaksHeader {
  version: number;
  sampleRate: number;
  totalSamples: number;
  levels: PeaksHeaderLevel[];
  /** Bytes of header, i.e. offset of the first level. */
  headerBytes: number;
  /** Bytes of the whole encoding. */
  totalBytes: number;
}

/** Default bucket sizes for a sample rate: 4 ms, 32 ms, 256 ms, 2 s rounded to powers of two (32..16384 at 8 kHz). */
export function defaultBucketSizes(sampleRate: number): number[] {
  if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive (got ${sampleRate})`);
  const scale = 2 ** Math.max(0, Math.round(Math.log2(sampleRate / 8000)));
  return [32, 256, 2048, 16384].map((s) => s * scale);
}

function checkBucketSizes(sizes: readonly number[]): void {
  if (sizes.length < 1 || sizes.length > MAX_LEVELS) throw new RangeError(`1 to ${MAX_LEVELS} levels expected (got ${sizes.length})`);
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    if (!Number.isInteger(s) || s < 1 || s > 0xffffffff) throw new RangeError(`bucket size ${s} is not a positive integer`);
    if (i > 0 && (s <= sizes[i - 1]! || s % sizes[i - 1]! !== 0)) {
      throw new RangeError(`bucket sizes must grow and each be a multiple of the previous (got ${sizes.join(', ')})`);
    }
  }
}

/**
 * Computes peaks chunk by chunk: push() any number of sample chunks (of any length), then finish(). Memory is the
 * finest level (1/16 of the 16-bit audio), never the audio itself.
 */
export class PeaksBuilder {
  readonly sampleRate: number;
  readonly bucketSizes: readonly number[];
  private readonly base: number;
  private data: Int8Array;
  private buckets = 0;
  private total = 0;
  // The bucket being filled.
  private fill = 0;
  private min = 32767;
  private max = -32768;
  private done = false;

  constructor(sampleRate: number, options: { bucketSizes?: readonly number[]; expectedSamples?: number } = {}) {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`sampleRate must be a positive integer (got ${sampleRate})`);
    const sizes = options.bucketSizes ?? defaultBucketSizes(sampleRate);
    checkBucketSizes(sizes);
    this.sampleRate = sampleRate;
    this.bucketSizes = [...sizes];
    this.base = sizes[0]!;
    const expected = Math.max(0, Math.ceil((options.expectedSamples ?? 0) / this.base));
    this.data = new Int8Array(Math.max(64, expected) * 2);
  }

  push(samples: Int16Array): void {
    if (this.done) throw new Error('PeaksBuilder.push after finish');
    const n = samples.length;
    const base = this.base;
    let fill = this.fill;
    let mn = this.min;
    let mx = this.max;
    let i = 0;
    while (i < n) {
      const end = Math.min(n, i + (base - fill));
      fill += end - i;
      for (; i < end; i++) {
        const v = samples[i]!;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (fill === base) {
        this.emit(mn, mx);
        fill = 0;
        mn = 32767;
        mx = -32768;
      }
    }
    this.fill = fill;
    this.min = mn;
    this.max = mx;
    this.total += n;
  }

  private emit(mn: number, mx: number): void {
    if (this.buckets * 2 + 2 > this.data.length) {
      const grown = new Int8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const o = this.buckets * 2;
    this.data[o] = mn >> 8;
    const hi = (mx + 255) >> 8;
    this.data[o + 1] = hi > 127 ? 127 : hi;
    this.buckets++;
  }

  /** The pyramid. The builder is spent afterwards. */
  finish(): Peaks {
    if (this.done) throw new Error('PeaksBuilder.finish called twice');
    this.done = true;
    if (this.fill > 0) {
      this.emit(this.min, this.max);
      this.fill = 0;
    }
    const levels: PeakLevel[] = [{ samplesPerBucket: this.base, data: this.data.slice(0, this.buckets * 2) }];
    for (let l = 1; l < this.bucketSizes.length; l++) {
      const size = this.bucketSizes[l]!;
      const finer = levels[l - 1]!;
      levels.push({ samplesPerBucket: size, data: coarsen(finer.data, size / finer.samplesPerBucket) });
    }
    this.data = new Int8Array(0); // let it go
    return { sampleRate: this.sampleRate, totalSamples: this.total, levels };
  }
}

/** Min/max over groups of `factor` buckets (the last group may be shorter). */
function coarsen(finer: Int8Array, factor: number): Int8Array {
  const count = finer.length / 2;
  const out = new Int8Array(Math.ceil(count / factor) * 2);
  for (let b = 0, o = 0; b < count; b += factor, o += 2) {
    const end = Math.min(count, b + factor) * 2;
    let mn = 127;
    let mx = -128;
    for (let i = b * 2; i < end; i += 2) {
      if (finer[i]! < mn) mn = finer[i]!;
      if (finer[i + 1]! > mx) mx = finer[i + 1]!;
    }
    out[o] = mn;
    out[o + 1] = mx;
  }
  return out;
}

/** Peaks of one mono stream in one go (see PeaksBuilder to compute over chunks). */
export function computePeaks(samples: Int16Array, sampleRate: number, options: { bucketSizes?: readonly number[] } = {}): Peaks {
  const b = new PeaksBuilder(sampleRate, { ...options, expectedSamples: samples.length });
  b.push(samples);
  return b.finish();
}

/** The binary encoding described at the top of this file. */
export function encodePeaks(peaks: Peaks): Buffer {
  const L = peaks.levels.length;
  checkBucketSizes(peaks.levels.map((l) => l.samplesPerBucket));
  const header = FIXED_HEADER + LEVEL_HEADER * L;
  const total = header + peaks.levels.reduce((n, l) => n + l.data.length, 0);
  const out = Buffer.alloc(total);
  out.write(PEAKS_MAGIC, 0, 'latin1');
  out.writeUInt8(PEAKS_VERSION, 4);
  out.writeUInt8(L, 5);
  out.writeUInt16LE(0, 6);
  out.writeUInt32LE(peaks.sampleRate, 8);
  out.writeBigUInt64LE(BigInt(peaks.totalSamples), 12);
  let o = header;
  peaks.levels.forEach((level, i) => {
    if (level.data.length % 2) throw new RangeError(`level ${i} has an odd number of values`);
    out.writeUInt32LE(level.samplesPerBucket, FIXED_HEADER + i * LEVEL_HEADER);
    out.writeUInt32LE(level.data.length / 2, FIXED_HEADER + i * LEVEL_HEADER + 4);
    out.set(new Uint8Array(level.data.buffer, level.data.byteOffset, level.data.length), o);
    o += level.data.length;
  });
  return out;
}

/**
 * Reads the header of encoded peaks. `buf` may hold only the beginning of the encoding (at least the header:
 * 20 + 8 * levels bytes, 52 for the default four levels).
 */
export function readPeaksHeader(buf: Uint8Array): PeaksHeader {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < FIXED_HEADER || b.toString('latin1', 0, 4) !== PEAKS_MAGIC) throw new RangeError('not an encoded peaks buffer (bad magic)');
  const version = b.readUInt8(4);
  if (version !== PEAKS_VERSION) throw new RangeError(`unsupported peaks version ${version}`);
  const L = b.readUInt8(5);
  if (L < 1 || L > MAX_LEVELS) throw new RangeError(`corrupt peaks header: ${L} levels`);
  const headerBytes = FIXED_HEADER + LEVEL_HEADER * L;
  if (b.length < headerBytes) throw new RangeError(`peaks header truncated: ${b.length} of ${headerBytes} bytes`);
  const sampleRate = b.readUInt32LE(8);
  const totalSamples = Number(b.readBigUInt64LE(12));
  const levels: PeaksHeaderLevel[] = [];
  let o = headerBytes;
  for (let i = 0; i < L; i++) {
    const samplesPerBucket = b.readUInt32LE(FIXED_HEADER + i * LEVEL_HEADER);
    const bucketCount = b.readUInt32LE(FIXED_HEADER + i * LEVEL_HEADER + 4);
    if (samplesPerBucket < 1 || bucketCount !== Math.ceil(totalSamples / samplesPerBucket)) {
      throw new RangeError(`corrupt peaks header: level ${i} has ${bucketCount} buckets of ${samplesPerBucket} samples for ${totalSamples} samples`);
    }
    levels.push({ samplesPerBucket, bucketCount, byteOffset: o });
    o += bucketCount * 2;
  }
  return { version, sampleRate, totalSamples, levels, headerBytes, totalBytes: o };
}

/** Decodes encoded peaks; the level arrays are views into `buf` (no copy). */
export function decodePeaks(buf: Uint8Array): Peaks {
  const h = readPeaksHeader(buf);
  if (buf.length < h.totalBytes) throw new RangeError(`peaks truncated: ${buf.length} of ${h.totalBytes} bytes`);
  return {
    sampleRate: h.sampleRate,
    totalSamples: h.totalSamples,
    levels: h.levels.map((l) => ({ samplesPerBucket: l.samplesPerBucket, data: new Int8Array(buf.buffer, buf.byteOffset + l.byteOffset, l.bucketCount * 2) })),
  };
}

/** Buckets [first, end) of a level that cover [startMs, endMs), clamped to the level. */
function bucketRange(sampleRate: number, samplesPerBucket: number, bucketCount: number, startMs: number, endMs: number): [number, number] {
  const msPerBucket = (samplesPerBucket * 1000) / sampleRate;
  const first = Math.min(bucketCount, Math.max(0, Math.floor(startMs / msPerBucket)));
  const end = Math.min(bucketCount, Math.max(first, Math.ceil(endMs / msPerBucket)));
  return [first, end];
}

/** The buckets of one level covering [startMs, endMs) (a view, no copy). */
export function slicePeaks(peaks: Peaks, level: number, startMs: number, endMs: number): PeakSlice {
  const l = peaks.levels[level];
  if (!l) throw new RangeError(`no level ${level} (levels 0 to ${peaks.levels.length - 1})`);
  const [first, end] = bucketRange(peaks.sampleRate, l.samplesPerBucket, l.data.length / 2, startMs, endMs);
  return {
    level,
    sampleRate: peaks.sampleRate,
    samplesPerBucket: l.samplesPerBucket,
    firstBucket: first,
    startMs: (first * l.samplesPerBucket * 1000) / peaks.sampleRate,
    data: l.data.subarray(first * 2, end * 2),
  };
}

/** Where, in the encoded buffer, the buckets of one level covering [startMs, endMs) are (for a ranged read). */
export function peaksByteRange(
  header: PeaksHeader,
  level: number,
  startMs: number,
  endMs: number,
): { offset: number; length: number; firstBucket: number; bucketCount: number } {
  const l = header.levels[level];
  if (!l) throw new RangeError(`no level ${level} (levels 0 to ${header.levels.length - 1})`);
  const [first, end] = bucketRange(header.sampleRate, l.samplesPerBucket, l.bucketCount, startMs, endMs);
  return { offset: l.byteOffset + first * 2, length: (end - first) * 2, firstBucket: first, bucketCount: end - first };
}

/** A slice as the compact response body of the peaks route (layout in peaks-format.ts). */
export function encodePeakSlice(slice: PeakSlice): Buffer {
  const bytes = encodeSliceBytes(slice);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
