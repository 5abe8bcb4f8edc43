// The pure parts of transcription: the display form of spoken numbers and entities, the redacted rendering (a PII
// span never leaks into the redacted text, not even through a display token), and how engine output becomes stored
// utterances (checked, placed on the conversation timeline, cut at pauses, merged over the parties).
import { describe, expect, it } from 'vitest';
import { displayText, normalizeWords } from './text/normalize.ts';
import { redactWords, renderRedacted } from './text/redact.ts';
import {
  EngineOutputError,
  checkEngineOutput,
  chunkRegions,
  mergeParties,
  placeUtterances,
  regionsOfStream,
  resampleLinear,
  SPLIT_PAUSE_MS,
} from './transcribe/utterances.ts';
import type { TranscriptWord } from './model.ts';

const w = (s: string) => s.split(' ');

describe('display form', () => {
  it.each([
    ['my card starts with four one one one', 'my card starts with 4111'],
    ['that is twenty five dollars', 'that is $25'],
    ['it was twenty five dollars and fifty cents', 'it was $25.50'],
    ['john dot smith at example dot com', 'john.smith@example.com'],
    ['write to support at brightline dot co dot uk please', 'write to support@brightline.co.uk please'],
    ['five five five double one two three four', '55511234'],
    ['born in nineteen eighty five', 'born in 1985'],
    ['three hundred and twelve', '312'],
    ['two thousand and five', '2005'],
    ['a ten percent discount', 'a 10% discount'],
    ['on march third', 'on march 3rd'],
    ['the twenty first', 'the 21st'],
    ['one moment please', 'one moment please'],
    ['i have one question', 'i have one question'],
    ['oh okay', 'oh okay'],
    ['zip code nine oh two one oh', 'zip code 90210'],
    ['look at it', 'look at it'],
  ])('%s → %s', (spoken, shown) => {
    expect(displayText(w(spoken))).toBe(shown);
  });

  it('keeps the word range of each display token', () => {
    expect(normalizeWords(w('card four one one one ok'))).toEqual([
      { text: 'card', first: 0, last: 0 },
      { text: '4111', first: 1, last: 4 },
      { text: 'ok', first: 5, last: 5 },
    ]);
  });
});

describe('redacted rendering', () => {
  const words = w('my number is four one one one two two two two and my email is john dot smith at example dot com thanks');
  it('replaces each span by its placeholder and normalises the rest', () => {
    const text = renderRedacted(words, [
      { type: 'card_number', firstWord: 3, lastWord: 10 },
      { type: 'email', firstWord: 15, lastWord: 21 },
    ]);
    expect(text).toBe('my number is [CARD] and my email is [EMAIL] thanks');
  });

  it('never lets a display token carry part of a span out (a span inside a digit run)', () => {
    // The span covers only the last four digits: the first four are shown, the rest are not, never "41112222".
    const text = renderRedacted(words, [{ type: 'card_number', firstWord: 7, lastWord: 10 }]);
    expect(text).toBe('my number is 4111 [CARD] and my email is john.smith@example.com thanks');
    expect(text).not.toContain('2222');
  });

  it('merges overlapping spans and clips spans to the words', () => {
    expect(
      renderRedacted(w('call me at five five five one two one two'), [
        { type: 'phone_number', firstWord: 3, lastWord: 6 },
        { type: 'phone_number', firstWord: 5, lastWord: 99 },
      ]),
    ).toBe('call me at [PHONE]');
  });

  it('redacts words: one placeholder word over the span, no confidence, nothing inside', () => {
    const tw: TranscriptWord[] = w('card four one one one ok').map((x, i) => ({ w: x, s: i * 100, e: i * 100 + 90, c: 0.9 }));
    expect(redactWords(tw, [{ type: 'card_number', firstWord: 1, lastWord: 4 }])).toEqual([
      { w: 'card', s: 0, e: 90, c: 0.9 },
      { w: '[CARD]', s: 100, e: 490, c: null },
      { w: 'ok', s: 500, e: 590, c: 0.9 },
    ]);
  });
});

