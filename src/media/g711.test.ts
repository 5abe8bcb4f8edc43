import { describe, expect, it } from 'vitest';
import {
  ALAW_TO_PCM16,
  MULAW_TO_PCM16,
  alawDecodeSample,
  alawEncodeSample,
  alawToPcm16,
  mulawDecodeSample,
  mulawEncodeSample,
  mulawToPcm16,
  pcm16ToAlaw,
  pcm16ToMulaw,
} from './g711.ts';
import { synthSpeechLike } from './wav-write.ts';

const allInt16 = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const allCodes = Uint8Array.from({ length: 256 }, (_, i) => i);

function snrDb(ref: Int16Array, test: Int16Array): number {
  let sig = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    sig += ref[i]! ** 2;
    err += (ref[i]! - test[i]!) ** 2;
  }
  return 10 * Math.log10(sig / err);
}

describe('G.711 mu-law', () => {
  it('decodes the reference values', () => {
    expect(mulawDecodeSample(0xff)).toBe(0);
    expect(mulawDecodeSample(0x7f)).toBe(0);
    expect(mulawDecodeSample(0x00)).toBe(-32124);
    expect(mulawDecodeSample(0x80)).toBe(32124);
    expect(mulawDecodeSample(0xfe)).toBe(8);
    expect(mulawEncodeSample(0)).toBe(0xff);
    expect(mulawEncodeSample(32767)).toBe(0x80);
    expect(mulawEncodeSample(-32768)).toBe(0x00);
  });

  it('re-encodes every decoded code to itself (0x7F, negative zero, becomes 0xFF)', () => {
    for (let c = 0; c < 256; c++) expect(mulawEncodeSample(MULAW_TO_PCM16[c]!)).toBe(c === 0x7f ? 0xff : c);
  });

  it('table encoding equals the reference algorithm for every 16-bit value, and decoding is monotonic', () => {
    const enc = pcm16ToMulaw(allInt16);
    expect(Array.from(allInt16, (x, i) => enc[i] === mulawEncodeSample(x)).every(Boolean)).toBe(true);
    const dec = mulawToPcm16(enc);
    expect(dec.every((v, i) => i === 0 || v >= dec[i - 1]!)).toBe(true);
    expect(mulawToPcm16(allCodes)).toEqual(MULAW_TO_PCM16);
  });

  it('keeps speech at telephone quality (SNR > 30 dB)', () => {
    const x = synthSpeechLike(3000, 8000, 7);
    expect(snrDb(x, mulawToPcm16(pcm16ToMulaw(x)))).toBeGreaterThan(30);
  });
});

describe('G.711 A-law', () => {
  it('decodes the reference values', () => {
    expect(alawDecodeSample(0xd5)).toBe(8);
    expect(alawDecodeSample(0x55)).toBe(-8);
    expect(alawDecodeSample(0xaa)).toBe(32256);
    expect(alawDecodeSample(0x2a)).toBe(-32256);
    expect(alawEncodeSample(0)).toBe(0xd5);
    expect(alawEncodeSample(32767)).toBe(0xaa);
    expect(alawEncodeSample(-32768)).toBe(0x2a);
  });

  it('re-encodes every decoded code to itself', () => {
    for (let c = 0; c < 256; c++) expect(alawEncodeSample(ALAW_TO_PCM16[c]!)).toBe(c);
  });

  it('table encoding equals the reference algorithm for every 16-bit value, and decoding is monotonic', () => {
    const enc = pcm16ToAlaw(allInt16);
    expect(Array.from(allInt16, (x, i) => enc[i] === alawEncodeSample(x)).every(Boolean)).toBe(true);
    const dec = alawToPcm16(enc);
    expect(dec.every((v, i) => i === 0 || v >= dec[i - 1]!)).toBe(true);
    expect(alawToPcm16(allCodes)).toEqual(ALAW_TO_PCM16);
  });

  it('keeps speech at telephone quality (SNR > 30 dB)', () => {
    const x = synthSpeechLike(3000, 8000, 8);
    expect(snrDb(x, alawToPcm16(pcm16ToAlaw(x)))).toBeGreaterThan(30);
  });
});

describe('G.711 buffers', () => {
  it('decodes into a given destination and refuses one that is too small', () => {
    const dst = new Int16Array(4);
    expect(mulawToPcm16(Uint8Array.of(0xff, 0x80), dst)).toBe(dst);
    expect(Array.from(dst)).toEqual([0, 32124, 0, 0]);
    expect(() => alawToPcm16(new Uint8Array(5), dst)).toThrow(RangeError);
  });

  it('decodes an hour of 8 kHz mono', () => {
    const hour = new Uint8Array(8000 * 3600).map((_, i) => i & 0xff);
    const pcm = mulawToPcm16(hour);
    expect(pcm.length).toBe(hour.length);
  });
});
