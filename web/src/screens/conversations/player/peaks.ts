// The browser side of the waveform peaks wire format (src/media/peaks.ts, encodePeakSlice): a 20-byte header, then
// Int8 min, max per bucket. Read with a DataView, so the browser needs no Buffer.
//
//   0  4  magic "EPSL"     4  1  version = 1     5  1  level     6  2  reserved
//   8  4  sample rate      12 4  samples per bucket              16 4  first bucket (all little-endian)
//   20 …  int8 min, int8 max per bucket

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

const MAGIC = [0x45, 0x50, 0x53, 0x4c]; // "EPSL"
const VERSION = 1;
const HEADER = 20;

export function decodePeakSlice(input: ArrayBuffer | Uint8Array): PeakSlice {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw new RangeError('not a peak slice (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== VERSION) throw new RangeError(`unsupported peak slice version ${version}`);
  if ((bytes.length - HEADER) % 2) throw new RangeError('corrupt peak slice: odd number of values');
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
    data: new Int8Array(bytes.buffer, bytes.byteOffset + HEADER, bytes.length - HEADER),
  };
}
