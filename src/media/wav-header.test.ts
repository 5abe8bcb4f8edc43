import { describe, expect, it } from 'vitest';
import { wavHeader, WAV_HEADER_BYTES } from './wav-header.ts';
import { encodeWav, synthSpeechLike } from './wav-write.ts';
import { parseWav } from './wav.ts';

describe('wavHeader', () => {
  it('is byte for byte the header encodeWav writes for the same samples', () => {
    for (const channels of [1, 2]) {
      const samples = synthSpeechLike(50, 8000, channels).subarray(0, 400 - (400 % channels));
      const full = encodeWav({ sampleRate: 8000, channels, samples });
      const header = wavHeader({ sampleRate: 8000, channels, bitsPerSample: 16, dataBytes: samples.length * 2 });
      expect(header.length).toBe(WAV_HEADER_BYTES);
      expect(header).toEqual(full.subarray(0, WAV_HEADER_BYTES));
    }
  });

  it('parses back as the file it announces, before any sample exists', () => {
    const dataBytes = 2 * 60 * 60 * 8000 * 4; // two hours of 8 kHz stereo
    const header = wavHeader({ sampleRate: 8000, channels: 2, bitsPerSample: 16, dataBytes });
    const info = parseWav(header, 'mix.wav', header.length + dataBytes);
    expect(info).toMatchObject({ format: 'pcm', sampleRate: 8000, channels: 2, bitsPerSample: 16, dataOffset: 44, dataBytes, blockAlign: 4 });
    expect(info.durationMs).toBe(2 * 60 * 60 * 1000);
  });

  it('uses WAVE_FORMAT_EXTENSIBLE above two channels, with the sizes at the end of the header', () => {
    const header = wavHeader({ sampleRate: 16000, channels: 3, bitsPerSample: 16, dataBytes: 600 });
    expect(header.length).toBe(68);
    expect(header.readUInt32LE(4)).toBe(68 - 8 + 600);
    expect(header.readUInt32LE(64)).toBe(600);
    expect(parseWav(header, 'x.wav', 68 + 600)).toMatchObject({ channels: 3, frames: 100, dataOffset: 68 });
  });

  it('rejects sizes that are not whole frames or do not fit in RIFF', () => {
    expect(() => wavHeader({ sampleRate: 8000, channels: 2, bitsPerSample: 16, dataBytes: 6 })).toThrow(/whole number of 4-byte frames/);
    expect(() => wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: 2 ** 32 })).toThrow(/4 GiB/);
    expect(() => wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: -2 })).toThrow(RangeError);
  });
});
