// The peaks the waveforms are drawn from, fetched as they come into view: per stream the coarsest level for the
// whole stream first (one small response: the overview), then, when zoomed in, chunks of a finer level covering the
// visible window. Drawing uses the finest level already loaded for each pixel, so a zoom shows the overview at once
// and sharpens as the finer chunks arrive.
import type { MediaPartyStream } from '../../../api/media.ts';
import { bucketMs } from './model.ts';
import { decodePeakSlice, type PeakSlice } from '../../../../../src/media/peaks-format.ts';

/** Buckets per fetched chunk: 8 KB of a level, about 8 s at the finest level, 17 min at the next, 2.3 h at the one after. */
export const CHUNK = 4096;

interface LevelData {
  samplesPerBucket: number;
  bucketCount: number;
  /** Interleaved min, max for the whole level, filled chunk by chunk. */
  data: Int8Array;
  loaded: Uint8Array;
  pending: Set<number>;
}

interface StreamEntry {
  url: string;
  sampleRate: number;
  levels: (LevelData | null)[];
  /** The coarsest level (fetched whole), once known. */
  overview: number | null;
  overviewPending: boolean;
  /** Largest |value| in the overview, to scale a quiet stream up. */
  peak: number;
}

export type Fetcher = (url: string) => Promise<ArrayBuffer>;

const defaultFetcher: Fetcher = async (url) => {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.arrayBuffer();
};

export class PeakStore {
  private readonly streams = new Map<string, StreamEntry>();
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  /** Bumped on every change, for useSyncExternalStore. */
  version = 0;
  /** The first failure, if any: the waveform says so while the audio plays on. */
  error: unknown = null;

