import { describe, expect, it } from 'vitest';
import { analyze, analyzeQueryTerm, isPrimary, MAX_TERM_LENGTH, matchRanges } from './index.ts';
import { finds, primaries, primaryTerms } from './test-helpers.ts';

describe('Unicode edge cases', () => {
  it('drops emoji (also ZWJ sequences and skin tones) and keeps UTF-16 offsets right after them', () => {
    const text = '👨‍👩‍👧 great 👍🏽 service 😀!';
    const p = primaries(text, 'en');
    expect(p.map((t) => t.surface)).toEqual(['great', 'service']);
    for (const t of p) expect(text.slice(t.start, t.end)).toBe(t.surface);
    expect(p[0]!.start).toBe('👨‍👩‍👧 '.length);
    expect(p.map((t) => t.position)).toEqual([0, 1]);
  });

  it('segments Chinese and Japanese with Intl.Segmenter dictionaries', () => {
    expect(primaryTerms('我喜欢北京', 'en')).toEqual(['我', '喜欢', '北京']);
    expect(primaryTerms('東京に行きます', 'en')).toEqual(['東京', 'に', '行き', 'ます']);
    expect(finds('我喜欢北京天安门', '北京', 'fr')).toBe(true);
    const text = '客户说：我喜欢北京。';
    for (const t of analyze(text, 'en')) expect(text.slice(t.start, t.end)).toBe(t.surface);
  });

  it('apostrophes: l’appel, don’t, customer’s (straight and typographic alike)', () => {
    expect(primaries("J'ai pris l'appel", 'fr').map((t) => [t.surface, t.term])).toEqual([
      ["J'ai", 'ai'],
      ['pris', 'pris'],
      ["l'appel", 'appel'],
    ]);
    expect(finds("J'ai pris l’appel", 'appel', 'fr')).toBe(true);
    expect(finds("J'ai pris l’appel", "l'appel", 'fr')).toBe(true);
    expect(finds("J'ai pris l'appel", 'l’appel', 'fr')).toBe(true);
    expect(primaries('I don’t know', 'en').map((t) => [t.surface, t.term, t.kind])).toEqual([
      ['I', 'i', 'stop'],
      ['don’t', "don't", 'stop'],
      ['know', 'know', 'word'],
    ]);
    expect(analyzeQueryTerm('don’t', 'en')).toEqual(analyzeQueryTerm("don't", 'en'));
    expect(matchRanges('I don’t know', 'en', ["don't know"])).toEqual([[2, 12]]);
    expect(finds('the customer’s order', "customer's", 'en')).toBe(true);
  });

  it('hyphenated words are separate tokens; a hyphenated query is a phrase', () => {
    const text = 'Online check-in and e-mail are broken.';
    expect(primaryTerms(text, 'en')).toEqual(['onlin', 'check', 'in', 'and', 'e', 'mail', 'are', 'broken']);
    expect(analyzeQueryTerm('check-in', 'en')).toEqual(['check', 'in']);
    expect(matchRanges(text, 'en', ['check-in']).map(([s, e]) => text.slice(s, e))).toEqual(['check-in']);
    expect(matchRanges('check the list in time', 'en', ['check-in'])).toEqual([]);
    expect(matchRanges(text, 'en', ['e-mail']).map(([s, e]) => text.slice(s, e))).toEqual(['e-mail']);
  });

  it('NFKC: full-width letters, ligatures, compatibility forms; capitals produced by NFKC are lowered', () => {
    expect(primaryTerms('Ｈｅｌｌｏ', 'en')).toEqual(['hello']);
    expect(primaryTerms('ﬁnance', 'en')).toEqual(primaryTerms('finance', 'en'));
    expect(primaryTerms('Ⅻ', 'en')).toEqual(['xii']);
    // Decomposed (NFD) and composed (NFC) spellings are the same term.
    expect(primaryTerms('re\u0301clamation', 'fr')).toEqual(primaryTerms('réclamation', 'fr'));
  });

  it('removes invisible format characters (soft hyphen, zero-width space/joiners)', () => {
    expect(primaryTerms('Kün\u00ADdigung', 'de')).toEqual(primaryTerms('Kündigung', 'de'));
    expect(primaryTerms('re\u200Dfund', 'en')).toEqual(['refund']);
  });

  it('astral letters and mixed scripts keep correct UTF-16 offsets', () => {
    const text = '𝐁𝐢𝐥𝐥 ok 𠀀𠀁 Привет hello';
    for (const t of analyze(text, 'ru')) expect(text.slice(t.start, t.end)).toBe(t.surface);
    expect(primaryTerms(text, 'en')).toContain('bill'); // mathematical bold → NFKC → bill
  });

  it('long texts are analysed in pieces without splitting or losing words', () => {
    const sentence = 'The customer called twice about the refunds, CX-1042 and jamie@example.com were mentioned. ';
    const text = sentence.repeat(400); // ~36 000 chars, many pieces
    const one = primaries(sentence, 'en');
    const all = primaries(text, 'en');
    expect(all).toHaveLength(one.length * 400);
    for (let i = 0; i < all.length; i++) {
      const t = all[i]!;
      const ref = one[i % one.length]!;
      expect(t.term).toBe(ref.term);
      expect(t.position).toBe(i);
      expect(t.start).toBe(ref.start + Math.floor(i / one.length) * sentence.length);
    }
  });

  it('a word longer than a segmenter piece stays whole; unpunctuated CJK is still segmented', () => {
    const long = 'a'.repeat(5000);
    const p = primaries(`start ${long} end`, 'en');
    expect(p.map((t) => t.surface.length)).toEqual([5, 5000, 3]);
    expect(p[1]!.term.length).toBe(MAX_TERM_LENGTH);
    const cjk = '我喜欢北京'.repeat(600);
    const terms = primaries(cjk, 'en');
    expect(terms.length).toBeGreaterThan(1500);
    for (const t of terms) expect(cjk.slice(t.start, t.end)).toBe(t.surface);
  });

  it('texts with digits everywhere keep every word', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `item${i} costs ${i}.50 and x`).join(' ');
    const p = analyze(text, 'en').filter(isPrimary);
    expect(p).toHaveLength(3000 * 5);
  });
});
