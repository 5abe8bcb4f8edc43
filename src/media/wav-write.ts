// WAV encoding (PCM 8/16/24-bit, G.711 mu-law and A-law) and a deterministic speech-like signal generator for
// generated fixtures and demo data.
import { pcm16ToAlaw, pcm16ToMulaw } from './g711.ts';
import { MAX_CHANNELS, WAVE_FORMAT, type WavFormat } from './wav.ts';
import { seededRandom } from '../platform/random.ts';

export interface EncodeWavInput {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples; length must be a multiple of `channels`. */
  samples: Int16Array;
  /** Default 'pcm'. */
  format?: WavFormat;
  /** PCM only: 8 (unsigned), 16 (default) or 24. G.711 is always 8. */
  bitsPerSample?: 8 | 16 | 24;
  /** Write WAVE_FORMAT_EXTENSIBLE (default: only for more than 2 channels, as the WAVE spec recommends). */
  extensible?: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The sub-format GUID of WAVE_FORMAT_EXTENSIBLE for a classic format tag. */
function subFormatGuid(tag: number): Buffer {
  const g = Buffer.from([0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);
  g.writeUInt32LE(tag, 0);
  return g;
}

/** Encodes interleaved 16-bit samples as a complete WAV file. */
export function encodeWav(input: EncodeWavInput): Buffer {
  const { sampleRate, channels, samples } = input;
  const format = input.format ?? 'pcm';
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new RangeError(`channels must be an integer from 1 to ${MAX_CHANNELS} (got ${channels})`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) {
    throw new RangeError(`sampleRate must be a positive integer (got ${sampleRate})`);
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} samples do not divide into ${channels} channels`);
  }
  const bits = format === 'pcm' ? (input.bitsPerSample ?? 16) : 8;
  if (bits !== 8 && bits !== 16 && bits !== 24) throw new RangeError(`bitsPerSample must be 8, 16 or 24 (got ${bits})`);
  const tag = format === 'pcm' ? WAVE_FORMAT.PCM : format === 'mulaw' ? WAVE_FORMAT.MULAW : WAVE_FORMAT.ALAW;
  const extensible = input.extensible ?? channels > 2;
  const bytesPerSample = bits >> 3;
  const blockAlign = channels * bytesPerSample;
  const frames = samples.length / channels;
  const dataBytes = samples.length * bytesPerSample;
  if (dataBytes > 0xffffffff - 100) throw new RangeError('audio too long for a WAV file (4 GiB limit)');

  // fmt: 16 bytes for PCM, 18 (cbSize = 0) for other tags, 40 for EXTENSIBLE; non-PCM files carry a fact chunk.
  const fmtSize = extensible ? 40 : format === 'pcm' ? 16 : 18;
  const factSize = format === 'pcm' ? 0 : 12;
  const pad = dataBytes & 1;
  const total = 12 + 8 + fmtSize + factSize + 8 + dataBytes + pad;
  const out = Buffer.alloc(total);
  let o = 0;
  o += out.write('RIFF', o, 'latin1');
  o = out.writeUInt32LE(total - 8, o);
  o += out.write('WAVE', o, 'latin1');
  o += out.write('fmt ', o, 'latin1');
  o = out.writeUInt32LE(fmtSize, o);
  o = out.writeUInt16LE(extensible ? WAVE_FORMAT.EXTENSIBLE : tag, o);
  o = out.writeUInt16LE(channels, o);
  o = out.writeUInt32LE(sampleRate, o);
  o = out.writeUInt32LE(sampleRate * blockAlign, o);
  o = out.writeUInt16LE(blockAlign, o);
  o = out.writeUInt16LE(bits, o);
  if (extensible) {
    o = out.writeUInt16LE(22, o); // cbSize
    o = out.writeUInt16LE(bits, o); // valid bits per sample
    o = out.writeUInt32LE(0, o); // channel mask: no speaker positions (call legs, not loudspeakers)
    o += subFormatGuid(tag).copy(out, o);
  } else if (format !== 'pcm') {
    o = out.writeUInt16LE(0, o); // cbSize
  }
  if (factSize) {
    o += out.write('fact', o, 'latin1');
    o = out.writeUInt32LE(4, o);
    o = out.writeUInt32LE(frames, o);
  }
  o += out.write('data', o, 'latin1');
  o = out.writeUInt32LE(dataBytes, o);
  const data = out.subarray(o, o + dataBytes);
  const n = samples.length;
  if (format === 'mulaw') {
    pcm16ToMulaw(samples, data);
  } else if (format === 'alaw') {
    pcm16ToAlaw(samples, data);
  } else if (bits === 16) {
    if (LITTLE_ENDIAN) Buffer.from(samples.buffer, samples.byteOffset, n * 2).copy(data);
    else for (let i = 0; i < n; i++) data.writeInt16LE(samples[i]!, i * 2);
  } else if (bits === 8) {
    for (let i = 0; i < n; i++) data[i] = (samples[i]! >> 8) + 128;
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const s = samples[i]!;
      data[j] = 0;
      data[j + 1] = s & 0xff;
      data[j + 2] = (s >> 8) & 0xff;
    }
  }
  return out;
}

// The PRNG lives in src/platform/random.ts; re-exported here for the media tests and the demo that import it with
// the synthetic signals.
export { seededRandom };

/**
 * A deterministic mono signal that looks like speech to level meters, voice activity detection and codecs:
 * "syllables" of 80-280 ms (a harmonic series on a wandering pitch of 90-230 Hz, with vowel-like spectral weights
 * and a smooth envelope) separated by short gaps and, every few syllables, a pause of 0.4-1.2 s; low line noise
 * (about -66 dBFS) everywhere so silence is not digital zero. Same arguments, same samples.
 */
export function synthSpeechLike(durationMs: number, sampleRate = 8000, seed = 1): Int16Array {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw new RangeError(`durationMs must be >= 0 (got ${durationMs})`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sampleRate must be a positive integer (got ${sampleRate})`);
  const n = Math.round((durationMs * sampleRate) / 1000);
  const out = new Int16Array(n);
  const rnd = seededRandom(seed);
  const basePitch = 90 + rnd() * 140;
  const nyquist = sampleRate / 2;
  const TWO_PI = 2 * Math.PI;
  let i = 0;
  let syllablesLeft = 2 + Math.floor(rnd() * 6);
  // Start with a short lead-in of line noise.
  let gap = Math.round(sampleRate * (0.05 + rnd() * 0.2));
  while (i < n) {
    for (const end = Math.min(n, i + gap); i < end; i++) out[i] = Math.round((rnd() - 0.5) * 32);
    if (i >= n) break;
    const len = Math.round(sampleRate * (0.08 + rnd() * 0.2));
    const f0Start = basePitch * (0.85 + rnd() * 0.3);
    const f0End = f0Start * (0.85 + rnd() * 0.3);
    const amp = 3000 + rnd() * 9000;
    // Vowel-like weights for up to 12 harmonics: a peak near a random "formant".
    const formant = 300 + rnd() * 2200;
    const weights: number[] = [];
    for (let h = 1; h <= 12; h++) {
      const f = f0Start * h;
      weights.push(f < nyquist * 0.8 ? Math.exp(-(((f - formant) / 700) ** 2)) + 0.5 / h : 0);
    }
    const norm = weights.reduce((a, w) => a + w, 0) || 1;
    let phase = 0;
    for (let k = 0; k < len && i < n; k++, i++) {
      const t = k / len;
      const f0 = f0Start + (f0End - f0Start) * t;
      phase += (TWO_PI * f0) / sampleRate;
      if (phase > TWO_PI * 1000) phase -= TWO_PI * 1000;
      let v = 0;
      for (let h = 0; h < weights.length; h++) if (weights[h]) v += weights[h]! * Math.sin(phase * (h + 1));
      const env = Math.sin(Math.PI * t) ** 1.5;
      out[i] = Math.max(-32768, Math.min(32767, Math.round((amp * env * v) / norm + (rnd() - 0.5) * 32)));
    }
    if (--syllablesLeft > 0) {
      gap = Math.round(sampleRate * (0.02 + rnd() * 0.12));
    } else {
      syllablesLeft = 2 + Math.floor(rnd() * 6);
      gap = Math.round(sampleRate * (0.4 + rnd() * 0.8));
    }
  }
  return out;
}
