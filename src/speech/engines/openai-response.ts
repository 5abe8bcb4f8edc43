// Reading a /v1/audio/transcriptions answer (response_format=verbose_json) from the servers people run, which differ:
// - OpenAI and faster-whisper/speaches: `segments[]` and a top-level `words[]` (speaches adds a word `probability`);
// - whisper.cpp's server: `segments[]`, with `words[]` inside each segment or none at all;
// - vLLM: `segments[]` only (`words` null), numbers sometimes as strings;
// - anything answering plain `json`: `text` alone.
// Times come back in seconds from the start of the audio sent. Word confidence comes from the word's `probability`
// where given, else from its segment: exp(avg_logprob) × (1 − no_speech_prob). Segments the model itself calls
// silence (no_speech_prob > 0.8 with avg_logprob < −1, whisper's own hallucination test) are dropped.
import type { AsrUtterance, TranscriptWord } from '../model.ts';
import { meanConfidence, normalizeWord, splitAtPauses, spreadWords } from './plan.ts';

/** The answer was not the shape any known server sends. */
export class ResponseShapeError extends Error {}

interface Segment {
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
  dropped: boolean;
  words: RawWord[] | null;
}

interface RawWord {
  word: string;
  startMs: number;
  endMs: number;
  probability: number | null;
}

