// Every test call of the shared corpus parses, probes and decodes as its ground truth says.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mixdown } from './channels.ts';
import { decodeToPcm16, probeAudio } from './decode.ts';
import { parseWav } from './wav.ts';

// The harness runs from the repo root; the corpus sits beside the repo.
const CORPUS = path.resolve('..', 'shared/corpus/public');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n!! Test corpus not found at ${CORPUS}: the corpus media tests are skipped\n`);

interface AudioTruth {
  file: string;
  sample_rate: number;
  channels: number;
  encoding: 'pcm_s16le' | 'g711_mulaw';
  duration_s: number;
}
interface Truth {
  call_id: string;
  duration_s: number;
  audio: { stereo: AudioTruth; mono_mulaw: AudioTruth | null };
}

const calls: Truth[] = present
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(CORPUS, f), 'utf8')) as Truth)
  : [];

const CODEC = { pcm_s16le: 'pcm_s16le', g711_mulaw: 'pcm_mulaw' } as const;

describe.skipIf(!present)('corpus', () => {
  it('has the eight public calls, each with its audio', () => {
    expect(calls.length).toBe(8);
    const wavs = readdirSync(CORPUS).filter((f) => f.endsWith('.wav'));
    const described = calls.flatMap((c) => [c.audio.stereo.file, ...(c.audio.mono_mulaw ? [c.audio.mono_mulaw.file] : [])]);
    expect(wavs.sort()).toEqual(described.sort());
  });

  for (const call of calls) {
    const files = [call.audio.stereo, ...(call.audio.mono_mulaw ? [call.audio.mono_mulaw] : [])];
    for (const truth of files) {
      it(`${truth.file}: duration, channels and codec match the ground truth`, async () => {
        const buf = readFileSync(path.join(CORPUS, truth.file));
        const info = parseWav(buf, truth.file);
        expect(info.format).toBe(truth.encoding === 'g711_mulaw' ? 'mulaw' : 'pcm');
        expect(info.channels).toBe(truth.channels);
        expect(info.sampleRate).toBe(truth.sample_rate);
        expect(Math.abs(info.durationMs - call.duration_s * 1000)).toBeLessThanOrEqual(10);
        expect(Math.abs((info.frames / info.sampleRate) * 1000 - truth.duration_s * 1000)).toBeLessThanOrEqual(10);

        const probe = await probeAudio(buf, truth.file);
        expect(probe).toEqual({
          container: 'wav',
          codec: CODEC[truth.encoding],
          sampleRate: truth.sample_rate,
          channels: truth.channels,
          durationMs: info.durationMs,
        });
        const decoded = await decodeToPcm16(buf, truth.file);
        expect(decoded.samples.length).toBe(info.frames * info.channels);
        expect(decoded.durationMs).toBe(info.durationMs);
      });
    }
  }

  for (const call of calls.filter((c) => c.audio.mono_mulaw)) {
    it(`${call.call_id}: the mu-law file is the 0.7*(L+R) mix of the stereo file`, async () => {
      const stereo = await decodeToPcm16(readFileSync(path.join(CORPUS, call.audio.stereo.file)), call.audio.stereo.file);
      const mulaw = await decodeToPcm16(readFileSync(path.join(CORPUS, call.audio.mono_mulaw!.file)), call.audio.mono_mulaw!.file);
      expect(mulaw.channels).toBe(1);
      const mix = mixdown(stereo.samples, 2, { gain: 0.7 });
      expect(Math.abs(mix.length - mulaw.samples.length)).toBeLessThanOrEqual(1);
      const n = Math.min(mix.length, mulaw.samples.length);
      let signal = 0;
      let error = 0;
      for (let i = 0; i < n; i++) {
        signal += mix[i]! ** 2;
        error += (mix[i]! - mulaw.samples[i]!) ** 2;
      }
      const relativeRmsError = Math.sqrt(error / signal);
      // G.711 is good for about 35 dB SNR on speech; a wrong decoder, channel or offset gives an error near 1 or more.
      expect(relativeRmsError).toBeLessThan(0.05);
    });
  }
});
