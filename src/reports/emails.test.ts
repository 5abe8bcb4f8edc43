// A scheduled report's e-mail in the recipient's language (issue 14): every report and period shape (one day, a
// range) renders in each of the seven UI languages with localized headings, days and numbers, the link, escaped HTML,
// and no English sentence left in a translated mail.
import { describe, expect, it } from 'vitest';
import { englishLeftovers } from '../../test/helpers/english-leftovers.ts';
import { LANGUAGES } from '../auth/languages.ts';
import { formatPeriod, renderReportMail, type ReportMailFacts, type ReportName } from './emails.ts';

const REPORTS: ReportName[] = ['calls_by_day', 'calls_by_group', 'calls_by_user', 'calls_enterprise'];
const PERIODS = [
  ['2026-12-06', '2026-12-06'],
  ['2026-11-30', '2026-12-06'],
  ['2026-11-01', '2026-11-30'],
] as const;
const row = (name: string | null, n: number) => ({
  name,
  conversations: n,
  durationMs: n * 95_000,
  averageMs: 95_000,
  longestMs: 4_000_000,
  inbound: n - 1,
  outbound: 1,
  internal: 0,
});
const rowsOf = (report: ReportName) => {
  const names: Record<ReportName, Array<string | null>> = {
    calls_by_day: ['2026-12-05', '2026-12-06'],
    calls_by_group: ['Team <A>', null],
    calls_by_user: ['Alice Agent', null],
    calls_enterprise: ['Acme'],
  };
  const rows = names[report].map((n, i) => row(n, 1234 + i));
  return {
    rows,
    total: row(
      null,
      rows.reduce((s, r) => s + r.conversations, 0),
    ),
  };
};
const facts = (lang: ReportMailFacts['lang'], report: ReportName, p: (typeof PERIODS)[number]): ReportMailFacts => ({
  lang,
  report,
  from: p[0],
  to: p[1],
  link: 'https://e.example/reports?tab=calls',
  rows: rowsOf(report),
});

describe('scheduled report e-mail', () => {
  it.each(LANGUAGES.flatMap((l) => REPORTS.flatMap((r) => PERIODS.map((_, i) => [l, r, i] as const))))('%s, %s, period %i', (lang, report, i) => {
    const m = renderReportMail(facts(lang, report, PERIODS[i]!));
    expect(m.subject).toContain(formatPeriod(lang, PERIODS[i]![0], PERIODS[i]![1]));
    expect(m.text).toContain('https://e.example/reports?tab=calls');
    expect(m.html).toContain('href="https://e.example/reports?tab=calls"');
    expect(m.html).not.toContain('<A>');
    expect(m.text).not.toMatch(/2026-12-0[56]/);
    if (lang === 'en') {
      expect(m.text).toContain('1,234');
      return;
    }
    const en = renderReportMail(facts('en', report, PERIODS[i]!));
    const data = ['Team <A>', 'Alice Agent', 'Acme', 'https://e.example/reports?tab=calls', 'Earshot'];
    expect(englishLeftovers(en.text, m.text, data)).toEqual([]);
    expect(englishLeftovers(en.subject, m.subject, data)).toEqual([]);
    expect(m.text).not.toMatch(/Open the report|Total duration|Inbound|Outbound|Longest|No group|Unknown agent|Calls per|All calls/);
  });

  it('writes days, ranges and numbers as each language does', () => {
    expect(formatPeriod('en', '2026-11-30', '2026-12-06')).toMatch(/^30 Nov\s–\s6 Dec 2026$/);
    expect(formatPeriod('de', '2026-12-06', '2026-12-06')).toBe('06.12.2026');
    const fr = renderReportMail(facts('fr', 'calls_by_group', PERIODS[0]));
    expect(fr.subject).toBe('Appels par groupe, 6 déc. 2026');
    expect(fr.text).toMatch(/1\s234/);
    expect(fr.text).toContain('Aucun groupe');
    expect(fr.text).toContain('Ouvrir le rapport : https://e.example/reports?tab=calls');
    const cs = renderReportMail(facts('cs', 'calls_by_user', PERIODS[0]));
    expect(cs.text).toMatch(/^Operátor +Hovory +Celková délka/m);
    expect(cs.text).toContain('Neznámý operátor');
    expect(renderReportMail(facts('ru', 'calls_by_day', PERIODS[1])).subject).toMatch(/^Звонки по дням, /);
  });
});
