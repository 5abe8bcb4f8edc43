import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.ts';
import { createPerPartyWav, createRangedWav, createSoloWav, createStereoMix, int16Source, type MixParty, type PcmReader } from './mix.ts';
import { splitChannels } from './channels.ts';
import { expectMediaError } from './test-fixtures.ts';
import { encodeWav, seededRandom, synthSpeechLike } from './wav-write.ts';
import { parseWav, readWavSamples } from './wav.ts';

const clip = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

/** The stereo mix written out the slow, obvious way, as the reference. */
function referenceMix(parties: Array<{ samples: Int16Array; side: 'calling' | 'called'; offset?: number }>, frames: number): Int16Array {
  const l = new Float64Array(frames);
  const r = new Float64Array(frames);
  for (const p of parties) {
    const [gl, gr] = p.side === 'calling' ? [1, 0.6] : [0.6, 1];
    p.samples.forEach((x, i) => {
      const f = i + (p.offset ?? 0);
      if (f >= frames) return;
      l[f] += x * gl;
      r[f] += x * gr;
    });
  }
  const out = new Int16Array(frames * 2);
  for (let f = 0; f < frames; f++) {
    out[2 * f] = clip(l[f]!);
    out[2 * f + 1] = clip(r[f]!);
  }
  return out;
}

/** A reader that makes up its samples on demand (any length, no memory) and records every call. */
function virtualReader(seed: number): { reader: PcmReader; calls: Array<{ offset: number; length: number }> } {
  const calls: Array<{ offset: number; length: number }> = [];
  return {
    calls,
    reader: async (offset, length) => {
      calls.push({ offset, length });
      const out = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i += 2) out.writeInt16LE(((((offset + i) / 2) * seed) % 20000) - 10000, i);
      return out;
    },
  };
}

function party(samples: Int16Array, side: 'calling' | 'called', extra: Partial<MixParty> = {}): MixParty {
  return { ...int16Source(samples), side, ...extra };
}

