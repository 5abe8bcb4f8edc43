// The transcript panel's logic, without React: every word of every utterance in one time index (the active word at
// the playhead by binary search, so a 3-hour call costs a few comparisons a frame), search within the transcript
// (words and phrases, across the words of one utterance, never across two), the terms of a list search to mark, and
// the text that "Copy" puts on the clipboard.
import type { TranscriptUtterance } from './api.ts';

/** A word's place: its utterance and its index in the utterance's words. */
export interface WordRef {
  u: number;
  i: number;
}

export interface WordIndex {
  /** Word starts (ms), ascending. */
  starts: Float64Array;
  ends: Float64Array;
  /** Global word number (utterance by utterance, word by word) of each sorted entry. */
  ids: Int32Array;
  /** Global word number of each utterance's first word. */
  firstOf: Int32Array;
  /** The longest word (ms): how far back a word can start and still hold a time. */
  longestMs: number;
  total: number;
}

export function buildIndex(utterances: readonly TranscriptUtterance[]): WordIndex {
  const firstOf = new Int32Array(utterances.length);
  let total = 0;
  utterances.forEach((u, k) => {
    firstOf[k] = total;
    total += u.words.length;
  });
  const order: { s: number; e: number; id: number }[] = [];
  let longestMs = 0;
  utterances.forEach((u, k) =>
    u.words.forEach((w, i) => {
      const s = w.s;
      const e = Math.max(w.e, w.s);
      longestMs = Math.max(longestMs, e - s);
      order.push({ s, e, id: firstOf[k]! + i });
    }),
  );
  order.sort((a, b) => a.s - b.s || a.id - b.id);
  const starts = new Float64Array(order.length);
  const ends = new Float64Array(order.length);
  const ids = new Int32Array(order.length);
  order.forEach((o, j) => {
    starts[j] = o.s;
    ends[j] = o.e;
    ids[j] = o.id;
  });
  return { starts, ends, ids, firstOf, longestMs, total };
}

/** The number of starts ≤ ms (binary search). */
export function countStartedBy(starts: Float64Array, ms: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The global numbers of the words being said at `ms` (one per speaker when they talk over each other), ascending.
 * A word holds from its start to its end; between words nothing is active.
 */
export function activeWords(index: WordIndex, ms: number): number[] {
  const out: number[] = [];
  const from = ms - index.longestMs;
  for (let j = countStartedBy(index.starts, ms) - 1; j >= 0 && index.starts[j]! >= from; j--) {
    if (ms < index.ends[j]! || (index.ends[j] === index.starts[j] && ms === index.starts[j])) out.push(index.ids[j]!);
  }
  return out.sort((a, b) => a - b);
}

/** Global word number → its utterance and place (binary search over the utterances' first words). */
export function wordRef(index: WordIndex, id: number): WordRef {
  let lo = 0;
  let hi = index.firstOf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (index.firstOf[mid]! <= id) lo = mid;
    else hi = mid - 1;
  }
  return { u: lo, i: id - index.firstOf[lo]! };
}

/** The utterance being said at `ms`, else the last one started before it (where "follow" scrolls to); -1 before the first. */
export function utteranceAt(utterances: readonly TranscriptUtterance[], ms: number): number {
  let lo = 0;
  let hi = utterances.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (utterances[mid]!.startMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  // Several may have started (crosstalk): prefer one still going, the latest first.
  for (let k = lo - 1; k >= 0 && k >= lo - 4; k--) if (ms < utterances[k]!.endMs) return k;
  return lo - 1;
}

// ——— search ——————————————————————————————————————————————————————————————————————————————————————————————————

/** Lower case, no accents, letters and digits only (how a word is compared). */
export const normalize = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** The words of a query, normalised, empties left out. */
export const queryWords = (q: string) => q.split(/\s+/).map(normalize).filter(Boolean);

export interface Match {
  u: number;
  /** First and last word index in the utterance, inclusive. */
  first: number;
  last: number;
}

/** Light English stemming, so "charges" finds "charge" and "charged" the way the list search does (near enough). */
export function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // "charge", "charged", "charges" → "charg".
  return w.length > 3 && w.endsWith('e') ? w.slice(0, -1) : w;
}

type WordTest = (word: string, wanted: string) => boolean;
/** Within the transcript: the typed word as a prefix (find as you type). */
export const prefixTest: WordTest = (word, wanted) => word.startsWith(wanted);
/** A list search's term: the same word or the same stem. */
export const stemTest: WordTest = (word, wanted) => word === wanted || stem(word) === stem(wanted);

