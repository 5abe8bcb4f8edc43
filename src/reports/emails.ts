// A scheduled report's e-mail (schedules.ts) in the recipient's language (any of the seven UI languages:
// notify/mail-language.ts): title, period, column headings, days and counts as people there write them, the table in
// plain text and simple HTML, with the link to the report in the app. Pure. The words follow the Reports screen's
// (web/src/i18n, reports.calls). One table of sentences per language.
import { formatMailNumber, mailLocale, type MailLanguage } from '../notify/mail-language.ts';

export type ReportName = 'calls_by_day' | 'calls_by_group' | 'calls_by_user' | 'calls_enterprise';

export interface ReportRow {
  name: string | null;
  conversations: number;
  durationMs: number | null;
  averageMs: number | null;
  longestMs: number | null;
  inbound: number;
  outbound: number;
  internal: number;
}

export interface ReportMailFacts {
  lang: MailLanguage;
  report: ReportName;
  /** ISO days, both included. */
  from: string;
  to: string;
  link: string;
  rows: { rows: ReportRow[]; total: ReportRow };
}

interface Texts {
  title: Record<ReportName, string>;
  rowLabel: Record<ReportName, string>;
  columns: [calls: string, total: string, average: string, longest: string, inbound: string, outbound: string, internal: string];
  total: string;
  noGroup: string;
  unknownAgent: string;
  open: string;
  footer: string;
}

const TEXTS: Record<MailLanguage, Texts> = {
  en: {
    title: { calls_by_day: 'Calls per day', calls_by_group: 'Calls per group', calls_by_user: 'Calls per agent', calls_enterprise: 'All calls' },
    rowLabel: { calls_by_day: 'Day', calls_by_group: 'Group', calls_by_user: 'Agent', calls_enterprise: 'Organisation' },
    columns: ['Calls', 'Total duration', 'Average', 'Longest', 'Inbound', 'Outbound', 'Internal'],
    total: 'Total',
    noGroup: 'No group',
    unknownAgent: 'Unknown agent',
    open: 'Open the report',
    footer: 'You receive this because you scheduled this report in Earshot (Reports → Calls → Schedule).',
  },
  fr: {
    title: { calls_by_day: 'Appels par jour', calls_by_group: 'Appels par groupe', calls_by_user: 'Appels par agent', calls_enterprise: 'Tous les appels' },
    rowLabel: { calls_by_day: 'Jour', calls_by_group: 'Groupe', calls_by_user: 'Agent', calls_enterprise: 'Organisation' },
    columns: ['Appels', 'Durée totale', 'Moyenne', 'Le plus long', 'Entrants', 'Sortants', 'Internes'],
    total: 'Total',
    noGroup: 'Aucun groupe',
    unknownAgent: 'Agent inconnu',
    open: 'Ouvrir le rapport',
    footer: 'Vous recevez cet e-mail parce que vous avez programmé ce rapport dans Earshot (Rapports → Appels → Planifier).',
  },
  es: {
    title: {
      calls_by_day: 'Llamadas por día',
      calls_by_group: 'Llamadas por grupo',
      calls_by_user: 'Llamadas por agente',
      calls_enterprise: 'Todas las llamadas',
    },
    rowLabel: { calls_by_day: 'Día', calls_by_group: 'Grupo', calls_by_user: 'Agente', calls_enterprise: 'Organización' },
    columns: ['Llamadas', 'Duración total', 'Media', 'La más larga', 'Entrantes', 'Salientes', 'Internas'],
    total: 'Total',
    noGroup: 'Sin grupo',
    unknownAgent: 'Agente desconocido',
    open: 'Abrir el informe',
    footer: 'Recibe este correo porque programó este informe en Earshot (Informes → Llamadas → Programar).',
  },
  'pt-BR': {
    title: {
      calls_by_day: 'Chamadas por dia',
      calls_by_group: 'Chamadas por grupo',
      calls_by_user: 'Chamadas por agente',
      calls_enterprise: 'Todas as chamadas',
    },
    rowLabel: { calls_by_day: 'Dia', calls_by_group: 'Grupo', calls_by_user: 'Agente', calls_enterprise: 'Organização' },
    columns: ['Chamadas', 'Duração total', 'Média', 'Mais longa', 'Entrada', 'Saída', 'Internas'],
    total: 'Total',
    noGroup: 'Sem grupo',
    unknownAgent: 'Agente desconhecido',
    open: 'Abrir o relatório',
    footer: 'Você recebe este e-mail porque agendou este relatório no Earshot (Relatórios → Chamadas → Programar).',
  },
  de: {
    title: { calls_by_day: 'Anrufe pro Tag', calls_by_group: 'Anrufe pro Gruppe', calls_by_user: 'Anrufe pro Agent', calls_enterprise: 'Alle Anrufe' },
    rowLabel: { calls_by_day: 'Tag', calls_by_group: 'Gruppe', calls_by_user: 'Agent', calls_enterprise: 'Organisation' },
    columns: ['Anrufe', 'Gesamtdauer', 'Durchschnitt', 'Längster', 'Eingehend', 'Ausgehend', 'Intern'],
    total: 'Gesamt',
    noGroup: 'Keine Gruppe',
    unknownAgent: 'Unbekannter Agent',
    open: 'Bericht öffnen',
    footer: 'Sie erhalten diese E-Mail, weil Sie diesen Bericht in Earshot geplant haben (Berichte → Anrufe → Planen).',
  },
  ru: {
    title: { calls_by_day: 'Звонки по дням', calls_by_group: 'Звонки по группам', calls_by_user: 'Звонки по операторам', calls_enterprise: 'Все звонки' },
    rowLabel: { calls_by_day: 'День', calls_by_group: 'Группа', calls_by_user: 'Оператор', calls_enterprise: 'Организация' },
    columns: ['Звонки', 'Общая длительность', 'Средняя', 'Самый длинный', 'Входящие', 'Исходящие', 'Внутренние'],
    total: 'Итого',
    noGroup: 'Без группы',
    unknownAgent: 'Неизвестный оператор',
    open: 'Открыть отчёт',
    footer: 'Вы получили это письмо, потому что запланировали этот отчёт в Earshot (Отчёты → Звонки → Расписание).',
  },
  cs: {
    title: {
      calls_by_day: 'Hovory po dnech',
      calls_by_group: 'Hovory po skupinách',
      calls_by_user: 'Hovory po operátorech',
      calls_enterprise: 'Všechny hovory',
    },
    rowLabel: { calls_by_day: 'Den', calls_by_group: 'Skupina', calls_by_user: 'Operátor', calls_enterprise: 'Organizace' },
    columns: ['Hovory', 'Celková délka', 'Průměr', 'Nejdelší', 'Příchozí', 'Odchozí', 'Interní'],
    total: 'Celkem',
    noGroup: 'Bez skupiny',
    unknownAgent: 'Neznámý operátor',
    open: 'Otevřít přehled',
    footer: 'Tento e-mail dostáváte, protože jste si v Earshotu naplánovali tento přehled (Přehledy → Hovory → Naplánovat).',
  },
};

