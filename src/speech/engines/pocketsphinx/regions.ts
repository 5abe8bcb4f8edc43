// Which stretches of a party's audio go to the decoder: the voice-activity regions, padded a little (the VAD trims
// soft word onsets and releases), merged when the padding makes them touch, and split when very long (a decoder
// utterance holds its whole lattice in memory). Pure, so it is tested without pocketsphinx.

import type { SpeechRegion } from '../../model.ts';

export interface DecodeRegion {
  startMs: number;
  endMs: number;
}

export interface RegionOptions {
  /** Added before and after each VAD region. */
  padMs?: number;
  /** Regions closer than this after padding are decoded as one (short pauses inside a sentence). */
  mergeGapMs?: number;
  /** Longer regions are cut into pieces of at most this length. */
  maxMs?: number;
  /** Regions shorter than this (after padding) are dropped: clicks and breaths, not words. */
  minMs?: number;
}

export const REGION_DEFAULTS: Required<RegionOptions> = { padMs: 250, mergeGapMs: 150, maxMs: 30_000, minMs: 200 };

export function decodeRegions(speech: readonly SpeechRegion[], durationMs: number, options: RegionOptions = {}): DecodeRegion[] {
  const o = { ...REGION_DEFAULTS, ...options };
  const sorted = speech
    .filter((r) => Number.isFinite(r.startMs) && Number.isFinite(r.endMs) && r.endMs > r.startMs)
    .map((r) => ({ startMs: Math.max(0, r.startMs - o.padMs), endMs: Math.min(durationMs, r.endMs + o.padMs) }))
    .filter((r) => r.endMs > r.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: DecodeRegion[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.startMs - last.endMs <= o.mergeGapMs) last.endMs = Math.max(last.endMs, r.endMs);
    else merged.push({ ...r });
  }
  const out: DecodeRegion[] = [];
  for (const r of merged) {
    if (r.endMs - r.startMs < o.minMs) continue;
    const pieces = Math.ceil((r.endMs - r.startMs) / o.maxMs);
    const len = (r.endMs - r.startMs) / pieces;
    for (let i = 0; i < pieces; i++)
      out.push({ startMs: Math.round(r.startMs + i * len), endMs: Math.round(i === pieces - 1 ? r.endMs : r.startMs + (i + 1) * len) });
  }
  return out;
}
