// The redacted form of an utterance: its display text with every PII span replaced by a placeholder ("[CARD]"). Spans
// are by word index; the words between spans are normalised on their own, so a display token (a digit string, an
// address) can never straddle a span edge and carry part of the PII into the redacted text. Exported for redaction
// (src/speech/redaction/), which re-renders stored utterances when the tenant's PII types change.
import type { PiiType, TranscriptWord } from '../model.ts';
import { joinTokens, normalizeWords } from './normalize.ts';

export const PII_PLACEHOLDERS: Record<PiiType, string> = {
  card_number: '[CARD]',
  card_expiry: '[EXPIRY]',
  card_security_code: '[CVV]',
  phone_number: '[PHONE]',
  email: '[EMAIL]',
  date_of_birth: '[DOB]',
  national_id: '[ID]',
  street_address: '[ADDRESS]',
};

export interface WordSpan {
  type: PiiType;
  firstWord: number;
  lastWord: number;
}

/** The spans sorted, clipped to the words, overlaps merged into the first span's type (so nothing is left uncovered). */
export function normalizeSpans<S extends WordSpan>(spans: readonly S[], wordCount: number): S[] {
  const sorted = spans
    .filter((s) => s.lastWord >= 0 && s.firstWord < wordCount && s.firstWord <= s.lastWord)
    .map((s) => ({ ...s, firstWord: Math.max(0, s.firstWord), lastWord: Math.min(wordCount - 1, s.lastWord) }))
    .sort((a, b) => a.firstWord - b.firstWord || b.lastWord - a.lastWord);
  const out: S[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && s.firstWord <= prev.lastWord) prev.lastWord = Math.max(prev.lastWord, s.lastWord);
    else out.push(s);
  }
  return out;
}

/** The display text with each PII span replaced by its placeholder. */
export function renderRedacted(words: readonly string[], spans: readonly WordSpan[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const s of normalizeSpans(spans, words.length)) {
    if (s.firstWord > at) parts.push(joinTokens(normalizeWords(words.slice(at, s.firstWord))));
    parts.push(PII_PLACEHOLDERS[s.type]);
    at = s.lastWord + 1;
  }
  if (at < words.length) parts.push(joinTokens(normalizeWords(words.slice(at))));
  return parts.filter(Boolean).join(' ');
}

/**
 * The words as a user without "play unredacted" gets them: each span becomes one word holding the placeholder, over
 * the span's time, with no confidence (so neither the words nor their count or timing inside the span leak).
 */
export function redactWords(words: readonly TranscriptWord[], spans: readonly WordSpan[]): TranscriptWord[] {
  const out: TranscriptWord[] = [];
  let at = 0;
  for (const s of normalizeSpans(spans, words.length)) {
    out.push(...words.slice(at, s.firstWord));
    out.push({ w: PII_PLACEHOLDERS[s.type], s: words[s.firstWord]!.s, e: words[s.lastWord]!.e, c: null });
    at = s.lastWord + 1;
  }
  out.push(...words.slice(at));
  return out;
}
