// Turning one party's PCM and its voice-activity regions into the audio an engine is given, and mapping the times
// the engine answers with back to the original audio. Shared by the OpenAI-compatible and the local model engines:
// silence is never sent (it costs time and makes whisper-style models invent text), so the regions are cut out,
// padded a little (region edges clip word onsets), joined with a short gap, and the joins remembered.
import type { SpeechRegion, TranscriptWord } from '../model.ts';

/** A stretch of the original audio, in ms. */
export interface Piece {
  startMs: number;
  endMs: number;
}

/** Where a piece sits in a chunk: chunk time `chunkMs` is original time `srcMs`, for `durationMs`. */
export interface Span {
  chunkMs: number;
  srcMs: number;
  durationMs: number;
}

/** Audio sent to an engine in one go, with the spans that map its times back. */
export interface Chunk {
  /** The chunk's samples, made when asked (a 3-hour call's chunks are not all held in memory at once). */
  pcm(): Int16Array;
  sampleRate: number;
  durationMs: number;
  spans: Span[];
}

export interface PieceOptions {
  /** Added before and after each region (clamped to the audio). */
  padMs: number;
  /** Regions closer than this become one piece. */
  mergeGapMs: number;
  /** A longer piece is cut at its quietest moment before this length. */
  maxPieceMs: number;
}

const msToSample = (ms: number, rate: number) => Math.round((ms * rate) / 1000);

/** The voice-activity regions, padded, merged and cut to at most `maxPieceMs`. */
export function planPieces(pcm: Int16Array, sampleRate: number, speech: readonly SpeechRegion[], opts: PieceOptions): Piece[] {
  const totalMs = Math.floor((pcm.length * 1000) / sampleRate);
  const sorted = speech
    .map((r) => ({ startMs: Math.max(0, Math.floor(r.startMs - opts.padMs)), endMs: Math.min(totalMs, Math.ceil(r.endMs + opts.padMs)) }))
    .filter((r) => r.endMs > r.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: Piece[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.startMs - last.endMs <= opts.mergeGapMs) last.endMs = Math.max(last.endMs, r.endMs);
    else merged.push({ ...r });
  }
  const out: Piece[] = [];
  for (const p of merged) {
    let start = p.startMs;
    while (p.endMs - start > opts.maxPieceMs) {
      const cut = quietestCut(pcm, sampleRate, start + opts.maxPieceMs * 0.75, start + opts.maxPieceMs);
      out.push({ startMs: start, endMs: cut });
      start = cut;
    }
    out.push({ startMs: start, endMs: p.endMs });
  }
  return out;
}

/** The middle of the quietest 100 ms window between two times: where a long stretch of speech is least likely mid-word. */
function quietestCut(pcm: Int16Array, sampleRate: number, fromMs: number, toMs: number): number {
  const win = Math.max(1, msToSample(100, sampleRate));
  const step = Math.max(1, msToSample(10, sampleRate));
  const from = msToSample(fromMs, sampleRate);
  const to = Math.min(pcm.length, msToSample(toMs, sampleRate));
  let best = to - win;
  let bestEnergy = Infinity;
  for (let i = from; i + win <= to; i += step) {
    let e = 0;
    for (let j = i; j < i + win; j += 4) e += pcm[j]! * pcm[j]!;
    if (e < bestEnergy) {
      bestEnergy = e;
      best = i;
    }
  }
  return Math.floor(((best + win / 2) * 1000) / sampleRate);
}

export interface ChunkOptions {
  /** Silence put between two pieces in a chunk, so the engine hears a pause there. */
  gapMs: number;
  maxChunkMs: number;
  /** Limit on the encoded size (16-bit mono WAV: 2 bytes a sample plus a 44-byte header). */
  maxChunkBytes: number;
}

