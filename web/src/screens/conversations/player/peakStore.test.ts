import { describe, expect, it } from 'vitest';
import { computePeaks, encodePeakSlice, slicePeaks } from '../../../../../src/media/peaks.ts';
import type { MediaPartyStream } from '../../../api/media.ts';
import { PeakStore } from './peakStore.ts';

// 10 s at 8 kHz: quiet for 5 s, then loud.
const samples = new Int16Array(80_000);
for (let i = 0; i < samples.length; i++) samples[i] = Math.round(Math.sin(i / 5) * (i < 40_000 ? 1000 : 20_000));
const peaks = computePeaks(samples, 8000);

/** Answers like GET …/peaks: the coarsest level whole without a query, else the asked level and window. */
function server(log: string[]) {
  return async (url: string): Promise<ArrayBuffer> => {
    log.push(url);
    const q = new URL(url, 'http://x').searchParams;
    const level = q.has('level') ? Number(q.get('level')) : peaks.levels.length - 1;
    const buf = encodePeakSlice(slicePeaks(peaks, level, Number(q.get('startMs') ?? 0), Number(q.get('endMs') ?? 10_000)));
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
}

const stream: MediaPartyStream = {
  id: 's1',
  party: 'cust',
  participantId: null,
  role: 'customer',
  side: 'calling',
  name: null,
  status: 'ok',
  reason: null,
  sampleRate: 8000,
  durationMs: 10_000,
  talkMs: 0,
  soloUrl: null,
  peaksUrl: '/peaks/s1',
  peaks: {
    sampleRate: 8000,
    totalSamples: 80_000,
    levels: peaks.levels.map((l) => ({ samplesPerBucket: l.samplesPerBucket, bucketCount: l.data.length / 2 })),
  },
};

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PeakStore', () => {
  it('loads the overview first, then the finer chunks in view, and draws from the finest it has', async () => {
    const log: string[] = [];
    const store = new PeakStore(server(log));
    let changes = 0;
    store.subscribe(() => changes++);

    store.request(stream, 0, 6000, 6100);
    expect(log).toEqual(['/peaks/s1']);
    expect(store.minMax('s1', 0, 6000, 6004)).toBeNull();
    await settle();
    expect(changes).toBe(1);
    expect(store.ready('s1')).toBe(true);
    // The overview already answers (coarse), before the finer level arrives.
    const coarse = store.minMax('s1', 0, 6000, 6004)!;
    expect(coarse[1]).toBeGreaterThan(60);

    store.request(stream, 0, 6000, 6100);
    expect(log[1]).toMatch(/^\/peaks\/s1\?level=0&startMs=0&endMs=16384$/);
    store.request(stream, 0, 6000, 6100); // already on its way: not asked twice
    expect(log.length).toBe(2);
    await settle();
    const fine = slicePeaks(peaks, 0, 6000, 6004).data;
    expect(store.minMax('s1', 0, 6000, 6004)).toEqual([fine[0], fine[1]]);
    // The quiet first half is quiet at every level.
    expect(Math.abs(store.minMax('s1', 0, 1000, 1004)![1])).toBeLessThan(5);
    // Gain: 127 / the loudest overview value.
    expect(store.gain('s1')).toBeCloseTo(127 / 79, 1);
    expect(store.minMax('s1', 0, 20_000, 20_004)).toBeNull();
  });

  it('records a failure once and stops asking', async () => {
    let calls = 0;
    const store = new PeakStore(async () => {
      calls++;
      throw new Error('HTTP 500');
    });
    store.request(stream, 0, 0, 100);
    await settle();
    expect(store.error).toBeInstanceOf(Error);
    store.request(stream, 0, 0, 100);
    expect(calls).toBe(1);
  });
});
