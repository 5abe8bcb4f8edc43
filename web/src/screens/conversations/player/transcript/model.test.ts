// The transcript panel's logic: the word at the playhead (binary search; overlapping speakers; gaps), word places,
// the utterance "Follow" scrolls to, search within the transcript (prefix as you type, phrases inside one utterance
// only), the list search's terms to mark, and what "Copy" writes.
import { describe, expect, it } from 'vitest';
import type { TranscriptUtterance } from './api.ts';
import {
  activeWords,
  buildIndex,
  clockTime,
  copyText,
  countStartedBy,
  displayWords,
  isLowConfidence,
  isPlaceholder,
  searchHitWords,
  searchTerms,
  searchTranscript,
  utteranceAt,
  wordRef,
} from './model.ts';

/** An utterance whose words follow each other, `step` ms apart, each lasting `len` ms. */
function utt(id: string, role: TranscriptUtterance['role'], startMs: number, text: string, step = 300, len = 250): TranscriptUtterance {
  const words = text.split(' ').map((w, i) => ({ w, s: startMs + i * step, e: startMs + i * step + len, c: 0.9 }));
  return { id, role, partyKey: role, startMs, endMs: words[words.length - 1]!.e, text, confidence: 0.9, words, redacted: false };
}

const call = [
  utt('a1', 'agent', 1_000, 'thank you for calling how can i help'), // words 0–7, ends 3_350
  utt('c1', 'customer', 3_200, 'i was charged a late fee'), // words 8–13, overlaps the agent's last word
  utt('a2', 'agent', 6_000, 'let me check the late charges'), // words 14–19
];

describe('the word at the playhead', () => {
  const index = buildIndex(call);

  it('numbers words utterance by utterance and finds their place back', () => {
    expect(index.total).toBe(20);
    expect([...index.firstOf]).toEqual([0, 8, 14]);
    expect(wordRef(index, 0)).toEqual({ u: 0, i: 0 });
    expect(wordRef(index, 9)).toEqual({ u: 1, i: 1 });
    expect(wordRef(index, 19)).toEqual({ u: 2, i: 5 });
  });

  it('lights the word being said, nothing between words or before the first', () => {
    expect(activeWords(index, 0)).toEqual([]);
    expect(activeWords(index, 1_000)).toEqual([0]);
    expect(activeWords(index, 1_249)).toEqual([0]);
    expect(activeWords(index, 1_260)).toEqual([]); // the pause between "thank" and "you"
    expect(activeWords(index, 1_300)).toEqual([1]);
    expect(activeWords(index, 6_320)).toEqual([15]);
    expect(activeWords(index, 99_000)).toEqual([]);
  });

  it('lights one word per speaker when they talk over each other', () => {
    // The agent's "help" (3_100–3_350) and the customer's "i" (3_200–3_450).
    expect(activeWords(index, 3_300)).toEqual([7, 8]);
  });

  it('counts starts by binary search, ties included', () => {
    const starts = new Float64Array([0, 10, 10, 20]);
    expect(countStartedBy(starts, -1)).toBe(0);
    expect(countStartedBy(starts, 10)).toBe(3);
    expect(countStartedBy(starts, 25)).toBe(4);
  });

  it('keeps up with a 3-hour call: 30,000 words, a lookup per frame for the whole call in well under a second', () => {
    const long: TranscriptUtterance[] = [];
    for (let k = 0; k < 3_000; k++) long.push(utt(`u${k}`, k % 2 ? 'customer' : 'agent', k * 3_600, 'one two three four five six seven eight nine ten'));
    const big = buildIndex(long);
    expect(big.total).toBe(30_000);
    const t0 = performance.now();
    let lit = 0;
    for (let ms = 0; ms < 3 * 3_600_000; ms += 16) lit += activeWords(big, ms).length;
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(lit).toBeGreaterThan(0);
    // Word 10 × 1234 + 3 is the 4th word of utterance 1234.
    expect(activeWords(big, 1_234 * 3_600 + 3 * 300 + 10)).toEqual([12_343]);
  });

  it('picks the utterance "Follow" scrolls to: the one still going, else the last started', () => {
    expect(utteranceAt(call, 500)).toBe(-1);
    expect(utteranceAt(call, 2_000)).toBe(0);
    expect(utteranceAt(call, 3_300)).toBe(1); // both going: the later one
    expect(utteranceAt(call, 5_000)).toBe(1); // silence after the customer: still theirs
    expect(utteranceAt(call, 60_000)).toBe(2);
  });
});

