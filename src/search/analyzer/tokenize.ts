import type { Language } from './languages.ts';

/**
 * Special tokens, found by a regex pass before word segmentation and kept whole:
 * - email addresses: `jamie.doe@example.com`;
 * - runs of letters and digits joined by `-` `_` `.` `/` `:` (and `,` between digits) that contain at
 *   least one digit: conversation ids and UUIDs (`01a1feaf-53eb-7195-91eb-058532bf0f92`), ticket
 *   codes (`CX-1042`), card and phone fragments (`4111`, `555-0100`), amounts (`1,000.50`), dates
 *   (`2024-05-01`), times (`10:30`), versions (`2.0.1`), `3pm`.
 * Word segmentation would cut most of these into pieces (`CX` `1042`); only the whole is emitted.
 */
const CHUNK = String.raw`[\p{L}\p{N}\p{M}]+`;
const EMAIL = String.raw`[\p{L}\p{N}\p{M}_%+\-]+(?:\.[\p{L}\p{N}\p{M}_%+\-]+)*@[\p{L}\p{N}\p{M}\-]+(?:\.[\p{L}\p{N}\p{M}\-]+)+`;
const JOINED = String.raw`${CHUNK}(?:(?:[\-_./:]|,(?=\p{Nd}))${CHUNK})*`;
const SPECIAL = new RegExp(String.raw`(?<![\p{L}\p{N}\p{M}_@])(?:(${EMAIL})|${JOINED})`, 'gu');
const HAS_DIGIT = /\p{Nd}/u;
const HINT = /[\p{Nd}@]/u;

/** Pieces handed to Intl.Segmenter stay short: V8's segmenter is quadratic in the input length. */
const SEGMENT_TARGET = 512;
const SEGMENT_MAX = 1024;

const segmenters = new Map<Language, Intl.Segmenter>();

export function segmenterFor(lang: Language): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang, { granularity: 'word' });
    segmenters.set(lang, s);
  }
  return s;
}

export type RawTokenKind = 'word' | 'special';
export type RawTokenSink = (kind: RawTokenKind, start: number, end: number) => void;

/** Walk `text` and report every token (special or word-like segment) in order, with UTF-16 offsets. */
export function tokenize(text: string, lang: Language, sink: RawTokenSink): void {
  let cursor = 0;
  if (HINT.test(text)) {
    SPECIAL.lastIndex = 0;
    for (let m = SPECIAL.exec(text); m; m = SPECIAL.exec(text)) {
      if (m[1] === undefined && !HAS_DIGIT.test(m[0])) continue; // a plain word: the segmenter's job
      segmentWords(text, cursor, m.index, lang, sink);
      sink('special', m.index, m.index + m[0].length);
      cursor = m.index + m[0].length;
    }
  }
  segmentWords(text, cursor, text.length, lang, sink);
}

const isWhitespace = (code: number) =>
  code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Word-like segments of text[from, to), cut into short pieces at whitespace (never inside a word). */
function segmentWords(text: string, from: number, to: number, lang: Language, sink: RawTokenSink): void {
  let pos = from;
  while (pos < to) {
    let end = to;
    if (to - pos > SEGMENT_MAX) {
      end = cutPoint(text, pos, to);
      if (end < 0) {
        // One run of letters longer than a piece. In an alphabetic script it is one word whatever the
        // segmenter would say, so it is emitted whole; Chinese, Japanese, Thai... are cut (rare: a
        // paragraph without any punctuation), which may split one word there.
        const mid = pos + SEGMENT_TARGET;
        let runStart = mid;
        while (runStart > pos && isWordUnit(text, runStart - 1)) runStart--;
        WORD_RUN.lastIndex = mid;
        WORD_RUN.exec(text);
        const runEnd = Math.min(to, Math.max(WORD_RUN.lastIndex, mid));
        if (!DICTIONARY_SCRIPT.test(text.slice(runStart, runEnd))) {
          segmentPiece(text, pos, runStart, lang, sink);
          sink('word', runStart, runEnd);
          pos = runEnd;
          continue;
        }
        end = isLowSurrogate(text.charCodeAt(mid)) ? mid + 1 : mid;
      }
    }
    segmentPiece(text, pos, end, lang, sink);
    pos = end;
  }
}

function segmentPiece(text: string, from: number, to: number, lang: Language, sink: RawTokenSink): void {
  if (from >= to) return;
  const piece = text.slice(from, to);
  const segments = segmenterFor(lang).segment(piece);
  // `containing()` is about twice as fast as iterating the segments.
  for (let i = 0; i < piece.length;) {
    const seg = segments.containing(i)!;
    const next = seg.index + seg.segment.length;
    if (seg.isWordLike) sink('word', from + seg.index, from + next);
    i = next;
  }
}

const WORD_RUN = /[\p{L}\p{N}\p{M}]*/uy;
const DICTIONARY_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const isWordUnit = (text: string, i: number) => isSurrogate(text.charCodeAt(i)) || WORD_CHAR.test(text[i]!);

/** Where to end the piece that starts at `pos`: after a space, else after punctuation; -1 if neither. */
function cutPoint(text: string, pos: number, to: number): number {
  const limit = Math.min(to, pos + SEGMENT_MAX);
  for (let i = pos + SEGMENT_TARGET; i < limit; i++) if (isWhitespace(text.charCodeAt(i))) return i;
  // No space (e.g. Chinese or Japanese): cut after punctuation or a symbol.
  for (let i = pos + SEGMENT_TARGET; i > pos + 1; i--) if (!isWordUnit(text, i - 1)) return i;
  return -1;
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