describe('engine output', () => {
  it('refuses garbage with the engine named', () => {
    expect(() => checkEngineOutput('x', { words: [] }, 1000)).toThrow(EngineOutputError);
    expect(() => checkEngineOutput('x', [{ words: [{ w: 'a', s: 0 }] }], 1000)).toThrow(/word 0 of utterance 0 lacks/);
    expect(() => checkEngineOutput('x', [{ words: [{ w: 'a', s: 500, e: 100, c: 1 }] }], 1000)).toThrow(/impossible times/);
    expect(() => checkEngineOutput('x', [{ words: [{ w: 'a', s: 0, e: 60_000, c: 1 }] }], 1000)).toThrow(/impossible times/);
    expect(() => checkEngineOutput('x', [{ words: [{ w: 'a', s: 0, e: 10, c: Number.NaN }] }], 1000)).toThrow(/bad confidence/);
  });

  it('cleans words: lower case, trimmed, empty dropped, confidence clamped', () => {
    const [u] = checkEngineOutput(
      'x',
      [
        {
          startMs: 0,
          endMs: 100,
          confidence: null,
          words: [
            { w: ' Hello ', s: 0, e: 50, c: 1.2 },
            { w: ' ', s: 50, e: 60, c: 0.5 },
          ],
        },
      ],
      1000,
    );
    expect(u!.words).toEqual([{ w: 'hello', s: 0, e: 50, c: 1 }]);
  });

  it('places words on the conversation timeline and cuts at long pauses', () => {
    const words: TranscriptWord[] = [
      { w: 'hello', s: 0, e: 400, c: 0.8 },
      { w: 'there', s: 450, e: 800, c: 0.6 },
      { w: 'later', s: 800 + SPLIT_PAUSE_MS + 1, e: 2500 + SPLIT_PAUSE_MS, c: null },
    ];
    const placed = placeUtterances(
      [{ startMs: 0, endMs: 3000, words, confidence: 0.5 }],
      { segmentId: 's', streamId: 'st', partyKey: 'cust', role: 'customer' },
      10_000,
    );
    expect(placed.map((u) => [u.startMs, u.words.map((x) => x.w).join(' '), u.confidence])).toEqual([
      [10_000, 'hello there', 0.7],
      // No word confidence: the utterance's own figure.
      [10_000 + 800 + SPLIT_PAUSE_MS + 1, 'later', 0.5],
    ]);
  });

  it('merges parties in time order', () => {
    const mk = (partyKey: string, startMs: number) => ({
      segmentId: 's',
      streamId: partyKey,
      partyKey,
      role: 'unknown' as const,
      startMs,
      endMs: startMs + 10,
      words: [],
      confidence: null,
    });
    expect(mergeParties([[mk('a', 0), mk('a', 300)], [mk('b', 100)]]).map((u) => `${u.partyKey}${u.startMs}`)).toEqual(['a0', 'b100', 'a300']);
  });

  it('maps stored regions (conversation time) to a stream and chunks them', () => {
    expect(
      regionsOfStream(
        [
          [500, 1500],
          [5000, 7000],
          [9000, 12_000],
        ],
        1000,
        10_000,
      ),
    ).toEqual([
      { startMs: 0, endMs: 500 },
      { startMs: 4000, endMs: 6000 },
      { startMs: 8000, endMs: 10_000 },
    ]);
    const regions = [0, 1, 2, 3, 4].map((i) => ({ startMs: i * 1000, endMs: i * 1000 + 600 }));
    expect(chunkRegions(regions, 1300).map((c) => c.length)).toEqual([2, 2, 1]);
    // The span cap: far-apart regions go in separate chunks even when they are short.
    expect(
      chunkRegions(
        [
          { startMs: 0, endMs: 10 },
          { startMs: 100_000, endMs: 100_010 },
        ],
        1000,
      ).length,
    ).toBe(2);
  });

  it('resamples linearly', () => {
    const up = resampleLinear(Int16Array.from([0, 100, 200]), 8000, 16000);
    expect(Array.from(up)).toEqual([0, 50, 100, 150, 200, 200]);
  });
});