  constructor(private readonly fetcher: Fetcher = defaultFetcher) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };

  getVersion = () => this.version;

  private notify() {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      this.version++;
      for (const fn of this.listeners) fn();
    });
  }

  private entry(stream: MediaPartyStream): StreamEntry | null {
    if (!stream.peaksUrl) return null;
    let e = this.streams.get(stream.id);
    if (!e) {
      const info = stream.peaks;
      e = {
        url: stream.peaksUrl,
        sampleRate: info?.sampleRate ?? stream.sampleRate,
        levels: (info?.levels ?? []).map(() => null),
        overview: null,
        overviewPending: false,
        peak: 0,
      };
      this.streams.set(stream.id, e);
    }
    return e;
  }

  private levelData(stream: MediaPartyStream, e: StreamEntry, level: number, slice?: PeakSlice): LevelData | null {
    let l = e.levels[level];
    if (l) return l;
    const info = stream.peaks?.levels[level];
    const samplesPerBucket = info?.samplesPerBucket ?? slice?.samplesPerBucket;
    const bucketCount = info?.bucketCount ?? (slice ? slice.firstBucket + slice.data.length / 2 : undefined);
    if (!samplesPerBucket || bucketCount === undefined) return null;
    l = {
      samplesPerBucket,
      bucketCount,
      data: new Int8Array(bucketCount * 2),
      loaded: new Uint8Array(Math.ceil(bucketCount / CHUNK) || 1),
      pending: new Set(),
    };
    e.levels[level] = l;
    return l;
  }

  private store(stream: MediaPartyStream, e: StreamEntry, slice: PeakSlice, wholeLevel: boolean) {
    const l = this.levelData(stream, e, slice.level, slice);
    if (!l) return;
    const room = Math.max(0, Math.min(slice.data.length, l.data.length - slice.firstBucket * 2));
    l.data.set(slice.data.subarray(0, room), slice.firstBucket * 2);
    const first = Math.floor(slice.firstBucket / CHUNK);
    const last = wholeLevel ? l.loaded.length - 1 : Math.floor((slice.firstBucket + room / 2 - 1) / CHUNK);
    // A chunk counts as loaded only when the slice covered it whole (or reached the level's end).
    for (let c = first; c <= last; c++) {
      const start = c * CHUNK;
      const end = Math.min(l.bucketCount, start + CHUNK);
      if (wholeLevel || (slice.firstBucket <= start && slice.firstBucket + room / 2 >= end)) l.loaded[c] = 1;
    }
  }

  private fail(err: unknown) {
    if (!this.error) this.error = err;
    this.notify();
  }

  /** The overview of a stream (its coarsest level, whole). */
  private ensureOverview(stream: MediaPartyStream, e: StreamEntry) {
    if (e.overview !== null || e.overviewPending || this.error) return;
    e.overviewPending = true;
    this.fetcher(e.url)
      .then((buf) => {
        const slice = decodePeakSlice(buf);
        if (!e.sampleRate) e.sampleRate = slice.sampleRate;
        this.store(stream, e, slice, true);
        e.overview = slice.level;
        let peak = 0;
        for (const v of slice.data) peak = Math.max(peak, Math.abs(v));
        e.peak = peak;
        this.notify();
      })
      .catch((err: unknown) => this.fail(err))
      .finally(() => (e.overviewPending = false));
  }

  /** Makes sure what is needed to draw `level` over stream-local [startMs, endMs) is loaded or on its way. */
  request(stream: MediaPartyStream, level: number, startMs: number, endMs: number) {
    const e = this.entry(stream);
    if (!e) return;
    this.ensureOverview(stream, e);
    if (this.error || e.overview === null || level >= e.overview) return;
    const l = this.levelData(stream, e, level);
    if (!l || !e.sampleRate) return;
    const ms = bucketMs(l.samplesPerBucket, e.sampleRate);
    const firstChunk = Math.max(0, Math.floor(startMs / ms / CHUNK));
    const lastChunk = Math.min(l.loaded.length - 1, Math.floor(Math.max(startMs, endMs - 1) / ms / CHUNK));
    for (let c = firstChunk; c <= lastChunk; c++) {
      if (l.loaded[c] || l.pending.has(c)) continue;
      l.pending.add(c);
      const from = Math.floor(c * CHUNK * ms);
      const to = Math.ceil((c + 1) * CHUNK * ms);
      this.fetcher(`${e.url}?level=${level}&startMs=${from}&endMs=${to}`)
        .then((buf) => {
          this.store(stream, e, decodePeakSlice(buf), false);
          // A chunk the slice did not cover whole (rounding at the edges) is taken as loaded: asking again would not help.
          l.loaded[c] = 1;
          this.notify();
        })
        .catch((err: unknown) => this.fail(err))
        .finally(() => l.pending.delete(c));
    }
  }

  /** Whether the stream has anything to draw yet. */
  ready(streamId: string): boolean {
    return this.streams.get(streamId)?.overview != null;
  }

  /** 127 / the loudest value of the overview (at most 8×), so a quiet line still shows. */
  gain(streamId: string): number {
    const peak = this.streams.get(streamId)?.peak ?? 0;
    return 127 / Math.max(16, peak || 127);
  }

  /**
   * Min and max (−128..127) of stream-local [t0, t1) from the finest loaded level at or above `level`, or null when
   * nothing covers it yet. Out of the stream's range: null.
   */
  minMax(streamId: string, level: number, t0: number, t1: number): [number, number] | null {
    const e = this.streams.get(streamId);
    if (!e || e.overview === null || !e.sampleRate) return null;
    for (let L = Math.min(level, e.overview); L <= e.overview; L++) {
      const l = e.levels[L];
      if (!l) continue;
      const ms = bucketMs(l.samplesPerBucket, e.sampleRate);
      const b0 = Math.max(0, Math.floor(t0 / ms));
      const b1 = Math.min(l.bucketCount, Math.max(b0 + 1, Math.ceil(t1 / ms)));
      if (b0 >= l.bucketCount) return null;
      if (!l.loaded[Math.floor(b0 / CHUNK)] || !l.loaded[Math.floor((b1 - 1) / CHUNK)]) continue;
      let mn = 127;
      let mx = -128;
      const d = l.data;
      for (let i = b0 * 2; i < b1 * 2; i += 2) {
        if (d[i]! < mn) mn = d[i]!;
        if (d[i + 1]! > mx) mx = d[i + 1]!;
      }
      return [mn, mx];
    }
    return null;
  }
}
