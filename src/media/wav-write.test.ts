import { describe, expect, it } from 'vitest';
import { decodeToPcm16, probeAudio } from './decode.ts';
import { alawToPcm16, mulawToPcm16, pcm16ToAlaw, pcm16ToMulaw } from './g711.ts';
import { interleave } from './channels.ts';
import { encodeWav, seededRandom, synthSpeechLike } from './wav-write.ts';
import { parseWav } from './wav.ts';

/** What a 16-bit sample becomes after a trip through each stored format. */
const expectedAfter: Record<string, (s: Int16Array) => Int16Array> = {
  pcm16: (s) => s,
  pcm24: (s) => s,
  pcm8: (s) => s.map((x) => (x >> 8) << 8),
  mulaw: (s) => mulawToPcm16(pcm16ToMulaw(s)),
  alaw: (s) => alawToPcm16(pcm16ToAlaw(s)),
};

const cases = [
  { name: 'pcm16', format: 'pcm', bits: 16, codec: 'pcm_s16le' },
  { name: 'pcm24', format: 'pcm', bits: 24, codec: 'pcm_s24le' },
  { name: 'pcm8', format: 'pcm', bits: 8, codec: 'pcm_u8' },
  { name: 'mulaw', format: 'mulaw', bits: 8, codec: 'pcm_mulaw' },
  { name: 'alaw', format: 'alaw', bits: 8, codec: 'pcm_alaw' },
] as const;

describe('encodeWav -> parseWav -> decodeToPcm16 round trips', () => {
  for (const c of cases) {
    for (const channels of [1, 2, 3]) {
      it(`${c.name}, ${channels} channel(s)`, async () => {
        // An odd frame count makes 8-bit mono data odd-sized, which exercises the pad byte.
        const perChannel = Array.from({ length: channels }, (_, k) => synthSpeechLike(1001 / 8, 8000, 10 + k));
        perChannel[0]![0] = -32768;
        perChannel[0]![1] = 32767;
        const samples = interleave(perChannel);
        const wav = encodeWav({ sampleRate: 8000, channels, samples, format: c.format, bitsPerSample: c.format === 'pcm' ? c.bits : undefined });
        const info = parseWav(wav, `${c.name}.wav`);
        expect(info).toMatchObject({ format: c.format, bitsPerSample: c.bits, channels, sampleRate: 8000, frames: 1001, durationMs: 125 });
        expect(wav.length % 2).toBe(0);
        expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
        const decoded = await decodeToPcm16(wav, `${c.name}.wav`);
        expect(decoded).toMatchObject({ sampleRate: 8000, channels, durationMs: 125 });
        expect(decoded.samples).toEqual(expectedAfter[c.name]!(samples));
        expect(await probeAudio(wav, `${c.name}.wav`)).toEqual({ container: 'wav', codec: c.codec, sampleRate: 8000, channels, durationMs: 125 });
      });
    }
  }

  it('writes WAVE_FORMAT_EXTENSIBLE on request and for more than 2 channels, and a fact chunk for G.711', () => {
    const s = new Int16Array(20);
    expect(encodeWav({ sampleRate: 8000, channels: 1, samples: s }).readUInt16LE(20)).toBe(1);
    expect(encodeWav({ sampleRate: 8000, channels: 1, samples: s, extensible: true }).readUInt16LE(20)).toBe(0xfffe);
    expect(encodeWav({ sampleRate: 8000, channels: 4, samples: s }).readUInt16LE(20)).toBe(0xfffe);
    const mulaw = encodeWav({ sampleRate: 8000, channels: 2, samples: s, format: 'mulaw' });
    expect(mulaw.readUInt16LE(20)).toBe(7);
    expect(mulaw.toString('latin1', 38, 42)).toBe('fact');
    expect(mulaw.readUInt32LE(46)).toBe(10);
  });

  it('rejects inconsistent input', () => {
    expect(() => encodeWav({ sampleRate: 8000, channels: 2, samples: new Int16Array(3) })).toThrow(/do not divide/);
    expect(() => encodeWav({ sampleRate: 8000, channels: 0, samples: new Int16Array(2) })).toThrow(RangeError);
    expect(() => encodeWav({ sampleRate: 0, channels: 1, samples: new Int16Array(2) })).toThrow(RangeError);
  });
});

describe('synthSpeechLike', () => {
  it('is deterministic per seed', () => {
    expect(synthSpeechLike(2000, 8000, 42)).toEqual(synthSpeechLike(2000, 8000, 42));
    expect(synthSpeechLike(2000, 8000, 42)).not.toEqual(synthSpeechLike(2000, 8000, 43));
    expect(synthSpeechLike(1000, 16000, 1).length).toBe(16000);
    expect(synthSpeechLike(0, 8000, 1).length).toBe(0);
  });

  it('has speech-like bursts and pauses over a noise floor that is never digital zero', () => {
    const x = synthSpeechLike(20_000, 8000, 3);
    const frame = 160; // 20 ms
    const levels: number[] = [];
    for (let i = 0; i + frame <= x.length; i += frame) {
      let e = 0;
      for (let k = i; k < i + frame; k++) e += x[k]! ** 2;
      levels.push(Math.sqrt(e / frame));
    }
    const loud = levels.filter((l) => l > 500).length / levels.length;
    const quiet = levels.filter((l) => l < 50).length / levels.length;
    expect(loud).toBeGreaterThan(0.2);
    expect(quiet).toBeGreaterThan(0.1);
    expect(Math.min(...levels)).toBeGreaterThan(0);
    expect(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThan(32767);
  });

  it('seededRandom is a stable stream', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const xs = Array.from({ length: 5 }, a);
    expect(xs).toEqual(Array.from({ length: 5 }, b));
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});
