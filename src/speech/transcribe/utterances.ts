// From what an engine returned for one party to the stored utterances of the conversation: checked (an engine that
// answers garbage fails the job instead of storing it), placed on the conversation timeline, cut at long pauses and
// merged over all parties in time order.
import type { AsrUtterance, SpeakerRole, SpeechRegion, TranscriptWord } from '../model.ts';

/** An engine's answer that cannot be stored; the job retries (the engine may be restarting) and then fails with it. */
export class EngineOutputError extends Error {
  constructor(engine: string, what: string) {
    super(`The speech engine "${engine}" returned malformed output: ${what}`);
    this.name = 'EngineOutputError';
  }
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Checks an engine's utterances for one party's audio of `durationMs`; returns the words, cleaned (trimmed, lower
 * case, empty words dropped, confidence clamped to 0–1). Throws EngineOutputError on anything unusable.
 */
export function checkEngineOutput(engine: string, out: unknown, durationMs: number): AsrUtterance[] {
  if (!Array.isArray(out)) throw new EngineOutputError(engine, 'not a list of utterances');
  // Engines round and pad: allow a little past the end of the audio.
  const limit = durationMs + 2_000;
  return out.map((u: Partial<AsrUtterance> | null, i) => {
    if (!u || typeof u !== 'object' || !Array.isArray(u.words)) throw new EngineOutputError(engine, `utterance ${i} has no word list`);
    const words: TranscriptWord[] = [];
    for (const [j, w] of u.words.entries()) {
      if (!w || typeof w.w !== 'string' || !finite(w.s) || !finite(w.e))
        throw new EngineOutputError(engine, `word ${j} of utterance ${i} lacks its text or times`);
      if (w.s < -1 || w.e < w.s || w.e > limit) throw new EngineOutputError(engine, `word ${j} of utterance ${i} has impossible times (${w.s}–${w.e} ms)`);
      if (w.c !== null && w.c !== undefined && !finite(w.c)) throw new EngineOutputError(engine, `word ${j} of utterance ${i} has a bad confidence`);
      const text = w.w.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!text) continue;
      words.push({
        w: text,
        s: Math.max(0, Math.round(w.s)),
        e: Math.max(0, Math.round(w.e)),
        c: w.c == null ? null : clamp01(w.c),
        ...(w.a ? { a: true } : {}),
      });
    }
    const conf = u.confidence;
    return {
      startMs: finite(u.startMs) ? Math.max(0, u.startMs) : (words[0]?.s ?? 0),
      endMs: finite(u.endMs) ? u.endMs : (words[words.length - 1]?.e ?? 0),
      words,
      confidence: finite(conf) ? clamp01(conf) : null,
    };
  });
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

export interface PartyUtterance {
  segmentId: string;
  streamId: string;
  partyKey: string | null;
  role: SpeakerRole;
  startMs: number;
  endMs: number;
  words: TranscriptWord[];
  confidence: number | null;
}

export const SPLIT_PAUSE_MS = 1_200;
export const MAX_UTTERANCE_MS = 30_000;

/**
 * One party's engine utterances on the conversation timeline: shifted by `offsetMs`, cut where the speaker pauses
 * longer than SPLIT_PAUSE_MS or an utterance would pass MAX_UTTERANCE_MS (readable turns, and a phrase never spans a
 * long pause), utterances without words dropped.
 */
export function placeUtterances(
  utts: readonly AsrUtterance[],
  party: Omit<PartyUtterance, 'startMs' | 'endMs' | 'words' | 'confidence'>,
  offsetMs: number,
): PartyUtterance[] {
  const out: PartyUtterance[] = [];
  for (const u of utts) {
    let cur: TranscriptWord[] = [];
    const flush = () => {
      if (cur.length === 0) return;
      const known = cur.filter((w) => w.c !== null);
      const confidence = known.length ? known.reduce((t, w) => t + w.c!, 0) / known.length : u.confidence;
      out.push({ ...party, startMs: cur[0]!.s, endMs: Math.max(cur[cur.length - 1]!.e, cur[0]!.s), words: cur, confidence });
      cur = [];
    };
    const words = [...u.words].sort((a, b) => a.s - b.s).map((w) => ({ ...w, s: w.s + offsetMs, e: w.e + offsetMs }));
    for (const w of words) {
      const prev = cur[cur.length - 1];
      if (prev && (w.s - prev.e > SPLIT_PAUSE_MS || w.e - cur[0]!.s > MAX_UTTERANCE_MS)) flush();
      cur.push(w);
    }
    flush();
  }
  return out;
}

/** Every party's utterances in time order (ties: by party, so the order is stable). */
export function mergeParties(parties: readonly PartyUtterance[][]): PartyUtterance[] {
  return parties.flat().sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || String(a.partyKey).localeCompare(String(b.partyKey)));
}

/** Speech regions stored on the conversation timeline → regions of one stream's audio, clipped to it. */
export function regionsOfStream(stored: ReadonlyArray<readonly [number, number]>, offsetMs: number, durationMs: number): SpeechRegion[] {
  const out: SpeechRegion[] = [];
  for (const [a, b] of stored) {
    const startMs = Math.max(0, a - offsetMs);
    const endMs = Math.min(durationMs, b - offsetMs);
    if (endMs > startMs) out.push({ startMs, endMs });
  }
  return out.sort((x, y) => x.startMs - y.startMs);
}

/**
 * Groups regions into chunks of at most `maxMs` of speech spread over at most `maxSpanMs` of audio (a longer region is
 * its own chunk), so a long call goes to the engine in pieces: progress in between, and only one piece of the audio
 * in memory at a time.
 */
export function chunkRegions(regions: readonly SpeechRegion[], maxMs: number, maxSpanMs = 2 * maxMs): SpeechRegion[][] {
  const chunks: SpeechRegion[][] = [];
  let cur: SpeechRegion[] = [];
  let total = 0;
  for (const r of regions) {
    const len = r.endMs - r.startMs;
    if (cur.length && (total + len > maxMs || r.endMs - cur[0]!.startMs > maxSpanMs)) {
      chunks.push(cur);
      cur = [];
      total = 0;
    }
    cur.push(r);
    total += len;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** Linear resampling of mono PCM (telephone 8 kHz to an engine's 16 kHz and the like). */
export function resampleLinear(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const n = Math.floor((samples.length * to) / from);
  const out = new Int16Array(n);
  const step = from / to;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const f = x - j;
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * f);
  }
  return out;
}