describe('stereo mix gains', () => {
  const x = Int16Array.from([0, 1, -1, 2, -3, 1000, -1000, 12345, -12345, 32767, -32768, 5, -5]);
  const zeros = new Int16Array(x.length);

  async function samplesOf(parties: MixParty[]): Promise<Int16Array> {
    const mix = createStereoMix({ sampleRate: 8000, parties });
    const file = await mix.render(0, mix.totalBytes - 1);
    return readWavSamples(file, parseWav(file));
  }

  it('puts the calling party at 100 % left and 60 % right', async () => {
    const out = await samplesOf([party(x, 'calling'), party(zeros, 'called')]);
    const [left, right] = splitChannels(out, 2);
    expect([...left!]).toEqual([...x]);
    expect([...right!]).toEqual([0, 1, -1, 1, -2, 600, -600, 7407, -7407, 19660, -19661, 3, -3]);
  });

  it('puts the called party at 60 % left and 100 % right', async () => {
    const out = await samplesOf([party(zeros, 'calling'), party(x, 'called')]);
    const [left, right] = splitChannels(out, 2);
    expect([...left!]).toEqual([0, 1, -1, 1, -2, 600, -600, 7407, -7407, 19660, -19661, 3, -3]);
    expect([...right!]).toEqual([...x]);
  });

  it('sums parties on the same side and clips the sum to 16 bits', async () => {
    const a = Int16Array.from([20000, -20000, 100, 30000]);
    const b = Int16Array.from([20000, -20000, -50, 0]);
    const c = Int16Array.from([1000, 1000, 1000, -30000]);
    const out = await samplesOf([party(a, 'calling'), party(b, 'calling'), party(c, 'called')]);
    // L = a + b + 0.6c, R = 0.6a + 0.6b + c
    expect([...out]).toEqual([32767, 25000, -32768, -23000, 650, 1030, 12000, -30000 + 18000]);
  });

  it('matches the reference mix for speech with offsets and parties of different lengths', async () => {
    const p1 = synthSpeechLike(900, 8000, 1);
    const p2 = synthSpeechLike(700, 8000, 2);
    const p3 = synthSpeechLike(300, 8000, 3);
    const specs = [
      { samples: p1, side: 'calling' as const },
      { samples: p2, side: 'called' as const, offset: 1234 },
      { samples: p3, side: 'called' as const, offset: 4000 },
    ];
    const frames = Math.max(p1.length, p2.length + 1234, p3.length + 4000);
    const mix = createStereoMix({
      sampleRate: 8000,
      parties: specs.map((s) => party(s.samples, s.side, { startOffsetSamples: s.offset })),
    });
    expect(mix.frames).toBe(frames);
    expect(mix.totalBytes).toBe(44 + frames * 4);
    const expected = encodeWav({ sampleRate: 8000, channels: 2, samples: referenceMix(specs, frames) });
    expect(await mix.render(0, mix.totalBytes - 1)).toEqual(expected);
  });

  it('is silent before a party starts and after it ends', async () => {
    const mix = createStereoMix({ sampleRate: 8000, parties: [party(Int16Array.from([7, 7]), 'called', { startOffsetSamples: 3 })], frames: 8 });
    const file = await mix.render(0, mix.totalBytes - 1);
    expect([...readWavSamples(file, parseWav(file))]).toEqual([0, 0, 0, 0, 0, 0, 4, 7, 4, 7, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ranged rendering', () => {
  const specs = [
    { samples: synthSpeechLike(1500, 8000, 11), side: 'calling' as const },
    { samples: synthSpeechLike(1400, 8000, 12), side: 'called' as const, offset: 333 },
    { samples: synthSpeechLike(600, 8000, 13), side: 'calling' as const, offset: 5000 },
  ];
  const frames = Math.max(...specs.map((s) => s.samples.length + (s.offset ?? 0)));
  const expected = encodeWav({ sampleRate: 8000, channels: 2, samples: referenceMix(specs, frames) });
  const mix = () => createStereoMix({ sampleRate: 8000, parties: specs.map((s) => party(s.samples, s.side, { startOffsetSamples: s.offset })) });

  it('returns exactly the requested bytes, wherever the range starts and ends', async () => {
    const m = mix();
    const last = m.totalBytes - 1;
    const ranges: Array<[number, number]> = [
      [0, 0],
      [0, 43],
      [3, 17],
      [43, 44],
      [0, 44],
      [1, 46],
      [43, 47],
      [44, 44],
      [45, 45],
      [46, 47],
      [47, 48],
      [44, 47],
      [45, 1001],
      [1002, 1002],
      [5001, 9003],
      [last, last],
      [last - 2, last],
      [41, last],
      [0, last],
    ];
    const rnd = seededRandom(7);
    for (let i = 0; i < 40; i++) {
      const a = Math.floor(rnd() * m.totalBytes);
      ranges.push([a, Math.min(last, a + Math.floor(rnd() * 9000))]);
    }
    for (const [start, end] of ranges) {
      const got = await m.render(start, end);
      expect(got.length, `${start}-${end}`).toBe(end - start + 1);
      expect(got.equals(expected.subarray(start, end + 1)), `bytes ${start}-${end}`).toBe(true);
    }
  });

  it('renders a long range (mixed in several pieces) exactly', async () => {
    const long = [
      { samples: synthSpeechLike(41_000, 8000, 21), side: 'calling' as const },
      { samples: synthSpeechLike(40_000, 8000, 22), side: 'called' as const, offset: 777 },
    ];
    const n = Math.max(...long.map((s) => s.samples.length + (s.offset ?? 0)));
    const ref = encodeWav({ sampleRate: 8000, channels: 2, samples: referenceMix(long, n) });
    const m = createStereoMix({ sampleRate: 8000, parties: long.map((s) => party(s.samples, s.side, { startOffsetSamples: s.offset })) });
    expect(m.totalBytes).toBe(ref.length);
    expect((await m.render(1, m.totalBytes - 2)).equals(ref.subarray(1, ref.length - 1))).toBe(true);
    expect((await m.render(44, m.totalBytes - 1)).equals(ref.subarray(44))).toBe(true);
  });

  it('streams the same bytes in blocks, from odd offsets too', async () => {
    const m = mix();
    for (const [start, end] of [
      [0, m.totalBytes - 1],
      [7, m.totalBytes - 2],
      [45, 20_001],
      [1000, 1003],
    ] as const) {
      const blocks: Buffer[] = [];
      for await (const b of m.stream(start, end, { blockFrames: 1000 })) blocks.push(b);
      expect(Buffer.concat(blocks).equals(expected.subarray(start, end + 1))).toBe(true);
      // Blocks after the first end on fixed 4000-byte boundaries of the data.
      let pos = start;
      for (const b of blocks.slice(0, -1)) {
        pos += b.length;
        expect((pos - 44) % 4000).toBe(0);
      }
    }
  });

  it('stops reading when the consumer stops', async () => {
    const v = virtualReader(3);
    const m = createStereoMix({ sampleRate: 8000, parties: [{ reader: v.reader, pcmBytes: 8000 * 2 * 60, side: 'calling' }] });
    for await (const block of m.stream(0, undefined, { blockFrames: 1000 })) {
      expect(block.length).toBe(44 + 4000);
      break;
    }
    // The block consumed and the one read ahead; nothing more.
    expect(v.calls.length).toBeLessThanOrEqual(2);
  });

  it('reads only the PCM a range needs, once per party, even deep into a two-hour call', async () => {
    const hours2 = 2 * 3600 * 8000 * 2;
    const readers = [virtualReader(3), virtualReader(5), virtualReader(7), virtualReader(11)];
    const m = createStereoMix({
      sampleRate: 8000,
      parties: readers.map((r, i) => ({ reader: r.reader, pcmBytes: hours2, side: i % 2 ? 'called' : 'calling' })),
    });
    expect(m.totalBytes).toBe(44 + 2 * 3600 * 8000 * 4);
    const at = 44 + 90 * 60 * 8000 * 4 + 2; // 1 h 30 min, in the middle of a frame
    const got = await m.render(at, at + 65535);
    expect(got.length).toBe(65536);
    for (const r of readers) {
      expect(r.calls).toHaveLength(1);
      const { offset, length } = r.calls[0]!;
      // Frames (at-44)/4 ... (at+65535-44)/4, i.e. 16385 frames of 2 bytes per party.
      expect(offset).toBe(90 * 60 * 8000 * 2);
      expect(length).toBe(16385 * 2);
    }
    // Same bytes as a render that starts on a frame boundary and is sliced here.
    const aligned = await m.render(at - 2, at + 65535 + 2);
    expect(got.equals(aligned.subarray(2, 2 + 65536))).toBe(true);
  });

  it('reads nothing for a range inside the header', async () => {
    const v = virtualReader(3);
    const m = createStereoMix({ sampleRate: 8000, parties: [{ reader: v.reader, pcmBytes: 1000, side: 'called' }] });
    const head = await m.render(0, 43);
    expect(v.calls).toHaveLength(0);
    expect(parseWav(head, 'mix.wav', m.totalBytes)).toMatchObject({ channels: 2, sampleRate: 8000, frames: 500, dataOffset: 44 });
  });

  it('does not read a party outside its part of the timeline', async () => {
    const early = virtualReader(3);
    const late = virtualReader(5);
    const m = createStereoMix({
      sampleRate: 8000,
      parties: [
        { reader: early.reader, pcmBytes: 2000, side: 'calling' },
        { reader: late.reader, pcmBytes: 2000, side: 'called', startOffsetSamples: 5000 },
      ],
    });
    await m.render(44, 44 + 4 * 1000 - 1);
    expect(early.calls).toEqual([{ offset: 0, length: 2000 }]);
    expect(late.calls).toEqual([]);
    await m.render(44 + 4 * 5100, 44 + 4 * 5200 - 1);
    expect(early.calls).toHaveLength(1);
    expect(late.calls).toEqual([{ offset: 200, length: 200 }]);
  });

  it('accepts reader buffers at odd byte offsets', async () => {
    const samples = Int16Array.from([1, -2, 300, -400, 32767]);
    const bytes = Buffer.alloc(11);
    Buffer.from(samples.buffer).copy(bytes, 1);
    const reader: PcmReader = async (offset, length) => bytes.subarray(1 + offset, 1 + offset + length);
    const solo = createSoloWav({ sampleRate: 8000, party: { reader, pcmBytes: 10 } });
    const file = await solo.render(0, solo.totalBytes - 1);
    expect([...readWavSamples(file, parseWav(file))]).toEqual([...samples]);
  });

  it('rejects unsatisfiable ranges', async () => {
    const m = mix();
    for (const [s, e] of [
      [-1, 5],
      [5, 4],
      [0, m.totalBytes],
      [1.5, 7],
    ]) {
      await expect(m.render(s!, e!)).rejects.toSatisfy((err: unknown) => err instanceof DomainError && err.code === 'VALIDATION_FAILED');
    }
  });

  it('fails with TRUNCATED_AUDIO naming the stream when a reader returns less than it should', async () => {
    const short: PcmReader = async (_o, length) => new Uint8Array(Math.max(0, length - 2));
    const m = createStereoMix({ sampleRate: 8000, parties: [{ reader: short, pcmBytes: 800, side: 'calling', label: 'stream s-42' }] });
    await expectMediaError(() => m.render(44, 100), 'VALIDATION_FAILED', 'TRUNCATED_AUDIO', /stream s-42/);
  });
});

describe('solo and per-party layouts', () => {
  it('solo passes one party through unchanged as mono WAV, on the mix timeline', async () => {
    const p = synthSpeechLike(400, 8000, 4);
    const solo = createSoloWav({ sampleRate: 8000, party: { ...int16Source(p), startOffsetSamples: 100 }, frames: p.length + 300 });
    const file = await solo.render(0, solo.totalBytes - 1);
    const info = parseWav(file);
    expect(info).toMatchObject({ channels: 1, sampleRate: 8000, frames: p.length + 300, dataOffset: 44 });
    const s = readWavSamples(file, info);
    expect(s.subarray(0, 100).every((v) => v === 0)).toBe(true);
    expect(s.subarray(100, 100 + p.length)).toEqual(p);
    expect(s.subarray(100 + p.length).every((v) => v === 0)).toBe(true);
    // A range into the data is the same slice of the samples.
    const part = await solo.render(44 + 2 * 150 + 1, 44 + 2 * 250);
    expect(part.equals(Buffer.from(p.buffer, p.byteOffset, p.byteLength).subarray(2 * 50 + 1, 2 * 150 + 1))).toBe(true);
  });

  it('per-party puts each party in its own channel, losslessly', async () => {
    const parties = [synthSpeechLike(300, 16000, 1), synthSpeechLike(250, 16000, 2), synthSpeechLike(310, 16000, 3)];
    const wav = createPerPartyWav({ sampleRate: 16000, parties: parties.map((p) => int16Source(p)) });
    const file = await wav.render(0, wav.totalBytes - 1);
    const info = parseWav(file);
    expect(info).toMatchObject({ channels: 3, sampleRate: 16000, dataOffset: 68, frames: parties[2]!.length });
    const channels = splitChannels(readWavSamples(file, info), 3);
    parties.forEach((p, i) => {
      expect(channels[i]!.subarray(0, p.length)).toEqual(p);
      expect(channels[i]!.subarray(p.length).every((v) => v === 0)).toBe(true);
    });
  });

  it('validates the gain matrix', () => {
    expect(() => createRangedWav({ sampleRate: 8000, channels: 2, sources: [{ ...int16Source(new Int16Array(4)), gains: [1] }] })).toThrow(/2 finite gains/);
  });
});
