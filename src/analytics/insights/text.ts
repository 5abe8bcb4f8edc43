// Text helpers of conversation insights: sentences with their character ranges (so a next step or a question points
// at its place in the line), words, and filler words.
import type { LanguageRules } from './languages.ts';

export interface Sentence {
  text: string;
  /** [start, end) into the line's text. */
  range: [number, number];
  /** Ends with a question mark (punctuated text) or, unpunctuated, starts like a question. */
  question: boolean;
}

/** Curly apostrophes as straight ones, so the rules need one spelling; same length, so ranges still hold. */
export const normalise = (text: string) => text.replace(/[\u2019\u2018\u02bc]/g, "'");

/**
 * Where written text breaks into blocks no sentence crosses: a blank line (a paragraph), and a line that ends with a
 * comma (an e-mail's "Hello Jo,"). A single line break does not end a sentence: plain-text e-mails wrap lines.
 */
function blocks(t: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (const m of t.matchAll(/\n[ \t]*\n|,[ \t]*\n/g)) {
    out.push([from, m[0].startsWith(',') ? m.index + 1 : m.index]);
    from = m.index + m[0].length;
  }
  out.push([from, t.length]);
  return out;
}

/** Sentences end at . ! ? … (followed by a space or the end), and at a block's end; text without punctuation is one sentence. */
export function sentences(text: string, rules: LanguageRules | undefined): Sentence[] {
  const t = normalise(text);
  const out: Sentence[] = [];
  const re = /[^.!?…]+(?:[.!?…]+|$)/g;
  for (const [from, to] of blocks(t))
    for (const m of t.slice(from, to).matchAll(re)) {
      const raw = m[0];
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      if (!/[\p{L}\p{N}]/u.test(body)) continue;
      const start = from + m.index + lead;
      const punctuated = /[.!?…]$/.test(body);
      const question = body.endsWith('?') || (!punctuated && !!rules && rules.questionOpeners.test(body));
      out.push({ text: body, range: [start, start + body.length], question });
    }
  return out;
}

const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/** Words as a speech engine counts them: "don't" is one word, punctuation is none. */
export const wordCount = (text: string) => normalise(text).match(WORD)?.length ?? 0;

export interface FillerHit {
  filler: string;
  range: [number, number];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cache = new WeakMap<LanguageRules, { always: RegExp; setOff: RegExp | null }>();

function fillerPatterns(rules: LanguageRules) {
  let p = cache.get(rules);
  if (!p) {
    const words = (list: string[]) => list.map((f) => f.split(' ').map(escape).join('\\s+')).join('|');
    // Bounded by non-letters on both sides (\b is ASCII-only and would split "heu" from accented neighbours).
    const always = new RegExp(`(?<![\\p{L}\\p{N}'])(?:${words(rules.fillers)})(?![\\p{L}\\p{N}'])`, 'giu');
    // Set off: at a sentence start or after a comma/dash, and followed by a comma, dash or the sentence end.
    const setOff = rules.setOffFillers.length
      ? new RegExp(`(?:^|[,;—–-]\\s*|[.!?…]\\s+)(${words(rules.setOffFillers)})(?=\\s*(?:[,;—–-]|[.!?…]|$))`, 'giu')
      : null;
    p = { always, setOff };
    cache.set(rules, p);
  }
  return p;
}

/** Filler words in a line: the always-fillers anywhere, the others only where punctuation sets them off. */
export function fillers(text: string, rules: LanguageRules): FillerHit[] {
  const t = normalise(text);
  const { always, setOff } = fillerPatterns(rules);
  const hits: FillerHit[] = [];
  for (const m of t.matchAll(always)) hits.push({ filler: m[0].toLowerCase().replace(/\s+/g, ' '), range: [m.index, m.index + m[0].length] });
  if (setOff) {
    for (const m of t.matchAll(setOff)) {
      const word = m[1]!;
      const start = m.index + m[0].length - word.length;
      // "You know, …" opening a line counts; "I'd like, …" would not reach here (no separator before "like").
      hits.push({ filler: word.toLowerCase().replace(/\s+/g, ' '), range: [start, start + word.length] });
    }
  }
  return hits.sort((a, b) => a.range[0] - b.range[0]);
}
