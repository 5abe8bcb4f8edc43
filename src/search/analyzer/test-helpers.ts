// Helpers for the analyzer's tests: a toy term-level "index" that matches the way both backends will.
import { analyze, analyzeQueryTerm, isPrimary, type Term } from './analyze.ts';
import type { Language } from './languages.ts';

/** Every indexed term of `text` (primaries and variants). */
export const indexTerms = (text: string, lang: Language): Set<string> => new Set(analyze(text, lang).map((t) => t.term));

/** Does a single-word query find `text`? (every term of the word is indexed in the text) */
export function finds(text: string, word: string, lang: Language): boolean {
  const terms = indexTerms(text, lang);
  const q = analyzeQueryTerm(word, lang);
  return q.length > 0 && q.every((t) => terms.has(t));
}

export const primaries = (text: string, lang: Language): Term[] => analyze(text, lang).filter(isPrimary);
export const primaryTerms = (text: string, lang: Language): string[] => primaries(text, lang).map((t) => t.term);
