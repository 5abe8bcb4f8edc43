import { describe, expect, it } from 'vitest';
import { arpaProb, buildKneserNey, countNgrams, formatArpa, parseArpa, type ArpaModel } from './arpa.ts';

const text = [
  'thank you for calling',
  'thank you for your patience',
  'can i have your account number',
  'can i have your name please',
  'i would like to cancel my account',
  'i would like to pay my bill',
  'thank you',
].map((s) => ({ words: s.split(' ') }));

function vocabOf(m: ArpaModel): string[] {
  return m.entries[0]!.map((e) => e.words[0]!).filter((w) => w !== '<s>');
}

describe('Kneser-Ney ARPA builder', () => {
  const model = buildKneserNey(countNgrams(text), ['brightline']);

  it('writes a well-formed ARPA file whose header counts match its sections', () => {
    const arpa = formatArpa(model);
    expect(arpa.startsWith('\\data\\\nngram 1=')).toBe(true);
    expect(arpa).toContain('\\1-grams:');
    expect(arpa).toContain('\\3-grams:');
    expect(arpa.trimEnd().endsWith('\\end\\')).toBe(true);
    const back = parseArpa(arpa);
    expect(back.order).toBe(3);
    for (let n = 0; n < 3; n++) expect(back.entries[n]!.length).toBe(model.entries[n]!.length);
    // <s> is listed with no probability (-99) and a back-off weight; every log-probability is ≤ 0.
    const bos = back.entries[0]!.find((e) => e.words[0] === '<s>')!;
    expect(bos.logp).toBe(-99);
    expect(bos.bow).toBeDefined();
    for (const list of back.entries) for (const e of list) expect(e.logp).toBeLessThanOrEqual(0);
  });

  it('lists every n-gram prefix and suffix as a lower-order n-gram (required for back-off)', () => {
    const have = new Set(model.entries.flatMap((l) => l.map((e) => e.words.join(' '))));
    for (const e of model.entries[2]!) {
      expect(have.has(e.words.slice(0, 2).join(' '))).toBe(true);
      expect(have.has(e.words.slice(1).join(' '))).toBe(true);
    }
  });

  it('gives distributions that sum to 1 for every context, seen or not', () => {
    const vocab = [...vocabOf(model)];
    const contexts: string[][] = [
      [],
      ['<s>'],
      ['thank'],
      ['<s>', 'thank'],
      ['thank', 'you'],
      ['you', 'for'],
      ['have', 'your'],
      ['please'],
      ['my', 'brightline'],
      ['zzz', 'unknown'],
    ];
    for (const h of contexts) {
      let sum = 0;
      for (const w of vocab) sum += arpaProb(model, h, w);
      expect(sum, `context "${h.join(' ')}"`).toBeCloseTo(1, 4);
    }
  });

  it('keeps vocabulary words that never occur (tenant words) with a small but non-zero probability', () => {
    expect(vocabOf(model)).toContain('brightline');
    const p = arpaProb(model, ['thank'], 'brightline');
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(arpaProb(model, ['thank'], 'you'));
  });

  it('prefers what it has seen: "thank you" over "thank for", "for calling" after "you for"', () => {
    expect(arpaProb(model, ['<s>', 'thank'], 'you')).toBeGreaterThan(0.5);
    expect(arpaProb(model, ['you', 'for'], 'calling')).toBeGreaterThan(arpaProb(model, ['you', 'for'], 'bill'));
  });

  it('mixes a background unigram distribution in and stays normalised', () => {
    const bg = new Map([
      ['the', 0.5],
      ['hello', 0.3],
      ['you', 0.2],
    ]);
    const mixed = buildKneserNey(countNgrams(text), [], { unigrams: bg, weight: 0.4 });
    const vocab = vocabOf(mixed);
    expect(vocab).toContain('hello');
    for (const h of [[], ['thank'], ['you', 'for']]) {
      let sum = 0;
      for (const w of vocab) sum += arpaProb(mixed, h, w);
      expect(sum).toBeCloseTo(1, 4);
    }
    expect(arpaProb(mixed, [], 'hello')).toBeGreaterThan(0.4 * 0.3);
  });

  it('weights a sentence by its count', () => {
    const counts = countNgrams([{ words: ['premium', 'plus'], weight: 3 }]);
    expect(counts.orders[1]!.get('premium plus')).toBe(3);
    expect(counts.orders[2]!.get('<s> premium plus')).toBe(3);
    expect(counts.orders[0]!.has('<s>')).toBe(false);
  });
});
