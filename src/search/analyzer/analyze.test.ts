import { describe, expect, it } from 'vitest';
import {
  analyze,
  analyzeQueryTerm,
  clearAnalyzerCaches,
  EXACT_PREFIX,
  exactQueryTerms,
  isLanguage,
  isPrimary,
  isStopWord,
  LANGUAGES,
  MAX_TERM_LENGTH,
  matchRanges,
} from './index.ts';
import { BoundedCache } from './cache.ts';
import { analyzerCacheSize, CACHE_LIMIT } from './analyze.ts';
import { finds, indexTerms, primaries, primaryTerms } from './test-helpers.ts';

describe('analyze: terms, positions and offsets', () => {
  const text = 'Hello, I was helping Jamie with the refunds — thanks!';

  it('returns one primary term per token, positions 0..n-1 without gaps, stop words included', () => {
    const p = primaries(text, 'en');
    expect(p.map((t) => t.surface)).toEqual(['Hello', 'I', 'was', 'helping', 'Jamie', 'with', 'the', 'refunds', 'thanks']);
    expect(p.map((t) => t.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.map((t) => t.kind)).toEqual(['word', 'stop', 'stop', 'word', 'word', 'stop', 'stop', 'word', 'word']);
    expect(p.map((t) => t.term)).toEqual(['hello', 'i', 'was', 'help', 'jami', 'with', 'the', 'refund', 'thank']);
  });

  it('offsets re-slice to the surface, for every term of every language sample', () => {
    const samples = [
      text,
      "J'ai reçu l’appel : la réclamation concerne deux factures.",
      'Die Kündigungsbestätigung für Straße 12 kam nie an.',
      'Здравствуйте, мой счёт не пришёл.',
      'Dobrý den, reklamace faktury č. 123/2024 — děkuji 👍🏽.',
      '我喜欢北京 😀 mail jamie.doe@example.com, id 01a1feaf-53eb-7195-91eb-058532bf0f92.',
    ];
    for (const lang of LANGUAGES) {
      for (const s of samples) {
        const terms = analyze(s, lang);
        expect(terms.length).toBeGreaterThan(0);
        for (const t of terms) {
          expect(s.slice(t.start, t.end)).toBe(t.surface);
          expect(t.term).not.toBe('');
          expect(t.term).not.toMatch(/\s/);
        }
      }
    }
  });

  it('variants share the position and offsets of the primary that precedes them', () => {
    const terms = analyze('Les réclamations', 'fr');
    expect(terms.map((t) => [t.position, t.kind, t.term])).toEqual([
      [0, 'stop', 'les'],
      [1, 'word', 'réclam'],
      [1, 'exact', '=réclamations'],
      [1, 'folded', 'reclam'],
    ]);
    expect(new Set(terms.slice(1).map((t) => `${t.start}-${t.end}-${t.surface}`)).size).toBe(1);
  });

  it('handles empty, blank and punctuation-only text', () => {
    expect(analyze('', 'en')).toEqual([]);
    expect(analyze('   \n\t ', 'en')).toEqual([]);
    expect(analyze('?!… — 😀 👍', 'en')).toEqual([]);
  });

  it('is deterministic whether the token cache is cold or warm', () => {
    clearAnalyzerCaches();
    const cold = analyze(text, 'en');
    const warm = analyze(text, 'en');
    expect(warm).toEqual(cold);
  });

  it('caps a very long token at MAX_TERM_LENGTH, identically on both sides', () => {
    const blob = 'QUJD'.repeat(500);
    const [t] = analyze(`attachment ${blob} end`, 'en').filter((x) => x.surface === blob);
    expect(t!.term.length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
    expect(analyzeQueryTerm(blob, 'en')).toEqual([t!.term]);
  });

  it('knows its languages', () => {
    expect(LANGUAGES).toEqual(['en', 'fr', 'es', 'pt', 'de', 'ru', 'cs']);
    expect(isLanguage('cs')).toBe(true);
    expect(isLanguage('it')).toBe(false);
  });
});

describe('stop words: indexed at their positions, dropped only from single-term queries', () => {
  it('isStopWord follows the language lists and the normalisation', () => {
    expect(isStopWord('the', 'en')).toBe(true);
    expect(isStopWord('The', 'en')).toBe(true);
    expect(isStopWord('Don’t', 'en')).toBe(true); // typographic apostrophe
    expect(isStopWord('bill', 'en')).toBe(false);
    expect(isStopWord('les', 'fr')).toBe(true);
    expect(isStopWord("qu'il", 'fr')).toBe(true); // elision: qu' + il
    expect(isStopWord('facture', 'fr')).toBe(false);
    expect(isStopWord('los', 'es')).toBe(true);
    expect(isStopWord('não', 'pt')).toBe(true);
    expect(isStopWord('und', 'de')).toBe(true);
    expect(isStopWord('Rechnung', 'de')).toBe(false);
    expect(isStopWord('не', 'ru')).toBe(true);
    expect(isStopWord('её', 'ru')).toBe(true); // ё folded to е like the list
    expect(isStopWord('счёт', 'ru')).toBe(false);
    expect(isStopWord('protože', 'cs')).toBe(true);
    expect(isStopWord('faktura', 'cs')).toBe(false);
    // Stop words are per language: "die" is German, not English.
    expect(isStopWord('die', 'de')).toBe(true);
    expect(isStopWord('die', 'en')).toBe(false);
  });

  it('stop words keep their positions, so phrases with stop words match exactly', () => {
    const doc = 'Honestly I am not interested in the new offer, but interested and curious about the old one.';
    const p = primaries(doc, 'en');
    const interested = p.filter((t) => t.surface === 'interested');
    expect(interested.map((t) => t.position)).toEqual([4, 10]);
    expect(p.find((t) => t.position === 5)).toMatchObject({ surface: 'in', kind: 'stop', term: 'in' });
    // The phrase query "interested in" = [interest, in] at consecutive positions.
    expect(analyzeQueryTerm('interested in', 'en')).toEqual(['interest', 'in']);
    const phrase = matchRanges(doc, 'en', ['interested in']);
    expect(phrase.map(([s, e]) => doc.slice(s, e))).toEqual(['interested in']);
    // "not interested" does not match a bare "interested".
    expect(matchRanges('We are interested.', 'en', ['not interested'])).toEqual([]);
    expect(matchRanges(doc, 'en', ['not interested']).map(([s, e]) => doc.slice(s, e))).toEqual(['not interested']);
  });

  it('a lone stop word is ignored next to other words, but kept when the query has nothing else', () => {
    const doc = 'Is the bill wrong? The bill is wrong.';
    expect(matchRanges(doc, 'en', ['the', 'bill']).map(([s, e]) => doc.slice(s, e))).toEqual(['bill', 'bill']);
    expect(matchRanges(doc, 'en', ['the']).map(([s, e]) => doc.slice(s, e))).toEqual(['the', 'The']);
  });
});

describe('exact surface and accent folding', () => {
  it('indexes =surface when the word differs from its stem, and never for special tokens', () => {
    expect(indexTerms('helped', 'en')).toEqual(new Set(['help', '=helped']));
    expect(indexTerms('help', 'en')).toEqual(new Set(['help']));
    expect(indexTerms('CX-1042', 'en')).toEqual(new Set(['cx-1042']));
    expect(EXACT_PREFIX).toBe('=');
    // No primary or folded term can start with the prefix, so the two never collide.
    for (const t of analyze('= =a a= x=1 ==helped', 'en')) if (t.kind !== 'exact') expect(t.term.startsWith('=')).toBe(false);
  });

  it('exactQueryTerms matches the word as written', () => {
    expect(exactQueryTerms('Helped', 'en')).toEqual(['=helped']);
    expect(indexTerms('they helped', 'en').has('=helped')).toBe(true);
    expect(indexTerms('they help', 'en').has('=helped')).toBe(false);
    expect(indexTerms('they are helping', 'en').has('=helped')).toBe(false);
    expect(exactQueryTerms('help', 'en')).toEqual(['help']); // surface = stem: the stem itself
    expect(exactQueryTerms('jamie.doe@example.com', 'en')).toEqual(['jamie.doe@example.com']);
    expect(exactQueryTerms('Réclamations', 'fr')).toEqual(['=réclamations']);
  });

  it('folds accents one way: unaccented queries find accented text, accented queries stay precise', () => {
    // fr
    expect(finds('Votre réclamation a été enregistrée', 'reclamation', 'fr')).toBe(true);
    expect(finds('Votre reclamation a ete enregistree', 'reclamation', 'fr')).toBe(true);
    expect(finds('Votre réclamation a été enregistrée', 'réclamation', 'fr')).toBe(true);
    expect(finds('Votre reclamation a ete enregistree', 'réclamation', 'fr')).toBe(false);
    // es: ñ folds for the unaccented query only
    expect(finds('Feliz año nuevo', 'ano', 'es')).toBe(true);
    expect(finds('Feliz año nuevo', 'año', 'es')).toBe(true);
    expect(finds('me duele el ano', 'año', 'es')).toBe(false);
    expect(finds('La reclamación está abierta', 'reclamacion', 'es')).toBe(true);
    // pt
    expect(finds('A reclamação foi aberta', 'reclamacao', 'pt')).toBe(true);
    expect(finds('Não recebi a fatura', 'nao', 'pt')).toBe(true);
    // cs: customers often type without háčky and čárky
    expect(finds('Reklamace faktuře nebyla vyřízena', 'fakture', 'cs')).toBe(true);
    expect(finds('Reklamace nebyla vyřízena', 'vyrizena', 'cs')).toBe(true);
    expect(finds('Děkuji za zavolání', 'dekuji', 'cs')).toBe(true);
    // en: names
    expect(finds('José called about the café', 'jose', 'en')).toBe(true);
    expect(finds('José called about the café', 'cafe', 'en')).toBe(true);
    // de: the stemmer folds umlauts and ß itself
    expect(finds('Die Kündigung der Straße', 'kundigung', 'de')).toBe(true);
    expect(finds('Die Kündigung der Straße', 'strasse', 'de')).toBe(true);
    expect(finds('Die Kuendigung', 'kündigung', 'de')).toBe(false); // ue spelling is not folded
    // ru: ё and е are the same letter for search
    expect(finds('Мой счёт не пришёл', 'счет', 'ru')).toBe(true);
    expect(finds('Мой счет не пришел', 'счёт', 'ru')).toBe(true);
  });

  it('does not fold marks that are letters outside the Latin script', () => {
    expect(primaryTerms('й', 'en')).toEqual(['й']);
    expect(indexTerms('Мой', 'en').has('мои')).toBe(false);
  });

  it('every analyzed term kind is one of the documented five', () => {
    const kinds = new Set(analyze('Les réclamations de jamie@example.com CX-1042 helped', 'fr').map((t) => t.kind));
    for (const k of kinds) expect(['word', 'stop', 'special', 'exact', 'folded']).toContain(k);
    expect(analyze('helped', 'en').filter(isPrimary)).toHaveLength(1);
  });
});

describe('BoundedCache', () => {
  it('keeps at most two generations and promotes hits', () => {
    const c = new BoundedCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // young {c}, old {a, b}
    expect(c.get('a')).toBe(1); // promoted: young {c, a}
    c.set('d', 4); // young {d}, old {c, a}: b dropped
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.size).toBeLessThanOrEqual(4);
  });

  it('bounds the analyzer token cache under many distinct tokens', () => {
    clearAnalyzerCaches();
    const letters = (i: number) => i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
    const words = Array.from({ length: 2 * CACHE_LIMIT + 10_000 }, (_, i) => `q${letters(i)}`).join(' ');
    expect(analyze(words, 'en').filter(isPrimary)).toHaveLength(2 * CACHE_LIMIT + 10_000);
    expect(analyzerCacheSize('en')).toBeLessThanOrEqual(2 * CACHE_LIMIT);
  });
});
