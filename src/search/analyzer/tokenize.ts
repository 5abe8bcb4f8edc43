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
  if (scanPlainPiece(text, from, to, plainRulesFor(lang), sink)) return;
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

// ---- the plain-text fast path ------------------------------------------------------------------------------------
// Intl.Segmenter costs about a microsecond per segment, and highlighting re-reads every utterance of a page of calls
// (docs/search.md, "Highlights"). Text made of ASCII letters and digits, white space and common punctuation needs
// only a few of the word-boundary rules (UAX #29 WB5–WB12: letters and digits join; a letter-joining mark between
// two letters and a number-joining mark between two digits stay inside the word), so it is scanned directly. Which
// marks join is asked of the language's own segmenter once (locales differ: a colon joins letters in English and
// Swedish ICU data alike today, but that is ICU's call), and text with anything else (accented letters, `_`, other
// scripts, emoji) takes the segmenter. The tokenizer tests compare both paths on random text.

/**
 * Punctuation the fast path accepts, besides ASCII letters, digits and white space: all ASCII but `_`, and a few
 * common marks and symbols (currency signs: `£` is in about one field in six of a UK site's calls, and sent a whole
 * field to the segmenter). Each is kept only if the language's segmenter treats it as the fast path assumes.
 */
const PLAIN_EXTRA = '\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a3\u20ac\u00a5\u00a2\u00a7\u00b0\u00ab\u00bb\u2022\u00d7';

interface PlainRules {
  /** By code unit: 1 letter, 2 digit, 3 white space or other punctuation that never joins, 0 not plain. */
  kind: Uint8Array;
  /** Marks that keep two letters / two digits in one word. */
  joinsLetters: Uint8Array;
  joinsDigits: Uint8Array;
  /** The same rules for the few non-ASCII marks of PLAIN_EXTRA. */
  extra: Map<number, { kind: number; letters: boolean; digits: boolean }>;
}

const plainRules = new Map<Language, PlainRules | null>();

export function plainRulesFor(lang: Language): PlainRules | null {
  let r = plainRules.get(lang);
  if (r === undefined) {
    r = probePlainRules(segmenterFor(lang));
    plainRules.set(lang, r);
  }
  return r;
}

/** Learns from the segmenter which marks join words; null when it does not behave as the fast path assumes. */
export function probePlainRules(seg: Intl.Segmenter): PlainRules | null {
  const words = (s: string) =>
    [...seg.segment(s)]
      .filter((x) => x.isWordLike)
      .map((x) => x.segment)
      .join(' ');
  // The assumption: runs of letters and digits are single words, in any mixture.
  if (words('ab1 2c') !== 'ab1 2c') return null;
  const kind = new Uint8Array(128);
  const joinsLetters = new Uint8Array(128);
  const joinsDigits = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) kind[c] = 1;
    else if (c >= 48 && c <= 57) kind[c] = 2;
  }
  const extra = new Map<number, { kind: number; letters: boolean; digits: boolean }>();
  const marks = [
    ...Array.from({ length: 128 }, (_, c) => c).filter((c) => kind[c] === 0 && c !== 95 && (c >= 32 || (c >= 9 && c <= 13))),
    ...[...PLAIN_EXTRA].map((ch) => ch.charCodeAt(0)),
  ];
  for (const c of marks) {
    const m = String.fromCharCode(c);
    // A mark is never a word, never joins a letter to a digit nor two of itself, and joins two letters (or two
    // digits) into one word or splits them.
    const letters = words(`a${m}b`);
    const digits = words(`1${m}2`);
    const ok =
      words(m) === '' &&
      words(`a${m}1`) === 'a 1' &&
      words(`1${m}a`) === '1 a' &&
      words(`a${m}${m}b`) === 'a b' &&
      words(`1${m}${m}2`) === '1 2' &&
      (letters === 'a b' || letters === `a${m}b`) &&
      (digits === '1 2' || digits === `1${m}2`);
    if (!ok) continue;
    const e = { kind: 3, letters: letters !== 'a b', digits: digits !== '1 2' };
    if (c < 128) {
      kind[c] = 3;
      joinsLetters[c] = e.letters ? 1 : 0;
      joinsDigits[c] = e.digits ? 1 : 0;
    } else extra.set(c, e);
  }
  return { kind, joinsLetters, joinsDigits, extra };
}

/**
 * The word-like tokens of text[from, to) when it is plain (see above): reports them and returns true; otherwise
 * reports nothing and returns false.
 */
export function scanPlainPiece(text: string, from: number, to: number, rules: PlainRules | null, sink: RawTokenSink): boolean {
  if (!rules) return false;
  const { kind, extra } = rules;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 ? kind[c] === 0 : !extra.has(c)) return false;
  }
  let i = from;
  while (i < to) {
    let k = plainKind(kind, text.charCodeAt(i));
    if (k === 3) {
      i++;
      continue;
    }
    const start = i;
    let last = k;
    i++;
    while (i < to) {
      k = plainKind(kind, text.charCodeAt(i));
      if (k === 1 || k === 2) {
        last = k;
        i++;
      } else if (i + 1 < to && plainKind(kind, text.charCodeAt(i + 1)) === last && plainJoins(rules, text.charCodeAt(i), last)) {
        i += 2;
      } else break;
    }
    sink('word', start, i);
  }
  return true;
}

// Top-level helpers, not closures made per call (a piece is a few words: the closures cost as much as the scan).
const plainKind = (kind: Uint8Array, c: number) => (c < 128 ? kind[c]! : 3);

function plainJoins(rules: PlainRules, c: number, prev: number): boolean {
  if (c < 128) return (prev === 1 ? rules.joinsLetters[c] : rules.joinsDigits[c]) === 1;
  const e = rules.extra.get(c);
  return !!e && (prev === 1 ? e.letters : e.digits);
}
