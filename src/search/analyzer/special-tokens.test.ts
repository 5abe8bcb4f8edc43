import { describe, expect, it } from 'vitest';
import { analyze, analyzeQueryTerm, LANGUAGES } from './index.ts';
import { finds, primaries, primaryTerms } from './test-helpers.ts';

describe('special tokens: emails, ids, codes and numbers are single exact terms', () => {
  const text = 'Mail Jamie.Doe@Example.com about ticket CX-1042 (conversation 01A1FEAF-53EB-7195-91EB-058532BF0F92), card 4111.';

  it('emits each as one lower-cased term and none of its pieces', () => {
    const p = primaries(text, 'en');
    expect(p.map((t) => [t.term, t.kind])).toEqual([
      ['mail', 'word'],
      ['jamie.doe@example.com', 'special'],
      ['about', 'stop'],
      ['ticket', 'word'],
      ['cx-1042', 'special'],
      ['convers', 'word'],
      ['01a1feaf-53eb-7195-91eb-058532bf0f92', 'special'],
      ['card', 'word'],
      ['4111', 'special'],
    ]);
    const all = analyze(text, 'en').map((t) => t.term);
    for (const piece of ['jamie', 'doe', 'example', 'example.com', 'jamie.doe', 'cx', '1042', '01a1feaf', '058532bf0f92']) {
      expect(all).not.toContain(piece);
    }
  });

  it('offsets cover the whole token', () => {
    for (const t of primaries(text, 'en').filter((x) => x.kind === 'special')) {
      expect(text.slice(t.start, t.end)).toBe(t.surface);
    }
    expect(primaries(text, 'en').find((t) => t.term === 'cx-1042')!.surface).toBe('CX-1042');
  });

  it('matches exactly, case-insensitively, in every language (never stemmed)', () => {
    for (const lang of LANGUAGES) {
      expect(finds(text, 'jamie.doe@example.com', lang)).toBe(true);
      expect(finds(text, 'JAMIE.DOE@EXAMPLE.COM', lang)).toBe(true);
      expect(finds(text, '01a1feaf-53eb-7195-91eb-058532bf0f92', lang)).toBe(true);
      expect(finds(text, 'cx-1042', lang)).toBe(true);
      expect(finds(text, '4111', lang)).toBe(true);
      // Pieces do not match, and neither does a near miss.
      expect(finds(text, 'jamie', lang)).toBe(false);
      expect(finds(text, 'example.com', lang)).toBe(false);
      expect(finds(text, 'CX', lang)).toBe(false);
      expect(finds(text, '1042', lang)).toBe(false);
      expect(finds(text, 'cx-104', lang)).toBe(false);
      expect(finds(text, 'jamie.doe@example.co', lang)).toBe(false);
      expect(finds(text, '01a1feaf-53eb-7195-91eb-058532bf0f9', lang)).toBe(false);
    }
  });

  it('a query for an email or id is one term, not a conjunction of its pieces', () => {
    expect(analyzeQueryTerm('Jamie.Doe@example.com', 'en')).toEqual(['jamie.doe@example.com']);
    expect(analyzeQueryTerm('01a1feaf-53eb-7195-91eb-058532bf0f92', 'fr')).toEqual(['01a1feaf-53eb-7195-91eb-058532bf0f92']);
    expect(analyzeQueryTerm('CX-1042', 'de')).toEqual(['cx-1042']);
  });

  it('recognises numbers and words with digits', () => {
    const t = 'Paid 1,000.50 on 2024-05-01 at 10:30, 3pm, v2.0.1, order #A1B2C3, call 555-0100 or +1 555 0100.';
    expect(primaryTerms(t, 'en')).toEqual([
      'paid',
      '1,000.50',
      'on',
      '2024-05-01',
      'at',
      '10:30',
      '3pm',
      'v2.0.1',
      'order',
      'a1b2c3',
      'call',
      '555-0100',
      'or',
      '1',
      '555',
      '0100',
    ]);
  });

  it('full-width digits normalise (NFKC) to the same term', () => {
    expect(primaryTerms('カード ４１１１', 'en')).toEqual(['カード', '4111']);
    expect(finds('カード ４１１１', '4111', 'en')).toBe(true);
  });

  it('keeps sentence punctuation out of tokens and leaves plain dotted words to the segmenter', () => {
    expect(primaryTerms('Write to support@example.com.', 'en')).toEqual(['write', 'to', 'support@example.com']);
    expect(primaryTerms('(jamie@example.co.uk)', 'en')).toEqual(['jamie@example.co.uk']);
    expect(primaryTerms('Visit example.com today', 'en')).toEqual(['visit', 'example.com', 'today']);
    expect(primaries('Visit example.com today', 'en')[1]!.kind).toBe('word');
    expect(primaryTerms('jamie@localhost', 'en')).toEqual(['jami', 'localhost']); // not an address
  });

  it('unicode addresses and ids', () => {
    expect(primaryTerms('Napište na jiří.novák@příklad.cz', 'cs')).toEqual(['napišt', 'na', 'jiří.novák@příklad.cz']);
    expect(finds('Napište na jiří.novák@příklad.cz', 'Jiří.Novák@příklad.cz', 'cs')).toBe(true);
  });
});
