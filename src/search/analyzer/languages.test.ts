import { describe, expect, it } from 'vitest';
import { analyzeQueryTerm, isStopWord, LANGUAGES, type Language } from './index.ts';
import { stopWords } from './stopwords/index.ts';
import { finds, primaryTerms } from './test-helpers.ts';

/** All forms analyse to one term, and each form's query finds every other form. */
function expectSameTerm(lang: Language, forms: string[]) {
  const terms = new Set(forms.map((f) => analyzeQueryTerm(f, lang).join(' ')));
  expect([...terms], `${lang}: ${forms.join(', ')}`).toHaveLength(1);
  for (const a of forms) for (const b of forms) expect(finds(`… ${a} …`, b, lang), `${b} finds ${a}`).toBe(true);
}

describe('stemming per language (Snowball)', () => {
  it('en: help finds helping, helped, helps', () => {
    expectSameTerm('en', ['help', 'helping', 'helped', 'helps', 'Helping']);
    expectSameTerm('en', ['bill', 'bills', 'billing', 'billed']);
    expectSameTerm('en', ['refund', 'refunds', 'refunded', 'refunding']);
    expect(finds('The agent helped me.', 'help', 'en')).toBe(true);
    expect(finds('The helpers were there.', 'help', 'en')).toBe(false); // helper is another stem
    expect(finds('I called about the customer’s order', "customer's", 'en')).toBe(true);
  });

  it('fr: facture finds factures; réclamation and its plural', () => {
    expectSameTerm('fr', ['facture', 'factures', 'Facturé', 'facturés']);
    expectSameTerm('fr', ['réclamation', 'réclamations']);
    expectSameTerm('fr', ['appel', 'appels', "l'appel", 'l’appel']);
    expect(finds("J'ai reçu deux factures", 'facture', 'fr')).toBe(true);
    expect(finds('Une facture est arrivée', 'factures', 'fr')).toBe(true);
  });

  it('es: factura, reclamación, ayudar', () => {
    expectSameTerm('es', ['factura', 'facturas']);
    expectSameTerm('es', ['reclamación', 'reclamaciones']);
    expectSameTerm('es', ['ayuda', 'ayudar', 'ayudó', 'ayudando']);
  });

  it('pt: fatura, reclamação, ajudar', () => {
    expectSameTerm('pt', ['fatura', 'faturas']);
    expectSameTerm('pt', ['reclamação', 'reclamações']);
    expectSameTerm('pt', ['ajuda', 'ajudar', 'ajudou', 'ajudando']);
  });

  it('de: Rechnung, Kündigung; compounds stay one term', () => {
    expectSameTerm('de', ['Rechnung', 'Rechnungen']);
    expectSameTerm('de', ['Kündigung', 'Kündigungen']);
    expect(primaryTerms('Die Kündigungsbestätigung kam nicht', 'de')).toHaveLength(4);
    expect(finds('Die Kündigungsbestätigung kam nicht', 'Kündigungsbestätigungen', 'de')).toBe(true);
    expect(finds('Die Kündigungsbestätigung kam nicht', 'Kündigung', 'de')).toBe(false); // no decompounding
  });

  it('ru: Cyrillic inflections', () => {
    expectSameTerm('ru', ['счёт', 'счета', 'счету', 'счет']);
    expectSameTerm('ru', ['звонка', 'звонки', 'звонков']);
    expectSameTerm('ru', ['помощь', 'помощи']);
    expect(finds('Я не получил счёт за интернет', 'счета', 'ru')).toBe(true);
  });

  it('cs: Czech inflections', () => {
    expectSameTerm('cs', ['reklamace', 'reklamaci', 'reklamacemi']);
    expectSameTerm('cs', ['faktura', 'faktury', 'fakturou', 'fakturu']);
    // The Snowball Czech stemmer does not undo palatalisation (faktuře → faktuř), but the folded
    // variant (fakture → faktur) still lets faktura find faktuře.
    expect(finds('Volám kvůli faktuře', 'faktura', 'cs')).toBe(true);
    expectSameTerm('cs', ['zákazník', 'zákazníka', 'zákazníkovi']);
    expectSameTerm('cs', ['hovor', 'hovoru', 'hovory']);
    expect(finds('Zákazník volal kvůli faktuře', 'faktura', 'cs')).toBe(true);
  });

  it('an exact word matches itself in any language or alphabet, whatever the tenant language', () => {
    const words = ['счёт', 'faktuře', 'réclamation', 'Kündigung', 'reklamace', 'ayudó', 'não', 'helped', '北京', 'Ελλάδα', 'שלום'];
    for (const lang of LANGUAGES) {
      for (const w of words) expect(finds(`the customer said ${w} twice`, w, lang), `${w} in a ${lang} tenant`).toBe(true);
    }
    // and only itself: a Russian word does not match an unrelated one
    expect(finds('мой счёт', 'звонок', 'en')).toBe(false);
  });
});

describe('stop words per language', () => {
  const cases: Record<Language, [string[], string[]]> = {
    en: [
      ['the', 'and', 'is', 'not', "don't", 'I'],
      ['bill', 'refund', 'cancel'],
    ],
    fr: [
      ['le', 'les', 'et', 'pas', 'nous', 'à'],
      ['facture', 'appel', 'contrat'],
    ],
    es: [
      ['el', 'los', 'y', 'que', 'está', 'nosotros'],
      ['factura', 'llamada'],
    ],
    pt: [
      ['o', 'os', 'e', 'que', 'não', 'você'],
      ['fatura', 'chamada'],
    ],
    de: [
      ['der', 'die', 'und', 'nicht', 'für', 'dass'],
      ['Rechnung', 'Vertrag'],
    ],
    ru: [
      ['и', 'не', 'что', 'как', 'её', 'ещё'],
      ['счёт', 'звонок', 'хорошо'],
    ],
    cs: [
      ['a', 'je', 'že', 'protože', 'jsem', 'který'],
      ['faktura', 'reklamace', 'hovor'],
    ],
  };
  for (const lang of LANGUAGES) {
    it(`${lang}`, () => {
      const [stops, content] = cases[lang];
      for (const w of stops) expect(isStopWord(w, lang), `${w} is a ${lang} stop word`).toBe(true);
      for (const w of content) expect(isStopWord(w, lang), `${w} is not a ${lang} stop word`).toBe(false);
      expect(stopWords(lang).size).toBeGreaterThan(100);
      for (const w of stopWords(lang)) expect(w).toBe(w.toLowerCase().normalize('NFKC'));
    });
  }
});