describe('search within the transcript', () => {
  it('finds a word as it is typed (prefix), case and punctuation aside', () => {
    expect(searchTranscript(call, 'LAT')).toEqual([
      { u: 1, first: 4, last: 4 },
      { u: 2, first: 4, last: 4 },
    ]);
    expect(searchTranscript(call, 'help?')).toEqual([{ u: 0, first: 7, last: 7 }]);
    expect(searchTranscript(call, '   ')).toEqual([]);
  });

  it('finds a phrase inside one utterance, never across two speakers', () => {
    expect(searchTranscript(call, 'late fee')).toEqual([{ u: 1, first: 4, last: 5 }]);
    expect(searchTranscript(call, 'late ch')).toEqual([{ u: 2, first: 4, last: 5 }]);
    // "help" ends the agent's turn and "i" opens the customer's: no match.
    expect(searchTranscript(call, 'help i')).toEqual([]);
  });
});

describe('the list search marked in the transcript', () => {
  it('takes words and quoted phrases, leaves out operators, exclusions and field filters', () => {
    expect(searchTerms('"late fee" refund')).toEqual([['late', 'fee'], ['refund']]);
    expect(searchTerms('charge* AND NOT fee -refund agent:smith OR "x y"')).toEqual([['charge'], ['x', 'y']]);
    expect(searchTerms('NOT "late fee" help')).toEqual([['help']]);
  });

  it('marks the words a search matched, by stem ("charge" finds "charged" and "charges")', () => {
    const index = buildIndex(call);
    expect([...searchHitWords(call, index, 'charge')].sort((a, b) => a - b)).toEqual([10, 19]);
    expect([...searchHitWords(call, index, '"late fee"')].sort((a, b) => a - b)).toEqual([12, 13]);
    expect(searchHitWords(call, index, '').size).toBe(0);
  });
});

describe('display and copy', () => {
  it('knows redacted placeholders and unsure words', () => {
    expect(isPlaceholder('[CARD]')).toBe(true);
    expect(isPlaceholder('[card]')).toBe(false);
    expect(isPlaceholder('card')).toBe(false);
    expect(isLowConfidence(0.49)).toBe(true);
    expect(isLowConfidence(0.5)).toBe(false);
    expect(isLowConfidence(null)).toBe(false);
  });

  it('shows the display text’s casing and punctuation where it lines up with the words, else the words', () => {
    const w = (text: string) => text.split(' ').map((x, i) => ({ w: x, s: i, e: i + 1, c: 1 }));
    expect(displayWords({ text: 'Hi Lisa! I’ve lost twelve pounds.', words: w('hi lisa i’ve lost twelve pounds') })).toEqual([
      'Hi',
      'Lisa!',
      'I’ve',
      'lost',
      'twelve',
      'pounds.',
    ]);
    // Numbers joined for display: the words as recognised (each stays a word to click and light).
    expect(displayWords({ text: 'My card is 4111, thanks', words: w('my card is four one one one thanks') })).toEqual(
      'my card is four one one one thanks'.split(' '),
    );
    // Same count but another word: the words.
    expect(displayWords({ text: 'Hello there', words: w('hello bear') })).toEqual(['hello', 'bear']);
    expect(displayWords({ text: 'My card is [CARD], thanks', words: w('my card is [CARD] thanks') })).toEqual(['My', 'card', 'is', '[CARD],', 'thanks']);
  });

  it('copies the transcript as the TXT download lays it out, speakers named by the caller', () => {
    const speaker = (u: TranscriptUtterance) => (u.role === 'agent' ? 'Agent' : 'Client');
    const withText = call.map((u) => ({ ...u, text: u.id === 'c1' ? 'I was charged\na late fee.' : u.text }));
    expect(copyText([withText[2]!, withText[0]!, withText[1]!], speaker)).toBe(
      '[00:00:01] Agent: thank you for calling how can i help\n[00:00:03] Client: I was charged a late fee.\n[00:00:06] Agent: let me check the late charges\n',
    );
    expect(clockTime(3 * 3_600_000 + 62_999)).toBe('03:01:02');
  });
});