/** Where the words of `phrase` occur in a row inside one utterance; the last typed word may be a prefix. */
export function findPhrase(utterances: readonly TranscriptUtterance[], phrase: readonly string[], test: WordTest = prefixTest): Match[] {
  if (phrase.length === 0) return [];
  const out: Match[] = [];
  utterances.forEach((u, k) => {
    const words = u.words.map((w) => normalize(w.w));
    for (let i = 0; i + phrase.length <= words.length; i++) {
      let ok = true;
      for (let j = 0; j < phrase.length && ok; j++) {
        const last = j === phrase.length - 1;
        ok = last ? test(words[i + j]!, phrase[j]!) : words[i + j] === phrase[j] || stemTest(words[i + j]!, phrase[j]!);
      }
      if (ok) out.push({ u: k, first: i, last: i + phrase.length - 1 });
    }
  });
  return out;
}

/** The in-transcript search: the typed words as a phrase. */
export const searchTranscript = (utterances: readonly TranscriptUtterance[], q: string) => findPhrase(utterances, queryWords(q));

/**
 * The terms and phrases of a list search (`q` of the detail view's address) worth marking in a transcript: quoted
 * phrases, plain words; operators, excluded terms (-word, NOT word) and field filters (name:value) left out.
 */
export function searchTerms(q: string): string[][] {
  const out: string[][] = [];
  const re = /(-?)"([^"]*)"|(\S+)/g;
  let skipNext = false;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    if (m[2] !== undefined) {
      if (!m[1] && !skipNext) {
        const words = queryWords(m[2]);
        if (words.length) out.push(words);
      }
      skipNext = false;
      continue;
    }
    const token = m[3]!;
    if (token === 'NOT') {
      skipNext = true;
      continue;
    }
    const excluded = skipNext || token.startsWith('-') || token.includes(':');
    skipNext = false;
    if (excluded || token === 'AND' || token === 'OR') continue;
    const word = normalize(token.replace(/\*$/, ''));
    if (word) out.push([word]);
  }
  return out;
}

/** Every word a list search matched, as a set of global word numbers. */
export function searchHitWords(utterances: readonly TranscriptUtterance[], index: WordIndex, q: string): Set<number> {
  const hits = new Set<number>();
  for (const phrase of searchTerms(q)) {
    for (const m of findPhrase(utterances, phrase, stemTest)) for (let i = m.first; i <= m.last; i++) hits.add(index.firstOf[m.u]! + i);
  }
  return hits;
}

// ——— display ————————————————————————————————————————————————————————————————————————————————————————————————

/**
 * How each word reads on screen: the display text's token where the display text lines up with the words one to one
 * (casing and punctuation: "Lisa!" for "lisa"), else the word as recognised. An utterance whose display text joins
 * words ("four one one one" → "4111") shows its words, so every word stays clickable and in step.
 */
export function displayWords(u: Pick<TranscriptUtterance, 'text' | 'words'>): string[] {
  const words = u.words.map((w) => w.w);
  const tokens = u.text.split(/\s+/).filter(Boolean);
  if (tokens.length !== words.length) return words;
  for (let i = 0; i < words.length; i++) if (normalize(tokens[i]!) !== normalize(words[i]!)) return words;
  return tokens;
}

/** "[CARD]", "[PHONE]"…: a redacted span, shown as a badge. */
export const isPlaceholder = (w: string) => /^\[[A-Z_]+\]$/.test(w);

/** Below this a word is shown faintly (the engine was unsure). */
export const LOW_CONFIDENCE = 0.5;
export const isLowConfidence = (c: number | null | undefined) => c !== null && c !== undefined && c < LOW_CONFIDENCE;

/** 00:01:02: whole seconds, rounded down (as the TXT download writes it). */
export function clockTime(ms: number): string {
  const v = Math.floor(Math.max(0, ms) / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(v / 3600))}:${pad(Math.floor(v / 60) % 60)}:${pad(v % 60)}`;
}

/**
 * What "Copy" puts on the clipboard: the TXT download's layout ("[00:01:02] Agent: …", one utterance a line, in time
 * order), with the speaker named in the user's language.
 */
export function copyText(utterances: readonly TranscriptUtterance[], speaker: (u: TranscriptUtterance) => string): string {
  return [...utterances]
    .filter((u) => u.text.trim() !== '')
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
    .map((u) => `[${clockTime(u.startMs)}] ${speaker(u)}: ${u.text.replace(/\s+/g, ' ').trim()}\n`)
    .join('');
}
