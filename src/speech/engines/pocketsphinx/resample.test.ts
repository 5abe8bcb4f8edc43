import { describe, expect, it } from 'vitest';
import { resamplePcm } from './resample.ts';

function sine(freq: number, rate: number, seconds: number, amp = 10000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Amplitude of one frequency in a signal (a single DFT bin over the middle, away from the edges). */
function amplitudeAt(x: Int16Array, rate: number, freq: number): number {
  const a = Math.floor(x.length * 0.25);
  const b = Math.floor(x.length * 0.75);
  let re = 0;
  let im = 0;
  for (let i = a; i < b; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * freq * i) / rate);
    im += x[i]! * Math.sin((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (b - a);
}

describe('resamplePcm', () => {
  it('upsamples 8 kHz telephone audio to 16 kHz keeping the tone and its level', () => {
    const x = sine(1000, 8000, 0.5);
    const y = resamplePcm(x, 8000, 16000);
    expect(y.length).toBe(8000);
    expect(amplitudeAt(y, 16000, 1000)).toBeGreaterThan(9800);
    expect(amplitudeAt(y, 16000, 1000)).toBeLessThan(10200);
  });

  it('leaves no image of the tone above the old Nyquist frequency (a naive upsampler puts one at 7 kHz)', () => {
    const x = sine(1000, 8000, 0.5);
    const y = resamplePcm(x, 8000, 16000);
    expect(amplitudeAt(y, 16000, 7000)).toBeLessThan(10); // -60 dB
    // Zero-order hold (repeat each sample) for contrast: a strong image.
    const zoh = new Int16Array(x.length * 2);
    for (let i = 0; i < x.length; i++) zoh[2 * i] = zoh[2 * i + 1] = x[i]!;
    expect(amplitudeAt(zoh, 16000, 7000)).toBeGreaterThan(1000);
  });

  it('downsamples 44.1 kHz to 16 kHz, removing what the new rate cannot hold', () => {
    const x = sine(3000, 44100, 0.5);
    const alias = sine(12000, 44100, 0.5); // would fold to 4 kHz
    const mix = new Int16Array(x.length);
    for (let i = 0; i < x.length; i++) mix[i] = (x[i]! + alias[i]!) >> 1;
    const y = resamplePcm(mix, 44100, 16000);
    expect(Math.abs(y.length - 8000)).toBeLessThanOrEqual(1);
    expect(amplitudeAt(y, 16000, 3000)).toBeGreaterThan(4800);
    expect(amplitudeAt(y, 16000, 4000)).toBeLessThan(10);
  });

  it('copies when the rates are equal and rejects bad rates', () => {
    const x = sine(500, 16000, 0.1);
    const y = resamplePcm(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resamplePcm(x, 0, 16000)).toThrow(RangeError);
  });

  it('handles an odd ratio without a phase table and clips instead of wrapping', () => {
    const x = new Int16Array(2000).fill(32767);
    const y = resamplePcm(x, 7919, 16000); // prime: 16000 phases, taps computed on the fly
    expect(y.length).toBe(Math.floor((2000 * 16000) / 7919));
    for (const v of y.subarray(100, y.length - 100)) expect(v).toBeGreaterThan(32000);
  });
});