const NO_SPEECH_PROB = 0.8;
const NO_SPEECH_LOGPROB = -1;

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function record(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function words(v: unknown, where: string): RawWord[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new ResponseShapeError(`${where} is not a list`);
  return v.map((x, i) => {
    const w = record(x);
    const start = num(w?.start);
    const end = num(w?.end);
    if (!w || typeof w.word !== 'string' || start === null || end === null) {
      throw new ResponseShapeError(`${where}[${i}] has no word, start and end`);
    }
    const p = num(w.probability);
    return { word: w.word, startMs: start * 1000, endMs: end * 1000, probability: p !== null && p >= 0 && p <= 1 ? p : null };
  });
}

function segments(v: unknown): Segment[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new ResponseShapeError('segments is not a list');
  return v.map((x, i) => {
    const s = record(x);
    const start = num(s?.start);
    const end = num(s?.end);
    if (!s || start === null || end === null) throw new ResponseShapeError(`segments[${i}] has no start and end`);
    const logprob = num(s.avg_logprob);
    const noSpeech = num(s.no_speech_prob);
    const confidence = logprob === null ? null : round3(Math.min(1, Math.exp(logprob)) * (1 - clamp01(noSpeech ?? 0)));
    return {
      startMs: start * 1000,
      endMs: end * 1000,
      text: typeof s.text === 'string' ? s.text : '',
      confidence,
      dropped: noSpeech !== null && logprob !== null && noSpeech > NO_SPEECH_PROB && logprob < NO_SPEECH_LOGPROB,
      words: words(s.words, `segments[${i}].words`),
    };
  });
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Whisper writes sounds as [BLANK_AUDIO], [Music], (laughs), *coughs*: annotations, not words. */
function withoutAnnotations<T>(items: T[], text: (t: T) => string): T[] {
  const out: T[] = [];
  let inside: string | null = null;
  for (const item of items) {
    const t = text(item).trim();
    if (inside) {
      if (t.endsWith(inside)) inside = null;
      continue;
    }
    const open = t[0] === '[' ? ']' : t[0] === '(' ? ')' : t[0] === '*' ? '*' : null;
    if (open) {
      if (!(t.length > 1 && t.endsWith(open))) inside = open;
      continue;
    }
    out.push(item);
  }
  return out;
}

/** One server word as stored words: a "word" holding several (some servers group digits) is split, time shared out. */
function toWords(w: RawWord, c: number | null): TranscriptWord[] {
  const parts = w.word.trim().split(/\s+/).map(normalizeWord).filter(Boolean);
  if (parts.length <= 1) return parts.map((p) => ({ w: p, s: Math.round(w.startMs), e: Math.round(Math.max(w.startMs, w.endMs)), c }));
  return spreadWords(parts, w.startMs, Math.max(w.startMs, w.endMs), c);
}

/**
 * Utterances in the time of the audio sent (ms). `audioMs` bounds the times (servers round past the end) and is the
 * range a bare `text` answer is spread over.
 */
export function parseTranscription(body: unknown, audioMs: number): AsrUtterance[] {
  const root = record(body);
  if (!root) throw new ResponseShapeError('expected a JSON object');
  const segs = segments(root.segments);
  const top = words(root.words, 'words');
  const nested = segs?.some((s) => s.words) ? segs.flatMap((s) => s.words ?? []) : null;
  const text = typeof root.text === 'string' ? root.text : null;
  if (!segs && !top && text === null) throw new ResponseShapeError('no text, segments or words in the answer');

  const bound = (w: TranscriptWord): TranscriptWord => {
    const s = Math.min(Math.max(0, w.s), audioMs);
    return { ...w, s, e: Math.min(Math.max(s, w.e), audioMs) };
  };
  const utterances: TranscriptWord[][] = [];
  // An empty word list (a server that ignores word timestamps) says nothing: fall back to the segments.
  const timed = top?.length ? top : nested?.length ? nested : null;
  if (timed) {
    // Words with their own times; each takes its segment's confidence (unless it has a probability) and belongs to
    // its segment's utterance; words of a dropped (silence) segment go with it.
    const kept = withoutAnnotations(timed, (w) => w.word);
    const bySegment = new Map<Segment | null, TranscriptWord[]>();
    for (const w of kept) {
      const seg = segs ? segmentOf(segs, (w.startMs + w.endMs) / 2) : null;
      if (seg?.dropped) continue;
      const list = bySegment.get(seg) ?? [];
      list.push(...toWords(w, w.probability !== null ? round3(w.probability) : (seg?.confidence ?? null)));
      bySegment.set(seg, list);
    }
    for (const list of bySegment.values()) utterances.push(...splitAtPauses(list.map(bound).sort((a, b) => a.s - b.s)));
  } else if (segs) {
    for (const seg of segs) {
      if (seg.dropped) continue;
      const tokens = withoutAnnotations(seg.text.split(/\s+/).filter(Boolean), (t) => t);
      const list = spreadWords(tokens, seg.startMs, Math.max(seg.startMs, seg.endMs), seg.confidence).map(bound);
      if (list.length) utterances.push(list);
    }
  } else {
    const tokens = withoutAnnotations(text!.split(/\s+/).filter(Boolean), (t) => t);
    const list = spreadWords(tokens, 0, audioMs, null);
    if (list.length) utterances.push(list);
  }
  return utterances
    .filter((u) => u.length)
    .sort((a, b) => a[0]!.s - b[0]!.s)
    .map((u) => ({ startMs: u[0]!.s, endMs: Math.max(...u.map((w) => w.e)), words: u, confidence: meanConfidence(u) }));
}

/** The segment containing a time, else the nearest one (word times round a little outside their segment). */
function segmentOf(segs: readonly Segment[], t: number): Segment | null {
  let best: Segment | null = null;
  let bestDist = Infinity;
  for (const s of segs) {
    const dist = t < s.startMs ? s.startMs - t : t > s.endMs ? t - s.endMs : 0;
    if (dist < bestDist) {
      best = s;
      bestDist = dist;
    }
  }
  return best;
}

/** The server's own words about a failure, from the error shapes in use ({error:{message}}, {error}, {detail}, {message}). */
export function serverMessage(text: string): string {
  try {
    const body = record(JSON.parse(text));
    const err = body?.error;
    const m = record(err)?.message ?? err ?? body?.detail ?? body?.message;
    if (typeof m === 'string' && m) return m.slice(0, 300);
    if (m !== undefined && m !== null) return JSON.stringify(m).slice(0, 300);
  } catch {
    // not JSON: the text itself
  }
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain ? plain.slice(0, 300) : '(empty answer)';
}
