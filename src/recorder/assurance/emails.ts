// The recording assurance digest (notify.ts) in the recipient's language (any of the seven UI languages:
// notify/mail-language.ts), as plain text and simple HTML. Pure: notify.ts gives the facts; the details of a flag
// and a source's last error are data from the recorder and stay as recorded. One table of sentences per language.
import { formatMailDateTime, formatMailNumber, pluralOf, type MailLanguage } from '../../notify/mail-language.ts';

export type AssuranceFlag = 'not_recorded' | 'one_sided' | 'empty' | 'clipped' | 'long_gaps';

export interface AssuranceDigestFacts {
  lang: MailLanguage;
  /** The base URL of the app, without a trailing slash. */
  base: string;
  /** Distinct calls among the events. */
  calls: number;
  probes: Array<{ name: string | null; target: string; failingSince: string; lastError: string | null; lastStatus: number | string | null }>;
  /** Events per flag, in the order to list them. */
  counts: Array<{ flag: string; n: number }>;
  /** The events listed one by one (the first ones). */
  events: Array<{ startedAt: string; callRef: string; flag: string; detail: string; conversationId: string | null }>;
  /** Events not listed. */
  more: number;
}

type Plural = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type Counted = (n: string, p: Plural) => string;

interface Texts {
  calls: Counted;
  sources: Counted;
  flags: Record<AssuranceFlag, string>;
  probesHead: string;
  since: string;
  noAnswer: string;
  flaggedHead: string;
  call: string;
  more: (n: string, p: Plural) => string;
  health: string;
  footer: string;
}

/** Russian and Czech: one, few, other (many is for fractions in Czech, "5 and more" in Russian). */
const slavic = (p: Plural, one: string, few: string, many: string) => (p === 'one' ? one : p === 'few' ? few : many);

