import { describe, expect, it } from 'vitest';
// The slice the browser decodes (peaks-format.ts, no Buffer) against what the server encodes (peaks.ts).
import { computePeaks, encodePeakSlice, slicePeaks } from './peaks.ts';
import { decodePeakSlice } from './peaks-format.ts';

/** A second of a rising 8 kHz ramp with a loud burst, so every level has distinct values. */
function samples(): Int16Array {
  const s = new Int16Array(8000);
  for (let i = 0; i < s.length; i++) s[i] = Math.round(Math.sin(i / 7) * (i < 4000 ? 2000 : 30000));
  return s;
}

describe('decodePeakSlice (as the browser reads it)', () => {
  it('round-trips what the server encodes, at every level and window', () => {
    const peaks = computePeaks(samples(), 8000);
    for (let level = 0; level < peaks.levels.length; level++) {
      for (const [start, end] of [
        [0, 1000],
        [250, 700],
        [999, 1000],
      ] as const) {
        const slice = slicePeaks(peaks, level, start, end);
        const wire = encodePeakSlice(slice);
        // As the browser gets it: an ArrayBuffer of exactly the body.
        const body = wire.buffer.slice(wire.byteOffset, wire.byteOffset + wire.byteLength) as ArrayBuffer;
        const decoded = decodePeakSlice(body);
        expect(decoded.level).toBe(level);
        expect(decoded.sampleRate).toBe(8000);
        expect(decoded.samplesPerBucket).toBe(slice.samplesPerBucket);
        expect(decoded.firstBucket).toBe(slice.firstBucket);
        expect(decoded.startMs).toBeCloseTo(slice.startMs, 9);
        expect([...decoded.data]).toEqual([...slice.data]);
      }
    }
  });

  it('reads a view into a larger buffer (offset Uint8Array) and an empty slice', () => {
    const peaks = computePeaks(samples(), 8000);
    const wire = encodePeakSlice(slicePeaks(peaks, 1, 100, 200));
    const padded = new Uint8Array(wire.length + 7);
    padded.set(wire, 5);
    const decoded = decodePeakSlice(padded.subarray(5, 5 + wire.length));
    expect([...decoded.data]).toEqual([...slicePeaks(peaks, 1, 100, 200).data]);
    expect(decodePeakSlice(encodePeakSlice(slicePeaks(peaks, 0, 2000, 3000))).data.length).toBe(0);
  });

  it('refuses what is not a slice', () => {
    expect(() => decodePeakSlice(new Uint8Array(10))).toThrow(/magic/);
    const wire = new Uint8Array(encodePeakSlice(slicePeaks(computePeaks(samples(), 8000), 0, 0, 10)));
    wire[4] = 9;
    expect(() => decodePeakSlice(wire)).toThrow(/version/);
    expect(() => decodePeakSlice(new Uint8Array([...wire.subarray(0, 4), 1, 0, 0, 0, ...new Array(12).fill(1), 5]))).toThrow(/odd/);
  });
});
