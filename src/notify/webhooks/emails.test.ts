// The "webhook disabled" e-mail (issue 14: mails in the recipient's language): every variant (an error or an HTTP
// status, counts that take each plural form) renders in each of the seven UI languages with the link, escaped HTML,
// and no English sentence left in a translated mail.
import { describe, expect, it } from 'vitest';
import { englishLeftovers } from '../../../test/helpers/english-leftovers.ts';
import { LANGUAGES } from '../../auth/languages.ts';
import { renderWebhookDisabledMail, type WebhookDisabledFacts } from './emails.ts';

const VARIANTS: ReadonlyArray<{ attempts: number; lastError: string | null; statusCode: number | null }> = [
  { attempts: 1, lastError: 'connect ECONNREFUSED 10.0.0.9:443', statusCode: null },
  { attempts: 3, lastError: null, statusCode: 503 },
  { attempts: 11, lastError: null, statusCode: 500 },
  { attempts: 22, lastError: 'timeout <after 10 s>', statusCode: null },
];

const facts = (lang: WebhookDisabledFacts['lang'], v: (typeof VARIANTS)[number]): WebhookDisabledFacts => ({
  lang,
  recipientName: 'Ana <Admin>',
  endpointName: 'CRM sync',
  url: 'https://crm.example.com/hook?…',
  failingSince: '2026-12-06T08:00:00.000Z',
  link: 'https://e.example/admin/webhooks',
  ...v,
});

describe('webhook disabled e-mail', () => {
  it.each(LANGUAGES.flatMap((l) => VARIANTS.map((v, i) => [l, i] as const)))('%s, variant %i', (lang, i) => {
    const v = VARIANTS[i]!;
    const m = renderWebhookDisabledMail(facts(lang, v));
    expect(m.subject).toMatch(/^Earshot: \S/);
    expect(m.subject).toContain('CRM sync');
    expect(m.text).toContain('https://e.example/admin/webhooks');
    expect(m.html).toContain('href="https://e.example/admin/webhooks"');
    expect(m.text).toContain('https://crm.example.com/hook?…');
    expect(m.text).toContain(v.lastError ?? String(v.statusCode));
    expect(m.html).not.toMatch(/<Admin>|<after/);
    if (lang === 'en') return;
    const en = renderWebhookDisabledMail(facts('en', v));
    const data = ['Ana <Admin>', 'CRM sync', 'https://crm.example.com/hook?…', 'https://e.example/admin/webhooks', v.lastError ?? String(v.statusCode)];
    expect(englishLeftovers(en.text, m.text, data)).toEqual([]);
    expect(englishLeftovers(en.subject, m.subject, data)).toEqual([]);
  });

  it('counts with the plural forms of each language', () => {
    const text = (lang: WebhookDisabledFacts['lang'], attempts: number) => renderWebhookDisabledMail(facts(lang, { ...VARIANTS[1]!, attempts })).text;
    expect(text('en', 1)).toContain('(1 attempt in a row)');
    expect(text('de', 11)).toContain('(11 Versuche in Folge)');
    expect(text('ru', 3)).toContain('(3 попытки подряд)');
    expect(text('ru', 11)).toContain('(11 попыток подряд)');
    expect(text('ru', 21)).toContain('(21 попытка подряд)');
    expect(text('cs', 4)).toContain('(4 pokusy za sebou)');
    expect(text('cs', 5)).toContain('(5 pokusů za sebou)');
    expect(text('fr', 2)).toContain('(2 tentatives consécutives)');
    // The leftover check itself finds English in an English mail.
    expect(englishLeftovers(text('en', 2), text('en', 2), ['CRM sync']).length).toBeGreaterThan(3);
  });
});
