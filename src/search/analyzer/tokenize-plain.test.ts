// The plain-text fast path of the tokenizer must cut exactly where Intl.Segmenter does: compared on random text
// built from the characters it accepts and some it must refuse, in several languages.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages.ts';
import { plainRulesFor, scanPlainPiece, segmenterFor, tokenize } from './tokenize.ts';

const ALPHABET = 'ab cZ19.,;:\'"!?-()/\n\t\r_’‘“”–—…\u00a0xy0é#@$%&*+=<>[]{}|~`^\\£€¥¢§°«»•×·';

function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const reference = (text: string, lang: (typeof LANGUAGES)[number]) =>
  [...segmenterFor(lang).segment(text)].filter((s) => s.isWordLike).map((s) => `${s.index}:${s.segment}`);

describe('tokenizer: plain-text fast path', () => {
  it('cuts random text exactly where the segmenter does, in every supported language', () => {
    const rand = mulberry(7);
    for (const lang of LANGUAGES) {
      const rules = plainRulesFor(lang);
      let plain = 0;
      for (let n = 0; n < 4000; n++) {
        const len = 1 + Math.floor(rand() * 24);
        let text = '';
        for (let i = 0; i < len; i++) text += ALPHABET[Math.floor(rand() * ALPHABET.length)];
        const got: string[] = [];
        if (!scanPlainPiece(text, 0, text.length, rules, (_k, s, e) => got.push(`${s}:${text.slice(s, e)}`))) continue;
        plain++;
        expect(got, `${lang} ${JSON.stringify(text)}`).toEqual(reference(text, lang));
      }
      // The alphabet is mostly plain: the fast path must have been taken often, or this test proves nothing.
      expect(plain, lang).toBeGreaterThan(300);
    }
  });

  it('refuses text it cannot cut itself (accents, underscores, other scripts)', () => {
    const rules = plainRulesFor('en');
    for (const text of ['café', 'snake_case', 'Привет', '日本語', 'a😀b'])
      expect(
        scanPlainPiece(text, 0, text.length, rules, () => {}),
        text,
      ).toBe(false);
  });

  it('takes common currency signs and quotes (a £ in a call sent the whole field to the segmenter)', () => {
    const text = 'That is £25.50 or €30, «quoted» • ok';
    const got: string[] = [];
    expect(scanPlainPiece(text, 0, text.length, plainRulesFor('en'), (_k, s, e) => got.push(text.slice(s, e)))).toBe(true);
    expect(got).toEqual(reference(text, 'en').map((x) => x.slice(x.indexOf(':') + 1)));
  });

  it('gives the same tokens through tokenize() on sentences with joined marks', () => {
    const text = "Don't e.g. 3.5 a:b 1,000 l’homme “quoted” — dash… it's done. Ok?";
    const got: string[] = [];
    tokenize(text, 'en', (k, s, e) => k === 'word' && got.push(text.slice(s, e)));
    const specials: string[] = [];
    tokenize(text, 'en', (k, s, e) => k === 'special' && specials.push(text.slice(s, e)));
    expect(specials).toEqual(['3.5', '1,000']);
    expect(got).toEqual(["Don't", 'e.g', 'a:b', 'l’homme', 'quoted', 'dash', "it's", 'done', 'Ok']);
  });
});
