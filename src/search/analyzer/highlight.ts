import { analyze, forEachTerm, isPrimary } from './analyze.ts';
import type { Language } from './languages.ts';

export interface Highlight {
  /** The line around the first match, at most SNIPPET_MAX characters, `…` where it was cut. */
  text: string;
  /** Matches inside `text`, as [start, end) offsets into `text`. */
  ranges: Array<[number, number]>;
  /** Matches in the whole text (a phrase counts once). */
  count: number;
}

export const SNIPPET_MAX = 160;
const ELLIPSIS = '…';
const SNAP = 24; // how far a cut may move to land on a space

/**
 * Each entry of `queryTerms` is a query word or phrase as the user typed it (`helping`,
 * `interested in`, `jamie.doe@example.com`); it runs through the same analysis as the text, so a
 * word matches what the search matched: inflections (stems), unaccented spellings (folded
 * variants), ids and emails exactly; a multi-token entry matches as a phrase. A one-word stop word
 * entry is ignored when any other entry is not a stop word, as the query does.
 */
function compile(queryTerms: readonly string[], lang: Language): string[][] {
  const seqs = queryTerms.map((q) => analyze(q, lang).filter(isPrimary)).filter((p) => p.length > 0);
  const onlyStops = seqs.every((p) => p.length === 1 && p[0]!.kind === 'stop');
  return seqs.filter((p) => onlyStops || p.length > 1 || p[0]!.kind !== 'stop').map((p) => p.map((t) => t.term));
}

/** The query words of a highlight, analysed once for every text they are looked for in. */
export interface Highlighter {
  /** Every match in `text`, as merged, sorted [start, end) offsets. */
  ranges(text: string): Array<[number, number]>;
  /** The snippet for a result row: the line with the first match, its highlighted ranges, and the count. */
  highlight(text: string): Highlight;
  /** The same snippet from ranges already found in `text` by ranges(). */
  snippet(text: string, ranges: Array<[number, number]>): Highlight;
}

export function highlighter(lang: Language, queryTerms: readonly string[]): Highlighter {
  const seqs = compile(queryTerms, lang);
  const wanted = new Set(seqs.flat());
  const ranges = (text: string): Array<[number, number]> => {
    if (seqs.length === 0 || text.length === 0) return [];
    const starts: number[] = [];
    const ends: number[] = [];
    let at: Map<string, Set<number>> | null = null;
    forEachTerm(text, lang, (term, kind, start, end, position) => {
      if (kind === 'word' || kind === 'stop' || kind === 'special') {
        starts[position] = start;
        ends[position] = end;
      }
      if (!wanted.has(term)) return;
      at ??= new Map();
      let set = at.get(term);
      if (!set) at.set(term, (set = new Set()));
      set.add(position);
    });
    if (!at) return [];
    const found: Array<[number, number]> = [];
    for (const seq of seqs) {
      const first = (at as Map<string, Set<number>>).get(seq[0]!);
      if (!first) continue;
      for (const p of first) {
        let ok = true;
        for (let k = 1; k < seq.length && ok; k++) ok = (at as Map<string, Set<number>>).get(seq[k]!)?.has(p + k) ?? false;
        if (ok) found.push([starts[p]!, ends[p + seq.length - 1]!]);
      }
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: Array<[number, number]> = [];
    for (const r of found) {
      const last = merged[merged.length - 1];
      if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    return merged;
  };
  return { ranges, highlight: (text) => snippet(text, ranges(text)), snippet };
}

/** Every match of the query words in `text`, as merged, sorted [start, end) offsets. */
export function matchRanges(text: string, lang: Language, queryTerms: readonly string[]): Array<[number, number]> {
  return highlighter(lang, queryTerms).ranges(text);
}

/** The snippet for a result row: the line with the first match, its highlighted ranges, and the count. */
export function highlight(text: string, lang: Language, queryTerms: readonly string[]): Highlight {
  return highlighter(lang, queryTerms).highlight(text);
}

function snippet(text: string, ranges: Array<[number, number]>): Highlight {
  let s: number;
  let e: number;
  if (ranges.length > 0) [s, e] = ranges[0]!;
  else {
    s = 0;
    while (s < text.length && isSpace(text.charCodeAt(s))) s++;
    e = s;
  }
  const { from, to, before, after } = snippetWindow(text, s, e);
  const prefix = before ? ELLIPSIS : '';
  const shift = prefix.length - from;
  const inside: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    if (b <= from || a >= to) continue;
    inside.push([Math.max(a, from) + shift, Math.min(b, to) + shift]);
  }
  const body = text.slice(from, to).replace(/[\t\v\f\r]/g, ' ');
  return { text: prefix + body + (after ? ELLIPSIS : ''), ranges: inside, count: ranges.length };
}

const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a);
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** [from, to) of the snippet inside `text`, on word boundaries where the line has spaces. */
function snippetWindow(text: string, s: number, e: number) {
  let lineStart = text.lastIndexOf('\n', s - 1) + 1;
  if (s === 0) lineStart = 0;
  let lineEnd = text.indexOf('\n', e);
  if (lineEnd < 0) lineEnd = text.length;
  while (lineStart < s && isSpace(text.charCodeAt(lineStart))) lineStart++;
  while (lineEnd > e && isSpace(text.charCodeAt(lineEnd - 1))) lineEnd--;
  if (lineEnd - lineStart <= SNIPPET_MAX) return { from: lineStart, to: lineEnd, before: false, after: false };

  const budget = SNIPPET_MAX - 2 * ELLIPSIS.length;
  let from: number;
  let to: number;
  if (e - s >= budget) {
    from = s;
    to = s + budget;
  } else {
    const lead = Math.min(s - lineStart, Math.floor((budget - (e - s)) / 3)); // about a third before the match
    from = s - lead;
    to = Math.min(lineEnd, from + budget);
    from = Math.max(lineStart, to - budget);
    // Snap to spaces so no word is cut, without moving past the match.
    if (from > lineStart && !isSpace(text.charCodeAt(from - 1))) {
      for (let i = from; i < Math.min(s, from + SNAP); i++) {
        if (isSpace(text.charCodeAt(i))) {
          from = i + 1;
          break;
        }
      }
    }
    if (to < lineEnd && !isSpace(text.charCodeAt(to))) {
      for (let i = to; i > Math.max(e, to - SNAP); i--) {
        if (isSpace(text.charCodeAt(i - 1))) {
          to = i - 1;
          break;
        }
      }
    }
  }
  if (to < text.length && isHighSurrogate(text.charCodeAt(to - 1))) to--;
  if (from > 0 && isHighSurrogate(text.charCodeAt(from - 1))) from--;
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  return { from, to, before: from > lineStart, after: to < lineEnd };
}