const TEXTS: Record<MailLanguage, Texts> = {
  en: {
    calls: (n, p) => `${n} ${p === 'one' ? 'call' : 'calls'} with a recording problem`,
    sources: (n, p) => `${n} recording ${p === 'one' ? 'source' : 'sources'} not answering`,
    flags: {
      not_recorded: 'not recorded',
      one_sided: 'one-sided (a party is silent or missing)',
      empty: 'empty recording',
      clipped: 'recording clipped before the end of the call',
      long_gaps: 'long gaps in the audio',
    },
    probesHead: 'Recording sources that stopped answering SIP OPTIONS (calls they send may not be recorded):',
    since: 'since',
    noAnswer: 'no answer',
    flaggedHead: 'Calls flagged by recording assurance:',
    call: 'call',
    more: (n) => `… and ${n} more.`,
    health: 'Recording health',
    footer: 'You receive this because you manage the recorder (permission recorder.manage). At most one such e-mail an hour.',
  },
  fr: {
    calls: (n, p) => `${n} ${p === 'one' ? 'appel' : 'appels'} avec un problème d'enregistrement`,
    sources: (n, p) => `${n} ${p === 'one' ? "source d'enregistrement ne répond pas" : "sources d'enregistrement ne répondent pas"}`,
    flags: {
      not_recorded: 'non enregistré',
      one_sided: 'unilatéral (une partie est muette ou absente)',
      empty: 'enregistrement vide',
      clipped: "enregistrement coupé avant la fin de l'appel",
      long_gaps: "longues coupures dans l'audio",
    },
    probesHead: "Sources d'enregistrement qui ne répondent plus aux SIP OPTIONS (les appels qu'elles envoient risquent de ne pas être enregistrés) :",
    since: 'depuis le',
    noAnswer: 'pas de réponse',
    flaggedHead: "Appels signalés par le contrôle d'enregistrement :",
    call: 'appel',
    more: (n) => `… et ${n} de plus.`,
    health: "État de l'enregistrement",
    footer: "Vous recevez cet e-mail parce que vous gérez l'enregistreur (permission recorder.manage). Au plus un e-mail de ce type par heure.",
  },
  es: {
    calls: (n, p) => `${n} ${p === 'one' ? 'llamada' : 'llamadas'} con un problema de grabación`,
    sources: (n, p) => `${n} ${p === 'one' ? 'fuente de grabación no responde' : 'fuentes de grabación no responden'}`,
    flags: {
      not_recorded: 'no grabada',
      one_sided: 'unilateral (una de las partes está en silencio o falta)',
      empty: 'grabación vacía',
      clipped: 'grabación cortada antes del final de la llamada',
      long_gaps: 'largos vacíos en el audio',
    },
    probesHead: 'Fuentes de grabación que dejaron de responder a SIP OPTIONS (puede que las llamadas que envían no se graben):',
    since: 'desde el',
    noAnswer: 'sin respuesta',
    flaggedHead: 'Llamadas señaladas por el control de grabación:',
    call: 'llamada',
    more: (n) => `… y ${n} más.`,
    health: 'Estado de la grabación',
    footer: 'Recibe este correo porque gestiona el grabador (permiso recorder.manage). Como máximo un correo de este tipo por hora.',
  },
  'pt-BR': {
    calls: (n, p) => `${n} ${p === 'one' ? 'chamada' : 'chamadas'} com problema de gravação`,
    sources: (n, p) => `${n} ${p === 'one' ? 'fonte de gravação sem resposta' : 'fontes de gravação sem resposta'}`,
    flags: {
      not_recorded: 'não gravada',
      one_sided: 'unilateral (uma das partes está em silêncio ou ausente)',
      empty: 'gravação vazia',
      clipped: 'gravação cortada antes do fim da chamada',
      long_gaps: 'longas lacunas no áudio',
    },
    probesHead: 'Fontes de gravação que pararam de responder a SIP OPTIONS (as chamadas que elas enviam podem não ser gravadas):',
    since: 'desde',
    noAnswer: 'sem resposta',
    flaggedHead: 'Chamadas sinalizadas pelo controle de gravação:',
    call: 'chamada',
    more: (n) => `… e mais ${n}.`,
    health: 'Saúde da gravação',
    footer: 'Você recebe este e-mail porque gerencia o gravador (permissão recorder.manage). No máximo um e-mail deste tipo por hora.',
  },
  de: {
    calls: (n, p) => `${n} ${p === 'one' ? 'Anruf' : 'Anrufe'} mit einem Aufzeichnungsproblem`,
    sources: (n, p) => `${n} ${p === 'one' ? 'Aufzeichnungsquelle antwortet' : 'Aufzeichnungsquellen antworten'} nicht`,
    flags: {
      not_recorded: 'nicht aufgezeichnet',
      one_sided: 'einseitig (eine Seite ist stumm oder fehlt)',
      empty: 'leere Aufzeichnung',
      clipped: 'Aufzeichnung vor dem Ende des Anrufs abgeschnitten',
      long_gaps: 'lange Lücken im Audio',
    },
    probesHead: 'Aufzeichnungsquellen, die nicht mehr auf SIP OPTIONS antworten (ihre Anrufe werden möglicherweise nicht aufgezeichnet):',
    since: 'seit',
    noAnswer: 'keine Antwort',
    flaggedHead: 'Von der Aufzeichnungsprüfung markierte Anrufe:',
    call: 'Anruf',
    more: (n) => `… und ${n} weitere.`,
    health: 'Zustand der Aufzeichnung',
    footer: 'Sie erhalten diese E-Mail, weil Sie den Recorder verwalten (Berechtigung recorder.manage). Höchstens eine solche E-Mail pro Stunde.',
  },
  ru: {
    calls: (n, p) => `${n} ${slavic(p, 'звонок', 'звонка', 'звонков')} с проблемой записи`,
    sources: (n, p) => `${n} ${slavic(p, 'источник записи не отвечает', 'источника записи не отвечают', 'источников записи не отвечают')}`,
    flags: {
      not_recorded: 'не записан',
      one_sided: 'односторонняя запись (одна из сторон молчит или отсутствует)',
      empty: 'пустая запись',
      clipped: 'запись оборвалась до конца звонка',
      long_gaps: 'длинные пропуски в аудио',
    },
    probesHead: 'Источники записи, переставшие отвечать на SIP OPTIONS (отправляемые ими звонки могут не записываться):',
    since: 'с',
    noAnswer: 'нет ответа',
    flaggedHead: 'Звонки, отмеченные контролем записи:',
    call: 'звонок',
    more: (n) => `… и ещё ${n}.`,
    health: 'Состояние записи',
    footer: 'Вы получили это письмо, потому что управляете системой записи (разрешение recorder.manage). Не чаще одного такого письма в час.',
  },
  cs: {
    calls: (n, p) => `${n} ${slavic(p, 'hovor', 'hovory', 'hovorů')} s problémem nahrávání`,
    sources: (n, p) => `${n} ${slavic(p, 'zdroj nahrávání neodpovídá', 'zdroje nahrávání neodpovídají', 'zdrojů nahrávání neodpovídá')}`,
    flags: {
      not_recorded: 'nenahráno',
      one_sided: 'jednostranná nahrávka (jedna strana mlčí nebo chybí)',
      empty: 'prázdná nahrávka',
      clipped: 'nahrávka uříznutá před koncem hovoru',
      long_gaps: 'dlouhé mezery ve zvuku',
    },
    probesHead: 'Zdroje nahrávání, které přestaly odpovídat na SIP OPTIONS (hovory, které posílají, se nemusí nahrávat):',
    since: 'od',
    noAnswer: 'bez odpovědi',
    flaggedHead: 'Hovory označené kontrolou nahrávání:',
    call: 'hovor',
    more: (n, p) => (p === 'one' ? `… a ještě ${n} další.` : `… a dalších ${n}.`),
    health: 'Stav nahrávání',
    footer: 'Tento e-mail dostáváte, protože spravujete nahrávání hovorů (oprávnění recorder.manage). Nejvýše jeden takový e-mail za hodinu.',
  },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderAssuranceDigest(f: AssuranceDigestFacts): { subject: string; text: string; html: string } {
  const x = TEXTS[f.lang];
  const num = (n: number) => formatMailNumber(n, f.lang, 0);
  const when = (iso: string) => formatMailDateTime(iso, f.lang, 'UTC') ?? iso;
  const what = (flag: string) => x.flags[flag as AssuranceFlag] ?? flag;
  const colon = f.lang === 'fr' ? ' :' : ':';
  const parts = [
    ...(f.calls ? [x.calls(num(f.calls), pluralOf(f.lang, f.calls))] : []),
    ...(f.probes.length ? [x.sources(num(f.probes.length), pluralOf(f.lang, f.probes.length))] : []),
  ];
  const probeLines = f.probes.map(
    (p) =>
      `${p.name ?? p.target} (${p.target}) ${x.since} ${when(p.failingSince)}${colon} ${p.lastError ?? (p.lastStatus === null ? x.noAnswer : String(p.lastStatus))}`,
  );
  const countLines = f.counts.map((c) => `${what(c.flag)}${colon} ${num(c.n)}`);
  const eventLines = f.events.map((e) => ({
    line: `${when(e.startedAt)} ${x.call} ${e.callRef} — ${what(e.flag)}${colon} ${e.detail}`,
    link: e.conversationId ? `${f.base}/conversations/${e.conversationId}` : null,
  }));
  const health = `${f.base}/admin/recorder/health`;

  const lines: string[] = [];
  if (probeLines.length) lines.push(x.probesHead, ...probeLines.map((l) => `- ${l}`), '');
  if (f.events.length || f.counts.length) {
    lines.push(x.flaggedHead, ...countLines.map((l) => `- ${l}`), '');
    for (const e of eventLines) lines.push(`• ${e.line}${e.link ? ` ${e.link}` : ''}`);
    if (f.more > 0) lines.push(x.more(num(f.more), pluralOf(f.lang, f.more)));
    lines.push('');
  }
  lines.push(`${x.health}${colon} ${health}`, x.footer);

  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  let html = '';
  if (probeLines.length) html += `<p>${esc(x.probesHead)}</p>${list(probeLines.map(esc))}`;
  if (f.events.length || f.counts.length) {
    html += `<p>${esc(x.flaggedHead)}</p>${list(countLines.map(esc))}`;
    html += list(eventLines.map((e) => esc(e.line) + (e.link ? ` <a href="${esc(e.link)}">${esc(e.link)}</a>` : '')));
    if (f.more > 0) html += `<p>${esc(x.more(num(f.more), pluralOf(f.lang, f.more)))}</p>`;
  }
  html += `<p><a href="${esc(health)}">${esc(x.health)}</a></p><hr><p style="color:#666;font-size:12px">${esc(x.footer)}</p>`;
  return { subject: `Earshot: ${parts.join(', ')}`, text: lines.join('\n'), html };
}
