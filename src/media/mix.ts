// Ranged WAV rendering over per-party PCM: the player asks for bytes [start, end] of a virtual WAV file (header +
// interleaved 16-bit samples) and gets exactly those, computed from only the PCM the range covers. A seek into a
// two-hour call therefore costs one small read per party, whatever the position.
//
// One renderer serves every layout, as a gain matrix from parties to output channels:
//   - the stereo mix of the player (calling party 100 % left / 60 % right, called party the mirror image),
//   - one party alone (mono, gain 1, so the samples are passed through unchanged),
//   - one channel per party (lossless segment download).
// Parties on the same channel are summed and the sum is clipped to 16 bits.
import { DomainError } from '../platform/errors.ts';
import { mediaError } from './errors.ts';
import { wavHeader } from './wav-header.ts';

/** Reads `length` bytes of raw 16-bit little-endian mono PCM at byte `offset` (no header). */
export type PcmReader = (offset: number, length: number) => Promise<Uint8Array>;

export type PartySide = 'calling' | 'called';

export interface PcmSource {
  reader: PcmReader;
  /** Bytes of PCM behind the reader (a trailing odd byte is ignored). */
  pcmBytes: number;
  /** Where this stream starts on the segment timeline, in samples (default 0); before that it is silent. */
  startOffsetSamples?: number;
  /** Names the stream in error messages (a stream or blob id). */
  label?: string;
}

export interface MixParty extends PcmSource {
  side: PartySide;
}

/** Left/right gains of the player's stereo placement. */
export const STEREO_PLACEMENT: Readonly<Record<PartySide, readonly [left: number, right: number]>> = {
  calling: [1, 0.6],
  called: [0.6, 1],
};

export interface RangedWavInput {
  sampleRate: number;
  /** Output channels, 1 to 8. */
  channels: number;
  /** Each source with its gain on every output channel (gains.length === channels). */
  sources: ReadonlyArray<PcmSource & { gains: readonly number[] }>;
  /** Length in frames; default: up to the end of the longest source. Sources shorter than this end in silence. */
  frames?: number;
}

export interface StreamOptions {
  /** Frames rendered per yielded block (default 32768: 64 KiB of PCM per party, one encrypted blob chunk). */
  blockFrames?: number;
}

/** A WAV file that exists only as a recipe: any byte range of it can be rendered on demand. */
export interface RangedWav {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly durationMs: number;
  readonly headerBytes: number;
  readonly dataBytes: number;
  /** headerBytes + dataBytes: the Content-Length of the whole file. */
  readonly totalBytes: number;
  /** Bytes [start, end] (both inclusive, as in HTTP Range) of the file. */
  render(start: number, end: number): Promise<Buffer>;
  /** Bytes [start, end] (default: the whole file) in blocks, the next block read while the current one is consumed. */
  stream(start?: number, end?: number, options?: StreamOptions): AsyncGenerator<Buffer>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const DEFAULT_BLOCK_FRAMES = 32768;
/** Largest piece mixed at once by render(): 2 MiB of stereo accumulator. */
const MAX_RENDER_FRAMES = 131072;

interface Source {
  reader: PcmReader;
  samples: number;
  offset: number;
  label: string;
  gains: number[];
}

/** A ranged WAV over any gain matrix; the stereo mix, solo and per-party layouts below are presets of this. */
export function createRangedWav(input: RangedWavInput): RangedWav {
  const { sampleRate, channels } = input;
  if (!Number.isInteger(channels) || channels < 1 || channels > 8) throw new RangeError(`channels must be 1 to 8 (got ${channels})`);
  const sources: Source[] = input.sources.map((s, i) => {
    if (!Number.isSafeInteger(s.pcmBytes) || s.pcmBytes < 0) throw new RangeError(`source ${i}: pcmBytes must be a non-negative integer`);
    const offset = s.startOffsetSamples ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`source ${i}: startOffsetSamples must be a non-negative integer`);
    if (s.gains.length !== channels || !s.gains.every(Number.isFinite)) {
      throw new RangeError(`source ${i}: ${channels} finite gains expected (got ${s.gains.join(', ')})`);
    }
    return { reader: s.reader, samples: Math.floor(s.pcmBytes / 2), offset, label: s.label ?? `stream ${i + 1}`, gains: [...s.gains] };
  });
  const frames = input.frames ?? sources.reduce((m, s) => Math.max(m, s.offset + s.samples), 0);
  if (!Number.isSafeInteger(frames) || frames < 0) throw new RangeError(`frames must be a non-negative integer (got ${frames})`);
  const blockAlign = channels * 2;
  const header = wavHeader({ sampleRate, channels, bitsPerSample: 16, dataBytes: frames * blockAlign });
  const H = header.length;
  const totalBytes = H + frames * blockAlign;

