// PII detection on a sequence of words (a transcript utterance, or the tokens of a chat or email message).
// Placeholder signature for the speech feature to call; the detector fills it in.
import type { PiiType } from '../model.ts';

export interface PiiMatch {
  type: PiiType;
  /** Word indexes, inclusive. */
  firstWord: number;
  lastWord: number;
}

/**
 * Finds the PII spans of the given types in `words` (as spoken or written: "four one one one", "4111", "john dot
 * smith at example dot com"). `context` holds the words of the utterances just before, for cues such as "the card
 * number is" said in the previous turn.
 */
export function detectPii(words: readonly string[], types: readonly PiiType[], context: readonly string[] = []): PiiMatch[] {
  void words;
  void types;
  void context;
  return [];
}