/** Packs pieces, in order, into as few chunks as the limits allow. A piece must fit a chunk on its own. */
export function buildChunks(pcm: Int16Array, sampleRate: number, pieces: readonly Piece[], opts: ChunkOptions): Chunk[] {
  const maxSamples = Math.min(msToSample(opts.maxChunkMs, sampleRate), Math.floor((opts.maxChunkBytes - 44) / 2));
  const gap = msToSample(opts.gapMs, sampleRate);
  const groups: { piece: Piece; from: number; to: number }[][] = [];
  let current: { piece: Piece; from: number; to: number }[] = [];
  let length = 0;
  for (const piece of pieces) {
    const from = msToSample(piece.startMs, sampleRate);
    const to = Math.min(pcm.length, msToSample(piece.endMs, sampleRate));
    if (to <= from) continue;
    const add = (current.length ? gap : 0) + (to - from);
    if (current.length && length + add > maxSamples) {
      groups.push(current);
      current = [];
      length = 0;
    }
    length += (current.length ? gap : 0) + (to - from);
    current.push({ piece, from, to });
  }
  if (current.length) groups.push(current);
  return groups.map((group) => {
    const total = group.reduce((n, g, i) => n + (i ? gap : 0) + (g.to - g.from), 0);
    const spans: Span[] = [];
    const at: number[] = [];
    let pos = 0;
    group.forEach((g, i) => {
      if (i) pos += gap;
      at.push(pos);
      spans.push({ chunkMs: (pos * 1000) / sampleRate, srcMs: (g.from * 1000) / sampleRate, durationMs: ((g.to - g.from) * 1000) / sampleRate });
      pos += g.to - g.from;
    });
    const render = () => {
      const out = new Int16Array(total);
      group.forEach((g, i) => out.set(pcm.subarray(g.from, g.to), at[i]));
      return out;
    };
    return { pcm: render, sampleRate, durationMs: (total * 1000) / sampleRate, spans };
  });
}

/** The span a chunk time belongs to: the one containing it, else the nearest (times in the inserted gaps). */
function spanAt(spans: readonly Span[], t: number): Span {
  let best = spans[0]!;
  let bestDist = Infinity;
  for (const s of spans) {
    const dist = t < s.chunkMs ? s.chunkMs - t : t > s.chunkMs + s.durationMs ? t - s.chunkMs - s.durationMs : 0;
    if (dist < bestDist) {
      best = s;
      bestDist = dist;
      if (dist === 0) break;
    }
  }
  return best;
}

/**
 * A word's chunk times as original times. Both ends are placed in the span of the word's middle, so a word the
 * engine stretched over an inserted gap never spans the real silence that was cut out there.
 */
export function mapWordTimes(spans: readonly Span[], s: number, e: number): { s: number; e: number } {
  const span = spanAt(spans, (s + e) / 2);
  const clamp = (t: number) => Math.min(span.chunkMs + span.durationMs, Math.max(span.chunkMs, t)) - span.chunkMs + span.srcMs;
  const ms = Math.round(clamp(s));
  return { s: ms, e: Math.max(ms, Math.round(clamp(e))) };
}

/** A new utterance starts where the speaker paused this long (the engine's segment may run over a cut-out silence). */
export const MAX_PAUSE_MS = 1500;

/** Splits a word list where the pause between two words is longer than `maxPauseMs`. */
export function splitAtPauses(words: readonly TranscriptWord[], maxPauseMs = MAX_PAUSE_MS): TranscriptWord[][] {
  const out: TranscriptWord[][] = [];
  let run: TranscriptWord[] = [];
  for (const w of words) {
    const prev = run[run.length - 1];
    if (prev && w.s - prev.e > maxPauseMs) {
      out.push(run);
      run = [];
    }
    run.push(w);
  }
  if (run.length) out.push(run);
  return out;
}

/** The mean of the known word confidences, or null when none is known. */
export function meanConfidence(words: readonly TranscriptWord[]): number | null {
  const known = words.filter((w) => w.c !== null);
  if (!known.length) return null;
  return Math.round((known.reduce((n, w) => n + w.c!, 0) / known.length) * 1000) / 1000;
}

/**
 * A recognised token as a stored word: lower case, no punctuation around it (inside stays: "don't", "e-mail",
 * "4,111"); empty when nothing is left.
 */
export function normalizeWord(raw: string): string {
  return raw
    .toLocaleLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .normalize('NFC');
}

/** Words spread over a time range in proportion to their length, marked approximate (`a: true`). */
export function spreadWords(tokens: readonly string[], startMs: number, endMs: number, c: number | null): TranscriptWord[] {
  const words = tokens.map(normalizeWord).filter(Boolean);
  const weight = words.reduce((n, w) => n + w.length + 1, 0);
  const out: TranscriptWord[] = [];
  let at = startMs;
  for (const w of words) {
    const d = ((endMs - startMs) * (w.length + 1)) / weight;
    out.push({ w, s: Math.round(at), e: Math.round(at + d), c, a: true });
    at += d;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A complete 16-bit mono PCM WAV file. */
export function encodeWav16(pcm: Int16Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const data = pcm.length * 2;
  const out = Buffer.from(new ArrayBuffer(44 + data));
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  if (LITTLE_ENDIAN) Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).copy(out, 44);
  else for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, 44 + i * 2);
  return new Uint8Array(out.buffer);
}