export const reportTitle = (lang: MailLanguage, report: ReportName) => TEXTS[lang].title[report];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** h:mm:ss or m:ss — read the same way in every language. */
const dur = (ms: number | null) => {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
};

const dayFormat = (lang: MailLanguage) => new Intl.DateTimeFormat(mailLocale(lang), { dateStyle: 'medium', timeZone: 'UTC' });
const asDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** One day, or a range written as the language writes one ("1–7 Dec 2026", "1.–7. 12. 2026"). */
export function formatPeriod(lang: MailLanguage, from: string, to: string): string {
  const f = dayFormat(lang);
  return from === to ? f.format(asDate(from)) : f.formatRange(asDate(from), asDate(to));
}

export function renderReportMail(input: ReportMailFacts): { subject: string; text: string; html: string } {
  const x = TEXTS[input.lang];
  const n = (v: number) => formatMailNumber(v, input.lang, 0);
  const days = dayFormat(input.lang);
  const rowName = (name: string | null) => {
    if (input.report === 'calls_by_day' && name && /^\d{4}-\d{2}-\d{2}$/.test(name)) return days.format(asDate(name));
    if (name) return name;
    return input.report === 'calls_by_group' ? x.noGroup : input.report === 'calls_by_user' ? x.unknownAgent : '—';
  };
  const head = [x.rowLabel[input.report], ...x.columns];
  const cells = [...input.rows.rows.map((r) => ({ ...r, name: rowName(r.name) })), { ...input.rows.total, name: x.total }].map((r) => [
    r.name,
    n(r.conversations),
    dur(r.durationMs),
    dur(r.averageMs),
    dur(r.longestMs),
    n(r.inbound),
    n(r.outbound),
    n(r.internal),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  const subject = `${x.title[input.report]}, ${formatPeriod(input.lang, input.from, input.to)}`;
  const colon = input.lang === 'fr' ? ' :' : ':';
  const text = `${subject}\n\n${[line(head), ...cells.map(line)].join('\n')}\n\n${x.open}${colon} ${input.link}\n\n--\n${x.footer}\n`;
  const html =
    `<h2 style="font-family:sans-serif">${esc(subject)}</h2><table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">` +
    `<tr>${head.map((h, i) => `<th style="text-align:${i ? 'right' : 'left'};padding:4px 8px;border-bottom:1px solid #ccc">${esc(h)}</th>`).join('')}</tr>` +
    cells
      .map(
        (c) =>
          `<tr>${c.map((v, i) => `<td style="text-align:${i ? 'right' : 'left'};padding:4px 8px;border-bottom:1px solid #eee">${esc(v)}</td>`).join('')}</tr>`,
      )
      .join('') +
    `</table><p><a href="${esc(input.link)}">${esc(x.open)}</a></p>` +
    `<hr><p style="color:#666;font-size:12px">${esc(x.footer)}</p>`;
  return { subject, text, html };
}
