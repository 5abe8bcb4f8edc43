// The e-mails of indicator subscriptions: an alert per interaction (continuous) and a digest per period, as plain text
// and simple HTML, with links into the app and a signed unsubscribe link that works without logging in. Times read in
// the subscriber's zone (periods.ts subscriberZone), named after the time.
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
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const conversationLink = (base: string, id: string) => `${base}/conversations/${encodeURIComponent(id)}?tab=analytics`;
export const unsubscribeLink = (base: string, token: string) => `${base}/api/insights/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`;

function footer(base: string, token: string) {
  const link = unsubscribeLink(base, token);
  return {
    text: `\n--\nYou receive this because you subscribed to this indicator in Earshot (${base}/reports).\nUnsubscribe: ${link}\n`,
    html: `<hr><p style="color:#666;font-size:12px">You receive this because you subscribed to this indicator in Earshot. <a href="${esc(link)}">Unsubscribe</a></p>`,
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
}

export function renderAlert(a: AlertInput): MailParts {
  const link = conversationLink(a.base, a.conversation.id);
  const f = footer(a.base, a.token);
  const started = when(a.conversation.startedAt, a.timeZone ?? 'UTC');
  const lines = a.mentions.map((m) => `  • "${m.keyword}" said by the ${m.role}${m.startMs !== null ? ` at ${clock(m.startMs)}` : ''}`);
  const text =
    `${a.indicatorName} (${a.categoryName}) was mentioned in an interaction.\n\n` +
    `${a.conversation.title}\nStarted ${started}\n${plural(a.mentions.length, 'mention')}:\n${lines.join('\n')}\n\n` +
    `Open it: ${link}\n${f.text}`;
  const html =
    `<p><strong>${esc(a.indicatorName)}</strong> (${esc(a.categoryName)}) was mentioned in an interaction.</p>` +
    `<p><a href="${esc(link)}">${esc(a.conversation.title)}</a><br>Started ${esc(started)}</p>` +
    `<ul>${a.mentions.map((m) => `<li>“${esc(m.keyword)}” said by the ${esc(m.role)}${m.startMs !== null ? ` at ${clock(m.startMs)}` : ''}</li>`).join('')}</ul>${f.html}`;
  return { subject: `Earshot: "${a.indicatorName}" mentioned in ${a.conversation.title}`, text, html, headers: f.headers };
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
}

export function renderDigest(d: DigestInput): MailParts {
  const f = footer(d.base, d.token);
  const pct = d.ofInteractions ? ` of ${d.ofInteractions} (${((100 * d.interactions) / d.ofInteractions).toFixed(1)} %)` : '';
  // The report takes days, both inclusive: the period's first local day to the day before it ends.
  const firstDay = formatIsoDate(localDate(Date.parse(d.from), d.timeZone));
  const lastDay = formatIsoDate(addDays(localDate(Date.parse(d.to), d.timeZone), -1));
  const report = `${d.base}/reports?report=indicator-mentions&indicatorId=${encodeURIComponent(d.indicatorId)}&from=${firstDay}&to=${lastDay}`;
  const period = `${when(d.from, d.timeZone)} – ${when(d.to, d.timeZone)}`;
  const text =
    `${d.indicatorName} (${d.categoryName}), ${d.frequency} digest\nPeriod: ${period}\n\n` +
    `Interactions with a mention: ${d.interactions}${pct}\nMentions: ${d.mentions}\n\nBy keyword:\n` +
    d.keywords.map((k) => `  ${k.keyword}: ${plural(k.mentions, 'mention')} in ${plural(k.interactions, 'interaction')}`).join('\n') +
    `\n\nInteractions:\n` +
    d.top.map((c) => `  ${when(c.startedAt, d.timeZone)}  ${c.title} (${plural(c.mentions, 'mention')})\n    ${conversationLink(d.base, c.id)}`).join('\n') +
    (d.interactions > d.top.length ? `\n  … and ${d.interactions - d.top.length} more` : '') +
    `\n\nReport: ${report}\n${f.text}`;
  const html =
    `<p><strong>${esc(d.indicatorName)}</strong> (${esc(d.categoryName)}), ${esc(d.frequency)} digest<br>Period: ${esc(period)}</p>` +
    `<p>Interactions with a mention: <strong>${d.interactions}</strong>${esc(pct)}<br>Mentions: ${d.mentions}</p>` +
    `<table cellpadding="4"><tr><th align="left">Keyword</th><th>Mentions</th><th>Interactions</th></tr>` +
    d.keywords.map((k) => `<tr><td>${esc(k.keyword)}</td><td align="right">${k.mentions}</td><td align="right">${k.interactions}</td></tr>`).join('') +
    `</table><ul>` +
    d.top
      .map(
        (c) =>
          `<li><a href="${esc(conversationLink(d.base, c.id))}">${esc(c.title)}</a> — ${esc(when(c.startedAt, d.timeZone))}, ${plural(c.mentions, 'mention')}</li>`,
      )
      .join('') +
    `</ul>${d.interactions > d.top.length ? `<p>… and ${d.interactions - d.top.length} more.</p>` : ''}<p><a href="${esc(report)}">Open the report</a></p>${f.html}`;
  return {
    subject: `Earshot: "${d.indicatorName}" in ${plural(d.interactions, 'interaction')} (${d.frequency}, ${firstDay})`,
    text,
    html,
    headers: f.headers,
  };
}