  /** Interleaved 16-bit frames [f0, f0 + n) as bytes. */
  async function renderFrames(f0: number, n: number): Promise<Buffer> {
    const acc = new Float64Array(n * channels);
    const f1 = f0 + n;
    // All reads in flight at once: latency is that of the slowest party, not the sum.
    await Promise.all(
      sources.map(async (s) => {
        const s0 = Math.max(f0 - s.offset, 0);
        const s1 = Math.min(f1 - s.offset, s.samples);
        if (s1 <= s0) return;
        const pcm = await readSamples(s, s0, s1 - s0);
        accumulate(acc, channels, s0 + s.offset - f0, pcm, s.gains);
      }),
    );
    const out = new Int16Array(n * channels);
    for (let i = 0; i < out.length; i++) {
      const v = Math.round(acc[i]!);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return int16Bytes(out);
  }

  function checkRange(start: number, end: number): void {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end >= totalBytes) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Range ${start}-${end} is not satisfiable: the file has ${totalBytes} bytes, so a range must satisfy 0 <= start <= end <= ${totalBytes - 1}`,
        { size: totalBytes, start, end },
      );
    }
  }

  async function render(start: number, end: number): Promise<Buffer> {
    checkRange(start, end);
    const oneBlock = end + 1 - start <= MAX_RENDER_FRAMES * blockAlign;
    if (oneBlock && start >= H && (start - H) % blockAlign === 0 && (end + 1 - H) % blockAlign === 0) {
      return renderFrames((start - H) / blockAlign, (end + 1 - start) / blockAlign);
    }
    const out = Buffer.allocUnsafe(end - start + 1);
    let o = 0;
    if (start < H) o = header.copy(out, 0, start, Math.min(end + 1, H));
    if (end >= H) {
      // Whole frames around the range, then the slice: a range may start or end inside a frame. A long range is
      // mixed in pieces so the accumulator stays small.
      const d0 = Math.max(start, H) - H;
      const d1 = end - H;
      const f0 = Math.floor(d0 / blockAlign);
      const f1 = Math.floor(d1 / blockAlign);
      for (let f = f0; f <= f1; f += MAX_RENDER_FRAMES) {
        const n = Math.min(MAX_RENDER_FRAMES, f1 - f + 1);
        const data = await renderFrames(f, n);
        const from = f === f0 ? d0 - f0 * blockAlign : 0;
        const to = f + n - 1 === f1 ? d1 - f * blockAlign + 1 : n * blockAlign;
        o += data.copy(out, o, from, to);
      }
    }
    return out;
  }

  async function* stream(start = 0, end = totalBytes - 1, options: StreamOptions = {}): AsyncGenerator<Buffer> {
    checkRange(start, end);
    const blockFrames = options.blockFrames ?? DEFAULT_BLOCK_FRAMES;
    if (!Number.isSafeInteger(blockFrames) || blockFrames < 1) throw new RangeError(`blockFrames must be a positive integer (got ${blockFrames})`);
    const blockBytes = blockFrames * blockAlign;
    // Blocks end on fixed boundaries of the data (not relative to start), so their reads align with blob chunks.
    const blockEnd = (pos: number) => Math.min(end, pos < H ? H + blockBytes - 1 : H + (Math.floor((pos - H) / blockBytes) + 1) * blockBytes - 1);
    let stop = blockEnd(start);
    let pending = handled(render(start, stop));
    while (true) {
      const nextPos = stop + 1;
      let next: Promise<Buffer> | undefined;
      if (nextPos <= end) {
        stop = blockEnd(nextPos);
        next = handled(render(nextPos, stop));
      }
      yield await pending;
      if (!next) return;
      pending = next;
    }
  }

  return {
    sampleRate,
    channels,
    frames,
    durationMs: Math.round((frames * 1000) / sampleRate),
    headerBytes: H,
    dataBytes: frames * blockAlign,
    totalBytes,
    render,
    stream,
  };
}

/** The player's stereo mix of a segment's parties (see STEREO_PLACEMENT). */
export function createStereoMix(input: { sampleRate: number; parties: readonly MixParty[]; frames?: number }): RangedWav {
  return createRangedWav({
    sampleRate: input.sampleRate,
    channels: 2,
    frames: input.frames,
    sources: input.parties.map((p) => ({ ...p, gains: STEREO_PLACEMENT[p.side] })),
  });
}

/**
 * One party alone as mono WAV, its samples unchanged. Pass `frames` (and the party's startOffsetSamples) to keep
 * it on the same timeline as the mix, so a player can switch between solo and mix at the same position.
 */
export function createSoloWav(input: { sampleRate: number; party: PcmSource; frames?: number }): RangedWav {
  return createRangedWav({
    sampleRate: input.sampleRate,
    channels: 1,
    frames: input.frames,
    sources: [{ ...input.party, gains: [1] }],
  });
}

/** One channel per party, in the given order, samples unchanged (up to 8 parties). */
export function createPerPartyWav(input: { sampleRate: number; parties: readonly PcmSource[]; frames?: number }): RangedWav {
  const n = input.parties.length;
  return createRangedWav({
    sampleRate: input.sampleRate,
    channels: n,
    frames: input.frames,
    sources: input.parties.map((p, i) => ({ ...p, gains: Array.from({ length: n }, (_, c) => (c === i ? 1 : 0)) })),
  });
}

/** A reader over samples held in memory (tests, freshly decoded audio). */
export function int16Source(samples: Int16Array): { reader: PcmReader; pcmBytes: number } {
  const bytes = int16Bytes(samples);
  return {
    pcmBytes: bytes.length,
    reader: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

// ---- internals ------------------------------------------------------------------------------------------------

async function readSamples(s: Source, first: number, count: number): Promise<Int16Array> {
  const bytes = await s.reader(first * 2, count * 2);
  if (bytes.length < count * 2) {
    throw mediaError(
      'TRUNCATED_AUDIO',
      `${s.label} is shorter than recorded: ${count * 2} bytes were requested at offset ${first * 2} but only ${bytes.length} came back`,
      { stream: s.label, offset: first * 2, requested: count * 2, received: bytes.length },
    );
  }
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Int16Array(count);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 2));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
    for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  }
  return out;
}

function accumulate(acc: Float64Array, channels: number, firstFrame: number, pcm: Int16Array, gains: readonly number[]): void {
  const n = pcm.length;
  for (let c = 0; c < channels; c++) {
    const g = gains[c]!;
    if (g === 0) continue;
    for (let i = 0, j = firstFrame * channels + c; i < n; i++, j += channels) acc[j] += pcm[i]! * g;
  }
}

/** The samples as little-endian bytes, without a copy on little-endian hosts. */
function int16Bytes(samples: Int16Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

/** Marks a promise as handled now (it is awaited later), so an early rejection is not an unhandled one. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}
