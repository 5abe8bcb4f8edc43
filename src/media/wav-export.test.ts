import { describe, expect, it } from 'vitest';
import { splitChannels } from './channels.ts';
import { decodeToPcm16 } from './decode.ts';
import { int16Source, type MixParty } from './mix.ts';
import { exportSegmentWav, segmentWavFilename } from './wav-export.ts';
import { synthSpeechLike } from './wav-write.ts';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of stream) parts.push(b);
  return Buffer.concat(parts);
}

const calling = synthSpeechLike(1200, 8000, 1);
const called = synthSpeechLike(1000, 8000, 2);
const parties: MixParty[] = [
  { ...int16Source(calling), side: 'calling' },
  { ...int16Source(called), side: 'called', startOffsetSamples: 800 },
];

describe('segment WAV download', () => {
  it('is named after the contact', () => {
    expect(segmentWavFilename('C-2024-0001')).toBe('C-2024-0001.wav');
    expect(segmentWavFilename('a/b\\c"d\r\n')).toBe('a_b_c_d_.wav');
    expect(segmentWavFilename('')).toBe('audio.wav');
  });

  it('streams the stereo mix as a WAV whose size is known up front', async () => {
    const exp = exportSegmentWav({ contactId: 'k-1', sampleRate: 8000, parties });
    expect(exp).toMatchObject({ filename: 'k-1.wav', contentType: 'audio/wav' });
    const file = await collect(exp.body({ blockFrames: 1000 }));
    expect(file.length).toBe(exp.totalBytes);
    const decoded = await decodeToPcm16(file, exp.filename);
    expect(decoded).toMatchObject({ sampleRate: 8000, channels: 2 });
    const [left, right] = splitChannels(decoded.samples, 2);
    expect(left!.length).toBe(Math.max(calling.length, called.length + 800));
    // Before the called party starts: calling at 100 % left and 60 % right.
    for (const i of [0, 100, 799]) {
      expect(left![i]).toBe(calling[i]);
      expect(right![i]).toBe(Math.round(calling[i]! * 0.6));
    }
    // Both together.
    for (const i of [800, 5000, 8799]) {
      expect(left![i]).toBe(Math.max(-32768, Math.min(32767, Math.round(calling[i]! + 0.6 * called[i - 800]!))));
      expect(right![i]).toBe(Math.max(-32768, Math.min(32767, Math.round(0.6 * calling[i]! + called[i - 800]!))));
    }
    // A resumed download (Range) gets the rest of the same file.
    const tail = await exp.wav.render(12345, exp.totalBytes - 1);
    expect(tail.equals(file.subarray(12345))).toBe(true);
  });

  it('keeps each party in its own channel, unchanged, in the per-party layout', async () => {
    const exp = exportSegmentWav({ contactId: 'k-2', sampleRate: 8000, parties, layout: 'per-party' });
    const decoded = await decodeToPcm16(await collect(exp.body()), exp.filename);
    expect(decoded.channels).toBe(2);
    const [a, b] = splitChannels(decoded.samples, 2);
    expect(a!.subarray(0, calling.length)).toEqual(calling);
    expect(b!.subarray(0, 800).every((v) => v === 0)).toBe(true);
    expect(b!.subarray(800, 800 + called.length)).toEqual(called);
  });

  it('refuses a segment without parties', () => {
    expect(() => exportSegmentWav({ contactId: 'k', sampleRate: 8000, parties: [] })).toThrow(/at least one party/);
  });
});
