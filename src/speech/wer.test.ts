import { describe, expect, it } from 'vitest';
import { alignWords, formatAlignment, normalizeForScoring, sumWer, wordErrorRate } from './wer.ts';

describe('normalizeForScoring', () => {
  it('lower-cases, strips punctuation and keeps apostrophes inside words', () => {
    expect(normalizeForScoring("Hello, I'd like to CANCEL… my plan! 'Quoted' — ok?")).toEqual([
      'hello',
      "i'd",
      'like',
      'to',
      'cancel',
      'my',
      'plan',
      'quoted',
      'ok',
    ]);
    expect(normalizeForScoring('don\u2019t  e-mail')).toEqual(["don't", 'e', 'mail']);
    expect(normalizeForScoring(' ... ')).toEqual([]);
  });
});

describe('alignWords', () => {
  it('counts a perfect match as zero errors', () => {
    const r = wordErrorRate('thank you for calling', 'Thank you for calling.');
    expect(r).toMatchObject({ refWords: 4, correct: 4, substitutions: 0, deletions: 0, insertions: 0, wer: 0 });
  });

  it('finds one substitution, one deletion and one insertion with their words', () => {
    // ref: the card ends in four two     hyp: the cart ends four two please
    const r = alignWords(['the', 'card', 'ends', 'in', 'four', 'two'], ['the', 'cart', 'ends', 'four', 'two', 'please']);
    expect(r.substitutions).toBe(1);
    expect(r.deletions).toBe(1);
    expect(r.insertions).toBe(1);
    expect(r.correct).toBe(4);
    expect(r.wer).toBeCloseTo(3 / 6);
    expect(r.alignment.filter((s) => s.op !== 'ok')).toEqual([
      { op: 'sub', ref: 'card', hyp: 'cart' },
      { op: 'del', ref: 'in', hyp: null },
      { op: 'ins', ref: null, hyp: 'please' },
    ]);
  });

  it('handles empty sides: all deletions, all insertions, both empty', () => {
    expect(alignWords(['a', 'b'], [])).toMatchObject({ deletions: 2, wer: 1 });
    expect(alignWords([], ['a', 'b'])).toMatchObject({ insertions: 2, wer: 2 });
    expect(alignWords([], [])).toMatchObject({ wer: 0, alignment: [] });
  });

  it('can exceed 100 % when the hypothesis inserts a lot', () => {
    const r = alignWords(['yes'], ['yes', 'yes', 'yes']);
    expect(r.insertions).toBe(2);
    expect(r.wer).toBe(2);
  });

  it('keeps the alignment in order and consistent with both inputs', () => {
    const ref = 'my name is james walker and my phone is five five five'.split(' ');
    const hyp = 'my name james walk her and the phone is five five nine five'.split(' ');
    const r = alignWords(ref, hyp);
    expect(r.alignment.filter((s) => s.ref !== null).map((s) => s.ref)).toEqual(ref);
    expect(r.alignment.filter((s) => s.hyp !== null).map((s) => s.hyp)).toEqual(hyp);
    expect(r.substitutions + r.deletions + r.insertions).toBe(5); // del is, walker→walk, +her, my→the, +nine
    expect(formatAlignment(r.alignment)).toContain('REF:');
  });

  it('sums per-channel results into a corpus WER weighted by reference words', () => {
    const a = alignWords(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd']); // 1/4
    const b = alignWords(['e', 'f'], []); // 2/2
    expect(sumWer([a, b])).toMatchObject({ refWords: 6, substitutions: 1, deletions: 2, wer: 0.5 });
  });
});
