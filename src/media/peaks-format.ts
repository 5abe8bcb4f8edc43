// The waveform peaks wire formats, shared by the server (peaks.ts writes and serves them) and the browser's player
// (web/src/screens/conversations/player/peakStore.ts reads slices). No Node imports: Vite bundles this file as is,
// and bytes are read with a DataView rather than a Buffer.
//
// Stored pyramid (little-endian), version 1:
//   0   4  magic "EPKS"
//   4   1  version = 1
//   5   1  level count L (1..16)
//   6   2  reserved, 0
//   8   4  sample rate (Hz)
//   12  8  total samples of the stream (uint64)
//   20  8L per level, finest first: uint32 samples per bucket, uint32 bucket count
//   then each level's buckets in the same order: int8 min, int8 max per bucket.
// Every level's byte offset follows from the header alone, so a zoomed view is a byte range of the stored object
// (peaksByteRange), readable without fetching or decrypting the rest.
//
// Slice (the body of GET /api/conversations/:id/streams/:streamId/peaks), version 1:
//   0  4  magic "EPSL"     4  1  version = 1     5  1  level     6  2  reserved
//   8  4  sample rate      12 4  samples per bucket              16 4  first bucket
//   20 …  int8 min, int8 max per bucket

export const PEAKS_MAGIC = 'EPKS';
export const PEAKS_VERSION = 1;
export const PEAKS_FIXED_HEADER = 20;
export const PEAKS_LEVEL_HEADER = 8;
export const PEAKS_MAX_LEVELS = 16;
/** The longest header a pyramid can have: enough bytes to read the header of any stored peaks. */
export const PEAKS_HEADER_MAX = PEAKS_FIXED_HEADER + PEAKS_LEVEL_HEADER * PEAKS_MAX_LEVELS;

export const SLICE_MAGIC = 'EPSL';
export const SLICE_HEADER = 20;

export interface PeakSlice {
  level: number;
  sampleRate: number;
  samplesPerBucket: number;
  /** Index of the first bucket in its level. */
  firstBucket: number;
  /** Stream time of the first bucket's start. */
  startMs: number;
  /** Interleaved min, max per bucket (−128..127, a 16-bit sample / 256). */
  data: Int8Array;
}

/**
 * The level to draw with at a zoom of msPerPixel: the coarsest whose buckets are no longer than a pixel (so no
 * detail is lost; levels being 8x apart, at most about 8 buckets go into one pixel), or the finest when even that is
 * coarser. The server and the player's drawing share it.
 */
export function chooseLevel(peaks: { sampleRate: number; levels: ReadonlyArray<{ samplesPerBucket: number }> }, msPerPixel: number): number {
  let best = 0;
  peaks.levels.forEach((l, i) => {
    if ((l.samplesPerBucket * 1000) / peaks.sampleRate <= msPerPixel) best = i;
  });
  return best;
}

/** Whether bytes start with a 4-letter ASCII magic. */
export const hasMagic = (bytes: Uint8Array, magic: string) => bytes.length >= 4 && [0, 1, 2, 3].every((i) => bytes[i] === magic.charCodeAt(i));

export function encodePeakSlice(slice: PeakSlice): Uint8Array {
  const out = new Uint8Array(SLICE_HEADER + slice.data.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SLICE_MAGIC.charCodeAt(i);
  view.setUint8(4, PEAKS_VERSION);
  view.setUint8(5, slice.level);
  view.setUint32(8, slice.sampleRate, true);
  view.setUint32(12, slice.samplesPerBucket, true);
  view.setUint32(16, slice.firstBucket, true);
  out.set(new Uint8Array(slice.data.buffer, slice.data.byteOffset, slice.data.length), SLICE_HEADER);
  return out;
}

/** Reads a slice; its data is a view into the input (no copy). */
export function decodePeakSlice(input: ArrayBuffer | Uint8Array): PeakSlice {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < SLICE_HEADER || !hasMagic(bytes, SLICE_MAGIC)) throw new RangeError('not an encoded peak slice (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== PEAKS_VERSION) throw new RangeError(`unsupported peak slice version ${version}`);
  if ((bytes.length - SLICE_HEADER) % 2) throw new RangeError('corrupt peak slice: odd number of values');
  const sampleRate = view.getUint32(8, true);
  const samplesPerBucket = view.getUint32(12, true);
  const firstBucket = view.getUint32(16, true);
  if (!sampleRate || !samplesPerBucket) throw new RangeError('corrupt peak slice: zero sample rate or bucket size');
  return {
    level: view.getUint8(5),
    sampleRate,
    samplesPerBucket,
    firstBucket,
    startMs: (firstBucket * samplesPerBucket * 1000) / sampleRate,
    data: new Int8Array(bytes.buffer, bytes.byteOffset + SLICE_HEADER, bytes.length - SLICE_HEADER),
  };
}
