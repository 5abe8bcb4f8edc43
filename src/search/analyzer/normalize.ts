import type { Language } from './languages.ts';

/** Longest indexed term, in UTF-16 code units (a pasted base64 blob must not become a 10 kB term). */
export const MAX_TERM_LENGTH = 255;

// eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included
const ASCII = /^[\x00-\x7f]*$/;
const APOSTROPHES = /[\u2019\u2018\u02bc\u2032]/g; // ’ ‘ ʼ ′  (NFKC already maps the full-width ＇)
const INVISIBLE = /[\p{Cf}\s]/gu; // soft hyphen, zero-width (non-)joiners, bidi marks, stray spaces

/**
 * The canonical lower-case form of one token: NFKC (full-width letters, ligatures, compatibility
 * digits), then locale-aware lower-casing, typographic apostrophes as `'`, format characters removed.
 * NFKC runs first because it can produce capitals (`Ⅻ` → `XII`, `Ａ` → `A`).
 */
export function normalizeToken(raw: string, lang: Language): string {
  let s = ASCII.test(raw) ? raw : raw.normalize('NFKC');
  s = s.toLocaleLowerCase(lang);
  if (!ASCII.test(s)) {
    s = s.replace(APOSTROPHES, "'");
    INVISIBLE.lastIndex = 0;
    if (INVISIBLE.test(s)) s = s.replace(INVISIBLE, '');
  }
  return clip(s);
}

/** Cut a term to MAX_TERM_LENGTH without leaving half a surrogate pair. */
export function clip(s: string): string {
  if (s.length <= MAX_TERM_LENGTH) return s;
  let end = MAX_TERM_LENGTH;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/** Russian spelling treats ё as optional; Snowball's Russian algorithm (and its stop list) use е. */
export function languageFold(s: string, lang: Language): string {
  return lang === 'ru' && s.includes('ё') ? s.replaceAll('ё', 'е') : s;
}

// French elision: l'appel → appel, qu'il → il, jusqu'à → à (as Lucene's ElisionFilter does for French).
const FRENCH_ELISION = /^(?:qu|jusqu|lorsqu|puisqu|quoiqu|[cdjlmnst])'(?=.)/;

/** Remove a leading elided article or pronoun where the language writes one. */
export function elide(s: string, lang: Language): string {
  return lang === 'fr' && s.includes("'") ? s.replace(FRENCH_ELISION, '') : s;
}

const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ŀ: 'l',
};
const SPECIAL_LETTER_RE = /[ßẞæœøłđðþıŀ]/g;

/**
 * Accent folding for customers who type without diacritics: combining marks are removed from Latin
 * letters only (réclamation → reclamation, faktuře → fakture, ñ → n, ß → ss), and Cyrillic ё → е.
 * Other scripts keep their marks: in Russian й is not и, and marks are letters in Indic scripts.
 * Input is lower-case; output is NFC.
 */
export function foldDiacritics(s: string): string {
  if (ASCII.test(s)) return s;
  let out = s.normalize('NFD').replace(LATIN_WITH_MARKS, '$1');
  out = out.replace(SPECIAL_LETTER_RE, (c) => SPECIAL_LETTERS[c] ?? c);
  if (out.includes('ё')) out = out.replaceAll('ё', 'е');
  if (out.includes('е\u0308')) out = out.replaceAll('е\u0308', 'е'); // ё decomposed by NFD
  return out.normalize('NFC');
}
