// Indicator alerts and digests in the subscriber's language (issue 14): every language says it in its own words,
// counts with its own plural forms (1 zmínka, 3 zmínky, 5 zmínek) and keeps the links; English is unchanged.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../auth/languages.ts';
import { renderAlert, renderDigest, type DigestInput } from './email.ts';

const alert = (lang: (typeof LANGUAGES)[number], n = 1) =>
  renderAlert({
    lang,
    base: 'https://e.example',
    token: 'tok',
    indicatorName: 'Churn',
    categoryName: 'Risk',
    conversation: { id: 'c1', title: 'Call with Pat', startedAt: '2026-12-06T09:30:00Z' },
    mentions: Array.from({ length: n }, (_, i) => ({ keyword: 'cancel my account', role: 'customer', startMs: 61_000 + i })),
    timeZone: 'Europe/Prague',
  });

const digest = (lang: (typeof LANGUAGES)[number], interactions: number, mentions = 5): ReturnType<typeof renderDigest> =>
  renderDigest({
    lang,
    base: 'https://e.example',
    token: 'tok',
    frequency: 'weekly',
    indicatorId: 'i1',
    indicatorName: 'Churn',
    categoryName: 'Risk',
    from: '2026-11-30T00:00:00Z',
    to: '2026-12-07T00:00:00Z',
    timeZone: 'UTC',
    interactions,
    ofInteractions: 40,
    mentions,
    keywords: [{ keyword: 'cancel', mentions, interactions }],
    top: [{ id: 'c1', title: 'Call with Pat', startedAt: '2026-12-01T10:00:00Z', mentions }],
  } satisfies DigestInput);

describe('subscription e-mails in the subscriber language', () => {
  it.each(LANGUAGES)('%s: links, unsubscribe header and no English sentence left', (lang) => {
    for (const m of [alert(lang, 2), digest(lang, 3)]) {
      expect(m.text).toContain('https://e.example/conversations/c1?tab=analytics');
      expect(m.text).toContain('https://e.example/api/insights/subscriptions/unsubscribe?token=tok');
      expect(m.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      if (lang !== 'en') expect(m.text).not.toMatch(/You receive this|was mentioned|Interactions with a mention|Open it:/);
    }
  });

  it('keeps the English wording', () => {
    expect(alert('en').subject).toBe('Earshot: "Churn" mentioned in Call with Pat');
    expect(alert('en').text).toContain('"cancel my account" said by the customer at 1:01');
    expect(digest('en', 3).subject).toBe('Earshot: "Churn" in 3 interactions (weekly, 2026-11-30)');
    expect(digest('en', 3).text).toContain('Interactions with a mention: 3 of 40 (7.5 %)');
    expect(digest('en', 1, 1).text).toContain('cancel: 1 mention in 1 interaction');
  });

  it('counts with each language’s plural forms', () => {
    expect(alert('cs', 1).text).toContain('1 zmínka:');
    expect(alert('cs', 3).text).toContain('3 zmínky:');
    expect(alert('cs', 5).text).toContain('5 zmínek:');
    expect(alert('ru', 2).text).toContain('2 упоминания:');
    expect(alert('ru', 5).text).toContain('5 упоминаний:');
    expect(digest('de', 1, 1).text).toContain('cancel: 1 Erwähnung in 1 Interaktion');
    expect(digest('de', 3).subject).toBe('Earshot: „Churn“ in 3 Interaktionen (wöchentliche Zusammenfassung, 2026-11-30)');
    expect(digest('cs', 3).subject).toBe('Earshot: „Churn“: 3 interakce (týdenní souhrn, 2026-11-30)');
    // Numbers the language's way: a decimal comma in Czech and German.
    expect(digest('cs', 3).text).toContain('z 40 (7,5 %)');
    expect(digest('de', 3).text).toContain('von 40 (7,5 %)');
    expect(alert('de').text).toContain('„cancel my account“ gesagt vom Kunden bei 1:01');
  });
});
