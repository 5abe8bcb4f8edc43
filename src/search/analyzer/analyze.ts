import { BoundedCache } from './cache.ts';
import type { Language } from './languages.ts';
import { clip, elide, foldDiacritics, languageFold, normalizeToken } from './normalize.ts';
import { stemmerFor } from './stem.ts';
import { stopWords } from './stopwords/index.ts';
import { tokenize } from './tokenize.ts';

/** Prefix of the exact-surface variant (`=helped`); no other term can start with it. */
export const EXACT_PREFIX = '=';

/**
 * `word`, `stop` and `special` are primary terms: exactly one per position, positions 0, 1, 2, ...
 * `exact` and `folded` are variants indexed at the same position as the primary before them.
 */
export type TermKind = 'word' | 'stop' | 'special' | 'exact' | 'folded';

export interface Term {
  /** The indexed form. Never empty, never contains whitespace, at most 255 UTF-16 code units. */
  term: string;
  /** The original token: `text.slice(start, end)`. */
  surface: string;
  /** UTF-16 offsets into the analysed text, for highlighting. */
  start: number;
  end: number;
  /** Token index (stop words included), for phrases. */
  position: number;
  kind: TermKind;
}

export const isPrimary = (t: Term): boolean => t.kind === 'word' || t.kind === 'stop' || t.kind === 'special';

interface WordInfo {
  term: string;
  stop: boolean;
  exact: string | undefined;
  folded: string | undefined;
}

export const CACHE_LIMIT = 50_000; // distinct tokens per language and generation (see BoundedCache)
const wordCaches = new Map<Language, BoundedCache<WordInfo | null>>();

function wordCache(lang: Language): BoundedCache<WordInfo | null> {
  let c = wordCaches.get(lang);
  if (!c) {
    c = new BoundedCache(CACHE_LIMIT);
    wordCaches.set(lang, c);
  }
  return c;
}

/** Memoised token analyses held for a language (bounded by 2 × CACHE_LIMIT). */
export function analyzerCacheSize(lang: Language): number {
  return wordCaches.get(lang)?.size ?? 0;
}

/** Drop the memoised token analyses (tests and benchmarks measure a cold start with it). */
export function clearAnalyzerCaches(): void {
  for (const c of wordCaches.values()) c.clear();
}

function analyzeWord(raw: string, lang: Language): WordInfo | null {
  const cache = wordCache(lang);
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const info = computeWord(raw, lang);
  cache.set(raw, info);
  return info;
}

function computeWord(raw: string, lang: Language): WordInfo | null {
  const norm = normalizeToken(raw, lang);
  if (!norm) return null;
  const base = elide(languageFold(norm, lang), lang);
  const stop = stopWords(lang).has(base);
  const stem = stemmerFor(lang);
  const term = stop ? base : clip(stem(base)) || base;
  const unaccented = foldDiacritics(base);
  let folded: string | undefined;
  if (unaccented !== base) {
    const f = stop ? unaccented : clip(stem(unaccented)) || unaccented;
    if (f !== term) folded = f;
  }
  return { term, stop, exact: norm !== term ? EXACT_PREFIX + norm : undefined, folded };
}

/** Receives each term of a text in order (as analyze() lists them), without a Term object per term. */
export type TermSink = (term: string, kind: TermKind, start: number, end: number, position: number) => void;

/** The terms of `text` in position order, handed to `sink`: analyze() without its allocations (highlighting). */
export function forEachTerm(text: string, lang: Language, sink: TermSink): void {
  let position = 0;
  tokenize(text, lang, (kind, start, end) => {
    const surface = text.slice(start, end);
    if (kind === 'special') {
      const term = normalizeToken(surface, lang);
      if (term) sink(term, 'special', start, end, position++);
      return;
    }
    const info = analyzeWord(surface, lang);
    if (!info) return;
    const p = position++;
    sink(info.term, info.stop ? 'stop' : 'word', start, end, p);
    if (info.exact !== undefined) sink(info.exact, 'exact', start, end, p);
    if (info.folded !== undefined) sink(info.folded, 'folded', start, end, p);
  });
}

/**
 * The indexed terms of `text`, in position order. See index.ts for the scheme.
 */
export function analyze(text: string, lang: Language): Term[] {
  const out: Term[] = [];
  forEachTerm(text, lang, (term, kind, start, end, position) => out.push({ term, surface: text.slice(start, end), start, end, position, kind }));
  return out;
}

/**
 * The primary terms a query word must match, in order. A word that analyses to several tokens
 * (`e-mail`, `check-in`, or a whole phrase passed at once) must match them at consecutive positions,
 * i.e. as a phrase. Stop words are included: whether to drop them is the query's decision (see
 * index.ts). Email addresses and ids come back whole.
 */
export function analyzeQueryTerm(word: string, lang: Language): string[] {
  return analyze(word, lang)
    .filter(isPrimary)
    .map((t) => t.term);
}

/**
 * Terms that match the query word only as written (case-insensitive): the `=surface` variant where
 * the word differs from its stem, otherwise the stem itself, which then also matches inflections
 * that stem to the word (exact `help` also finds `helps`; exact `helped` finds only `helped`).
 */
export function exactQueryTerms(word: string, lang: Language): string[] {
  const terms = analyze(word, lang);
  const out: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (!isPrimary(t)) continue;
    const next = terms[i + 1];
    out.push(next && next.kind === 'exact' && next.position === t.position ? next.term : t.term);
  }
  return out;
}

/** True when every token of `word` is a stop word of the language (`the`, `Don’t`, French `qu'il`). */
export function isStopWord(word: string, lang: Language): boolean {
  const primaries = analyze(word, lang).filter(isPrimary);
  return primaries.length > 0 && primaries.every((t) => t.kind === 'stop');
}
