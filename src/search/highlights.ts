// Highlights of a search's page: the first line that matched in each conversation, and the number of matches.
import type { AppContext } from '../context.ts';
import { analyze, foldDiacritics, highlighter, isPrimary, type Highlighter, type Language, type Term } from './analyzer/index.ts';
import { unpackTexts, type FieldKind, type PackedField, type SearchField, type Speaker } from './index/document.ts';
import type { SpeechHit } from './schemas.ts';
import * as repo from './repository.ts';

/**
 * Cheap pre-check before analysing a field for highlights: for at least one query word or phrase, the start of each
 * of its words must appear in the field's folded text (a phrase matches only where all its words are; a lone stop
 * word counts only when the query has nothing else, as in highlight.ts). Stemmers change word endings (and Czech
 * palatalises the last letters), so the check uses the first 3 letters of stems of 5 letters or more and the first 2
 * otherwise. With transcripts a conversation has dozens of fields, and analysing one costs far more than this test.
 */
export function mayContain(lang: Language, terms: string[]): (text: string) => boolean {
  const needle = (p: Term) => {
    const folded = foldDiacritics(p.term.toLowerCase());
    return p.kind === 'special' ? folded : folded.slice(0, folded.length >= 5 ? 3 : Math.min(2, folded.length));
  };
  const entries = terms.map((t) => analyze(t, lang).filter(isPrimary)).filter((p) => p.length > 0);
  const onlyStops = entries.every((p) => p.length === 1 && p[0]!.kind === 'stop');
  return needleCheck(entries.filter((p) => onlyStops || p.length > 1 || p[0]!.kind !== 'stop').map((p) => [...new Set(p.map(needle))].filter(Boolean)));
}

/** Whether every needle (lower-case, folded) of at least one group is in the lower-cased, folded text. */
export function needleCheck(needles: string[][]): (text: string) => boolean {
  const groups = needles.map((g) => g.map((n) => ({ n, re: new RegExp(escapeRegExp(n), 'i') })));
  return (text) => {
    // Most fields are plain ASCII: a case-insensitive search then finds exactly what lower-casing and folding would
    // (folding changes nothing in ASCII), without making the folded copy. Only where it fails on text with other
    // characters is the folded copy made, once per field.
    let folded: string | null = null;
    for (const g of groups) {
      let all = true;
      for (const { n, re } of g) {
        if (re.test(text)) continue;
        if (folded === null) folded = ASCII.test(text) ? '' : foldDiacritics(text.toLowerCase());
        if (folded === '' || !folded.includes(n)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  };
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included
const ASCII = /^[\x00-\x7f]*$/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Whether a field counts for a search said by `saidBy` (null: anyone). */
export const spokenBy = (f: Pick<SearchField, 'speaker'>, saidBy: Speaker | null) => saidBy === null || f.speaker === saidBy;

/**
 * Where a match in a transcript field is for the player: the utterance, and the words of the first match when the
 * utterance's text lines up with its words one to one (the redacted text replaces a PII span with one token, and
 * number normalisation joins words, so they do not always).
 */
export function speechHit(f: SearchField, range: readonly [number, number] | undefined): SpeechHit | undefined {
  if (!f.speech) return undefined;
  const { utteranceId, startMs, endMs, role, words } = f.speech;
  const hit: SpeechHit = { utteranceId, startMs, endMs, role };
  if (range && words > 0) {
    // The text's tokens (runs of non-space, as /\S+/g finds them), as offsets: no match object per word.
    const starts: number[] = [];
    const ends: number[] = [];
    const text = f.text;
    for (let i = 0; i < text.length;) {
      while (i < text.length && isJsSpace(text.charCodeAt(i))) i++;
      if (i >= text.length) break;
      starts.push(i);
      while (i < text.length && !isJsSpace(text.charCodeAt(i))) i++;
      ends.push(i);
    }
    if (starts.length === words) {
      const first = ends.findIndex((e) => e > range[0]);
      let last = first;
      while (last + 1 < starts.length && starts[last + 1]! < range[1]) last++;
      if (first >= 0) hit.wordRange = [first, last + 1];
    }
  }
  return hit;
}

/** What `\s` matches in a JavaScript regular expression (WhiteSpace and LineTerminator: Unicode Zs, BOM, tabs, breaks). */
export const isJsSpace = (c: number) =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** The line with the first match and the number of matches, over every searched field of each conversation. */
export async function rowHighlights(ctx: AppContext, ids: string[], terms: string[], saidBy: Speaker | null = null, docs?: repo.SearchTexts[]) {
  const out = new Map<string, { field: FieldKind; text: string; ranges: Array<[number, number]>; count: number; speech?: SpeechHit }>();
  // The query's words are analysed once per language, not once per field.
  const byLanguage = new Map<string, { check: (text: string) => boolean; hl: Highlighter }>();
  // The texts of `ids`, unless they came with the rows.
  for (const doc of docs ?? (await repo.searchTexts(ctx.db, ids))) {
    const lang = doc.language as Language;
    let q = byLanguage.get(lang);
    if (!q) byLanguage.set(lang, (q = { check: mayContain(lang, terms), hl: highlighter(lang, terms) }));
    type Found = { ranges: Array<[number, number]>; field: PackedField };
    let first: Found | null = null;
    let byId: Found | null = null;
    let count = 0;
    // Kind, speaker and text of every field; the ids and utterance of the one shown only.
    for (const f of unpackTexts(doc.texts)) {
      if (!spokenBy(f, saidBy) || !q.check(f.text)) continue;
      const isId = f.where === 'conversation_id' || f.where === 'external_id';
      // An id is already a column of the row: it is the line shown only when nothing else matched.
      if (isId && (first || byId)) continue;
      const ranges = q.hl.ranges(f.text);
      if (ranges.length === 0) continue;
      if (isId) {
        byId = { ranges, field: f };
        continue;
      }
      count += ranges.length;
      first ??= { ranges, field: f };
    }
    if (!first && byId) {
      first = byId;
      count = byId.ranges.length;
    }
    if (first) {
      // Only the first field's snippet is shown: it alone is cut around its first match (from the ranges found above).
      const h = q.hl.snippet(first.field.text, first.ranges);
      const shown = first.field.field();
      const speech = shown.speech ? speechHit(shown, first.ranges[0]) : undefined;
      out.set(doc.conversation_id, { field: first.field.where, text: h.text, ranges: h.ranges, count, ...(speech ? { speech } : {}) });
    }
  }
  return out;
}
