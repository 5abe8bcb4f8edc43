// The e-mails of indicator subscriptions: an alert per interaction (continuous) and a digest per period, as plain text
// and simple HTML, with links into the app and a signed unsubscribe link that works without logging in. Times read in
// the subscriber's zone (periods.ts subscriberZone), named after the time; words in the subscriber's language
// (notify/mail-language.ts: their own, else their group's, else the organisation's), one table per language below.
import { formatMailNumber, pluralOf, type MailLanguage } from '../../notify/mail-language.ts';
import { addDays, formatIsoDate, localDate, wallClockAt } from '../../search/filters/zoned-time.ts';

export interface MailParts {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pad = (n: number) => String(n).padStart(2, '0');
/** "2026-12-06 09:30 Europe/Paris": the wall clock in `zone` (a known zone: periods.ts usableZone). */
const when = (iso: string, zone: string) => {
  const w = wallClockAt(Date.parse(iso), zone);
  return `${formatIsoDate(w)} ${pad(w.hour)}:${pad(w.minute)} ${zone}`;
};
const clock = (ms: number | null) => {
  if (ms === null) return '';
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** A counted noun: the form for each plural category the language has (Intl.PluralRules); `other` is required. */
type Forms = Partial<Record<'one' | 'few' | 'many' | 'other', string>> & { other: string };
type Frequency = 'daily' | 'weekly' | 'monthly';

interface Texts {
  mention: Forms;
  interaction: Forms;
  role: Record<string, string>;
  saidBy: (keyword: string, role: string, at: string) => string;
  mentioned: (indicator: string, category: string) => string;
  started: string;
  openIt: string;
  alertSubject: (indicator: string, title: string) => string;
  digestOf: Record<Frequency, string>;
  period: string;
  withMention: string;
  /** " of 12 (16.7 %)" after the count of interactions with a mention. */
  ofTotal: (total: string, pct: string) => string;
  mentions: string;
  byKeyword: string;
  keywordLine: (keyword: string, mentions: string, interactions: string) => string;
  interactions: string;
  andMore: (n: number) => string;
  report: string;
  openReport: string;
  keyword: string;
  digestSubject: (indicator: string, interactions: string, frequency: string, day: string) => string;
  footer: string;
  unsubscribe: string;
}

const TEXTS: Record<MailLanguage, Texts> = {
  en: {
    mention: { one: 'mention', other: 'mentions' },
    interaction: { one: 'interaction', other: 'interactions' },
    role: { agent: 'agent', customer: 'customer', unknown: 'speaker' },
    saidBy: (k, role, at) => `"${k}" said by the ${role}${at ? ` at ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) was mentioned in an interaction.`,
    started: 'Started',
    openIt: 'Open it',
    alertSubject: (i, title) => `"${i}" mentioned in ${title}`,
    digestOf: { daily: 'daily', weekly: 'weekly', monthly: 'monthly' },
    period: 'Period',
    withMention: 'Interactions with a mention',
    ofTotal: (total, pct) => ` of ${total} (${pct} %)`,
    mentions: 'Mentions',
    byKeyword: 'By keyword',
    keywordLine: (k, m, i) => `${k}: ${m} in ${i}`,
    interactions: 'Interactions',
    andMore: (n) => `… and ${n} more`,
    report: 'Report',
    openReport: 'Open the report',
    keyword: 'Keyword',
    digestSubject: (i, n, f, day) => `"${i}" in ${n} (${f}, ${day})`,
    footer: 'You receive this because you subscribed to this indicator in Earshot',
    unsubscribe: 'Unsubscribe',
  },
  fr: {
    mention: { one: 'mention', many: 'de mentions', other: 'mentions' },
    interaction: { one: 'interaction', many: 'd’interactions', other: 'interactions' },
    role: { agent: 'l’agent', customer: 'le client', unknown: 'un interlocuteur' },
    saidBy: (k, role, at) => `« ${k} » dit par ${role}${at ? ` à ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) a été mentionné dans une interaction.`,
    started: 'Début',
    openIt: 'L’ouvrir',
    alertSubject: (i, title) => `« ${i} » mentionné dans ${title}`,
    digestOf: { daily: 'quotidien', weekly: 'hebdomadaire', monthly: 'mensuel' },
    period: 'Période',
    withMention: 'Interactions avec une mention',
    ofTotal: (total, pct) => ` sur ${total} (${pct} %)`,
    mentions: 'Mentions',
    byKeyword: 'Par mot-clé',
    keywordLine: (k, m, i) => `${k} : ${m} dans ${i}`,
    interactions: 'Interactions',
    andMore: (n) => `… et ${n} de plus`,
    report: 'Rapport',
    openReport: 'Ouvrir le rapport',
    keyword: 'Mot-clé',
    digestSubject: (i, n, f, day) => `« ${i} » dans ${n} (résumé ${f}, ${day})`,
    footer: 'Vous recevez ce message car vous êtes abonné à cet indicateur dans Earshot',
    unsubscribe: 'Se désabonner',
  },
  es: {
    mention: { one: 'mención', many: 'de menciones', other: 'menciones' },
    interaction: { one: 'interacción', many: 'de interacciones', other: 'interacciones' },
    role: { agent: 'el agente', customer: 'el cliente', unknown: 'un interlocutor' },
    saidBy: (k, role, at) => `«${k}» dicho por ${role}${at ? ` en ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) se mencionó en una interacción.`,
    started: 'Inicio',
    openIt: 'Abrirla',
    alertSubject: (i, title) => `«${i}» mencionado en ${title}`,
    digestOf: { daily: 'diario', weekly: 'semanal', monthly: 'mensual' },
    period: 'Periodo',
    withMention: 'Interacciones con una mención',
    ofTotal: (total, pct) => ` de ${total} (${pct} %)`,
    mentions: 'Menciones',
    byKeyword: 'Por palabra clave',
    keywordLine: (k, m, i) => `${k}: ${m} en ${i}`,
    interactions: 'Interacciones',
    andMore: (n) => `… y ${n} más`,
    report: 'Informe',
    openReport: 'Abrir el informe',
    keyword: 'Palabra clave',
    digestSubject: (i, n, f, day) => `«${i}» en ${n} (resumen ${f}, ${day})`,
    footer: 'Recibe este mensaje porque se suscribió a este indicador en Earshot',
    unsubscribe: 'Cancelar la suscripción',
  },
  'pt-BR': {
    mention: { one: 'menção', many: 'de menções', other: 'menções' },
    interaction: { one: 'interação', many: 'de interações', other: 'interações' },
    role: { agent: 'pelo agente', customer: 'pelo cliente', unknown: 'por um interlocutor' },
    saidBy: (k, role, at) => `“${k}” dito ${role}${at ? ` em ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) foi mencionado em uma interação.`,
    started: 'Início',
    openIt: 'Abrir',
    alertSubject: (i, title) => `“${i}” mencionado em ${title}`,
    digestOf: { daily: 'diário', weekly: 'semanal', monthly: 'mensal' },
    period: 'Período',
    withMention: 'Interações com uma menção',
    ofTotal: (total, pct) => ` de ${total} (${pct} %)`,
    mentions: 'Menções',
    byKeyword: 'Por palavra-chave',
    keywordLine: (k, m, i) => `${k}: ${m} em ${i}`,
    interactions: 'Interações',
    andMore: (n) => `… e mais ${n}`,
    report: 'Relatório',
    openReport: 'Abrir o relatório',
    keyword: 'Palavra-chave',
    digestSubject: (i, n, f, day) => `“${i}” em ${n} (resumo ${f}, ${day})`,
    footer: 'Você recebe este e-mail porque assinou este indicador no Earshot',
    unsubscribe: 'Cancelar a assinatura',
  },
  de: {
    mention: { one: 'Erwähnung', other: 'Erwähnungen' },
    interaction: { one: 'Interaktion', other: 'Interaktionen' },
    role: { agent: 'vom Agenten', customer: 'vom Kunden', unknown: 'von einem Sprecher' },
    saidBy: (k, role, at) => `„${k}“ gesagt ${role}${at ? ` bei ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) wurde in einer Interaktion erwähnt.`,
    started: 'Beginn',
    openIt: 'Öffnen',
    alertSubject: (i, title) => `„${i}“ erwähnt in ${title}`,
    digestOf: { daily: 'tägliche', weekly: 'wöchentliche', monthly: 'monatliche' },
    period: 'Zeitraum',
    withMention: 'Interaktionen mit einer Erwähnung',
    ofTotal: (total, pct) => ` von ${total} (${pct} %)`,
    mentions: 'Erwähnungen',
    byKeyword: 'Nach Schlüsselwort',
    keywordLine: (k, m, i) => `${k}: ${m} in ${i}`,
    interactions: 'Interaktionen',
    andMore: (n) => `… und ${n} weitere`,
    report: 'Bericht',
    openReport: 'Bericht öffnen',
    keyword: 'Schlüsselwort',
    digestSubject: (i, n, f, day) => `„${i}“ in ${n} (${f} Zusammenfassung, ${day})`,
    footer: 'Sie erhalten diese E-Mail, weil Sie diesen Indikator in Earshot abonniert haben',
    unsubscribe: 'Abbestellen',
  },
  ru: {
    mention: { one: 'упоминание', few: 'упоминания', many: 'упоминаний', other: 'упоминания' },
    interaction: { one: 'взаимодействие', few: 'взаимодействия', many: 'взаимодействий', other: 'взаимодействия' },
    role: { agent: 'оператор', customer: 'клиент', unknown: 'собеседник' },
    saidBy: (k, role, at) => `«${k}» — говорит ${role}${at ? ` на ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) упомянут во взаимодействии.`,
    started: 'Начало',
    openIt: 'Открыть',
    alertSubject: (i, title) => `«${i}» упомянут: ${title}`,
    digestOf: { daily: 'ежедневная', weekly: 'еженедельная', monthly: 'ежемесячная' },
    period: 'Период',
    withMention: 'Взаимодействия с упоминанием',
    ofTotal: (total, pct) => ` из ${total} (${pct} %)`,
    mentions: 'Упоминания',
    byKeyword: 'По ключевым словам',
    keywordLine: (k, m, i) => `${k}: ${m}, взаимодействий: ${i}`,
    interactions: 'Взаимодействия',
    andMore: (n) => `… и ещё ${n}`,
    report: 'Отчёт',
    openReport: 'Открыть отчёт',
    keyword: 'Ключевое слово',
    digestSubject: (i, n, f, day) => `«${i}»: ${n} (${f} сводка, ${day})`,
    footer: 'Вы получили это письмо, потому что подписались на этот индикатор в Earshot',
    unsubscribe: 'Отписаться',
  },
  cs: {
    mention: { one: 'zmínka', few: 'zmínky', many: 'zmínky', other: 'zmínek' },
    interaction: { one: 'interakce', few: 'interakce', many: 'interakce', other: 'interakcí' },
    role: { agent: 'operátor', customer: 'zákazník', unknown: 'mluvčí' },
    saidBy: (k, role, at) => `„${k}“ — říká ${role}${at ? ` v ${at}` : ''}`,
    mentioned: (i, c) => `${i} (${c}) zazněl v interakci.`,
    started: 'Začátek',
    openIt: 'Otevřít',
    alertSubject: (i, title) => `„${i}“ zazněl v interakci ${title}`,
    digestOf: { daily: 'denní', weekly: 'týdenní', monthly: 'měsíční' },
    period: 'Období',
    withMention: 'Interakce se zmínkou',
    ofTotal: (total, pct) => ` z ${total} (${pct} %)`,
    mentions: 'Zmínky',
    byKeyword: 'Podle klíčového slova',
    keywordLine: (k, m, i) => `${k}: ${m}, interakcí: ${i}`,
    interactions: 'Interakce',
    andMore: (n) => `… a dalších ${n}`,
    report: 'Přehled',
    openReport: 'Otevřít přehled',
    keyword: 'Klíčové slovo',
    digestSubject: (i, n, f, day) => `„${i}“: ${n} (${f} souhrn, ${day})`,
    footer: 'Tento e-mail dostáváte, protože odebíráte tento indikátor v Earshot',
    unsubscribe: 'Zrušit odběr',
  },
};

/** "3 mentions", "1 zmínka", "5 zmínek": the number and the noun's form for it. */
function counted(lang: MailLanguage, n: number, forms: Forms): string {
  const form = forms[pluralOf(lang, n) as keyof Forms] ?? forms.other;
  return `${n} ${form}`;
}
/** For the ru/cs keyword lines, which name the count after a label: just the number. */
const bare = (lang: MailLanguage) => lang === 'ru' || lang === 'cs';

export const conversationLink = (base: string, id: string) => `${base}/conversations/${encodeURIComponent(id)}?tab=analytics`;
export const unsubscribeLink = (base: string, token: string) => `${base}/api/insights/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`;

function footer(lang: MailLanguage, base: string, token: string) {
  const x = TEXTS[lang];
  const link = unsubscribeLink(base, token);
  return {
    text: `\n--\n${x.footer} (${base}/reports).\n${x.unsubscribe}: ${link}\n`,
    html: `<hr><p style="color:#666;font-size:12px">${esc(x.footer)}. <a href="${esc(link)}">${esc(x.unsubscribe)}</a></p>`,
    // RFC 8058 one-click unsubscribe: mail clients POST to the link without showing the page.
    headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

export interface AlertInput {
  base: string;
  token: string;
  indicatorName: string;
  categoryName: string;
  conversation: { id: string; title: string; startedAt: string };
  mentions: Array<{ keyword: string; role: string; startMs: number | null }>;
  /** The subscriber's zone; UTC when absent. */
  timeZone?: string;
  /** The subscriber's language; English when absent. */
  lang?: MailLanguage;
}

export function renderAlert(a: AlertInput): MailParts {
  const lang = a.lang ?? 'en';
  const x = TEXTS[lang];
  const link = conversationLink(a.base, a.conversation.id);
  const f = footer(lang, a.base, a.token);
  const started = when(a.conversation.startedAt, a.timeZone ?? 'UTC');
  const said = (m: AlertInput['mentions'][number]) => x.saidBy(m.keyword, x.role[m.role] ?? m.role, m.startMs !== null ? clock(m.startMs) : '');
  const text =
    `${x.mentioned(a.indicatorName, a.categoryName)}\n\n` +
    `${a.conversation.title}\n${x.started} ${started}\n${counted(lang, a.mentions.length, x.mention)}:\n${a.mentions.map((m) => `  • ${said(m)}`).join('\n')}\n\n` +
    `${x.openIt}: ${link}\n${f.text}`;
  const html =
    `<p>${esc(x.mentioned(a.indicatorName, a.categoryName))}</p>` +
    `<p><a href="${esc(link)}">${esc(a.conversation.title)}</a><br>${esc(x.started)} ${esc(started)}</p>` +
    `<ul>${a.mentions.map((m) => `<li>${esc(said(m))}</li>`).join('')}</ul>${f.html}`;
  return { subject: `Earshot: ${x.alertSubject(a.indicatorName, a.conversation.title)}`, text, html, headers: f.headers };
}

export interface DigestInput {
  base: string;
  token: string;
  frequency: string;
  indicatorId: string;
  indicatorName: string;
  categoryName: string;
  from: string;
  to: string;
  /** The zone the period was cut in (the subscriber's). */
  timeZone: string;
  interactions: number;
  ofInteractions: number;
  mentions: number;
  keywords: Array<{ keyword: string; mentions: number; interactions: number }>;
  top: Array<{ id: string; title: string; startedAt: string; mentions: number }>;
  /** The subscriber's language; English when absent. */
  lang?: MailLanguage;
}

export function renderDigest(d: DigestInput): MailParts {
  const lang = d.lang ?? 'en';
  const x = TEXTS[lang];
  const f = footer(lang, d.base, d.token);
  const frequency = x.digestOf[d.frequency as Frequency] ?? d.frequency;
  const share = d.ofInteractions ? (100 * d.interactions) / d.ofInteractions : 0;
  // English keeps the figure as it always was (one decimal, a point); the others write it their way.
  const pctText = lang === 'en' ? share.toFixed(1) : formatMailNumber(Math.round(share * 10) / 10, lang, 1);
  const pct = d.ofInteractions ? x.ofTotal(String(d.ofInteractions), pctText) : '';
  // The report takes days, both inclusive: the period's first local day to the day before it ends.
  const firstDay = formatIsoDate(localDate(Date.parse(d.from), d.timeZone));
  const lastDay = formatIsoDate(addDays(localDate(Date.parse(d.to), d.timeZone), -1));
  const report = `${d.base}/reports?report=indicator-mentions&indicatorId=${encodeURIComponent(d.indicatorId)}&from=${firstDay}&to=${lastDay}`;
  const period = `${when(d.from, d.timeZone)} – ${when(d.to, d.timeZone)}`;
  const heading = lang === 'en' ? `${d.indicatorName} (${d.categoryName}), ${frequency} digest` : `${d.indicatorName} (${d.categoryName}) — ${frequency}`;
  const mentions = (n: number) => counted(lang, n, x.mention);
  const interactions = (n: number) => (bare(lang) ? String(n) : counted(lang, n, x.interaction));
  const text =
    `${heading}\n${x.period}: ${period}\n\n` +
    `${x.withMention}: ${d.interactions}${pct}\n${x.mentions}: ${d.mentions}\n\n${x.byKeyword}:\n` +
    d.keywords.map((k) => `  ${x.keywordLine(k.keyword, mentions(k.mentions), interactions(k.interactions))}`).join('\n') +
    `\n\n${x.interactions}:\n` +
    d.top.map((c) => `  ${when(c.startedAt, d.timeZone)}  ${c.title} (${mentions(c.mentions)})\n    ${conversationLink(d.base, c.id)}`).join('\n') +
    (d.interactions > d.top.length ? `\n  ${x.andMore(d.interactions - d.top.length)}` : '') +
    `\n\n${x.report}: ${report}\n${f.text}`;
  const html =
    `<p>${esc(heading)}<br>${esc(x.period)}: ${esc(period)}</p>` +
    `<p>${esc(x.withMention)}: <strong>${d.interactions}</strong>${esc(pct)}<br>${esc(x.mentions)}: ${d.mentions}</p>` +
    `<table cellpadding="4"><tr><th align="left">${esc(x.keyword)}</th><th>${esc(x.mentions)}</th><th>${esc(x.interactions)}</th></tr>` +
    d.keywords.map((k) => `<tr><td>${esc(k.keyword)}</td><td align="right">${k.mentions}</td><td align="right">${k.interactions}</td></tr>`).join('') +
    `</table><ul>` +
    d.top
      .map(
        (c) =>
          `<li><a href="${esc(conversationLink(d.base, c.id))}">${esc(c.title)}</a> — ${esc(when(c.startedAt, d.timeZone))}, ${esc(mentions(c.mentions))}</li>`,
      )
      .join('') +
    `</ul>${d.interactions > d.top.length ? `<p>${esc(x.andMore(d.interactions - d.top.length))}.</p>` : ''}<p><a href="${esc(report)}">${esc(x.openReport)}</a></p>${f.html}`;
  return {
    subject: `Earshot: ${x.digestSubject(d.indicatorName, counted(lang, d.interactions, x.interaction), frequency, firstDay)}`,
    text,
    html,
    headers: f.headers,
  };
}
