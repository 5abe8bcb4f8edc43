// The e-mail an administrator gets when a webhook endpoint is disabled after failing every delivery for a day, in the
// recipient's language (any of the seven UI languages: notify/mail-language.ts), as plain text and simple HTML with
// the link to the webhooks page. Pure: service.ts gives the facts. One table of sentences per language.
import { formatMailDateTime, formatMailNumber, pluralOf, quote, type MailLanguage } from '../mail-language.ts';

export interface WebhookDisabledFacts {
  lang: MailLanguage;
  recipientName: string;
  endpointName: string;
  /** The URL as shown (query string hidden). */
  url: string;
  /** ISO time of the first failure of the streak. */
  failingSince: string;
  attempts: number;
  /** The last error as the receiver or the network gave it (data, not translated); null: an HTTP status only. */
  lastError: string | null;
  statusCode: number | null;
  link: string;
}

interface Say {
  name: string;
  who: string;
  since: string;
  attempts: string;
}
type Line = (s: Say) => string;

interface Texts {
  subject: Line;
  hello: Line;
  lead: Line;
  lastError: string;
  httpStatus: string;
  stopped: string;
  action: string;
  footer: string;
}

const TEXTS: Record<MailLanguage, Texts> = {
  en: {
    subject: (s) => `the webhook ${s.name} was disabled`,
    hello: (s) => `Hello ${s.who},`,
    lead: (s) => `Earshot disabled the webhook ${s.name}: every delivery has failed since ${s.since} (${s.attempts}).`,
    lastError: 'Last error',
    httpStatus: 'HTTP status',
    stopped: 'Events are no longer sent to it. Once the receiver works again, enable the endpoint and redeliver what it missed.',
    action: 'Open the webhooks',
    footer: 'You receive this e-mail because you administer the organisation in Earshot (permission settings.manage).',
  },
  fr: {
    subject: (s) => `le webhook ${s.name} a été désactivé`,
    hello: (s) => `Bonjour ${s.who},`,
    lead: (s) => `Earshot a désactivé le webhook ${s.name} : toutes les livraisons échouent depuis le ${s.since} (${s.attempts}).`,
    lastError: 'Dernière erreur',
    httpStatus: 'Statut HTTP',
    stopped:
      "Les événements ne lui sont plus envoyés. Quand le destinataire fonctionnera de nouveau, réactivez le point de terminaison et renvoyez ce qu'il a manqué.",
    action: 'Ouvrir les webhooks',
    footer: "Vous recevez cet e-mail parce que vous administrez l'organisation dans Earshot (permission settings.manage).",
  },
  es: {
    subject: (s) => `el webhook ${s.name} se ha desactivado`,
    hello: (s) => `Hola, ${s.who}:`,
    lead: (s) => `Earshot ha desactivado el webhook ${s.name}: todas las entregas fallan desde el ${s.since} (${s.attempts}).`,
    lastError: 'Último error',
    httpStatus: 'Estado HTTP',
    stopped: 'Ya no se le envían eventos. Cuando el receptor vuelva a funcionar, active el punto de conexión y vuelva a enviar lo que no recibió.',
    action: 'Abrir los webhooks',
    footer: 'Recibe este correo porque administra la organización en Earshot (permiso settings.manage).',
  },
  'pt-BR': {
    subject: (s) => `o webhook ${s.name} foi desativado`,
    hello: (s) => `Olá, ${s.who},`,
    lead: (s) => `O Earshot desativou o webhook ${s.name}: todas as entregas falham desde ${s.since} (${s.attempts}).`,
    lastError: 'Último erro',
    httpStatus: 'Status HTTP',
    stopped: 'Os eventos não são mais enviados a ele. Quando o receptor voltar a funcionar, ative o endpoint e reenvie o que ele perdeu.',
    action: 'Abrir os webhooks',
    footer: 'Você recebe este e-mail porque administra a organização no Earshot (permissão settings.manage).',
  },
  de: {
    subject: (s) => `Der Webhook ${s.name} wurde deaktiviert`,
    hello: (s) => `Hallo ${s.who},`,
    lead: (s) => `Earshot hat den Webhook ${s.name} deaktiviert: Seit ${s.since} ist jede Zustellung fehlgeschlagen (${s.attempts}).`,
    lastError: 'Letzter Fehler',
    httpStatus: 'HTTP-Status',
    stopped:
      'Ereignisse werden nicht mehr an ihn gesendet. Sobald der Empfänger wieder funktioniert, aktivieren Sie den Endpunkt und stellen Sie das Verpasste erneut zu.',
    action: 'Webhooks öffnen',
    footer: 'Sie erhalten diese E-Mail, weil Sie die Organisation in Earshot verwalten (Berechtigung settings.manage).',
  },
  ru: {
    subject: (s) => `вебхук ${s.name} отключён`,
    hello: (s) => `Здравствуйте, ${s.who}!`,
    lead: (s) => `Earshot отключил вебхук ${s.name}: с ${s.since} все доставки завершаются ошибкой (${s.attempts}).`,
    lastError: 'Последняя ошибка',
    httpStatus: 'Статус HTTP',
    stopped: 'События ему больше не отправляются. Когда получатель снова заработает, включите конечную точку и повторно доставьте пропущенное.',
    action: 'Открыть вебхуки',
    footer: 'Вы получили это письмо, потому что администрируете организацию в Earshot (разрешение settings.manage).',
  },
  cs: {
    subject: (s) => `webhook ${s.name} byl vypnut`,
    hello: (s) => `Dobrý den, ${s.who},`,
    lead: (s) => `Earshot vypnul webhook ${s.name}: od ${s.since} selhalo každé doručení (${s.attempts}).`,
    lastError: 'Poslední chyba',
    httpStatus: 'Stav HTTP',
    stopped: 'Události se mu už neposílají. Až bude příjemce znovu fungovat, zapněte koncový bod a znovu doručte, co zmeškal.',
    action: 'Otevřít webhooky',
    footer: 'Tento e-mail dostáváte, protože v Earshotu spravujete organizaci (oprávnění settings.manage).',
  },
};

/** "11 attempts in a row" in each language, with its plural forms. */
function attempts(lang: MailLanguage, n: number): string {
  const num = formatMailNumber(n, lang, 0);
  const p = pluralOf(lang, n);
  switch (lang) {
    case 'fr':
      return `${num} ${p === 'one' ? 'tentative consécutive' : 'tentatives consécutives'}`;
    case 'es':
      return `${num} ${p === 'one' ? 'intento seguido' : 'intentos seguidos'}`;
    case 'pt-BR':
      return `${num} ${p === 'one' ? 'tentativa seguida' : 'tentativas seguidas'}`;
    case 'de':
      return `${num} ${p === 'one' ? 'Versuch' : 'Versuche'} in Folge`;
    case 'ru':
      return `${num} ${p === 'one' ? 'попытка' : p === 'few' ? 'попытки' : 'попыток'} подряд`;
    case 'cs':
      return `${num} ${p === 'one' ? 'pokus' : p === 'few' ? 'pokusy' : 'pokusů'} za sebou`;
    default:
      return `${num} ${p === 'one' ? 'attempt' : 'attempts'} in a row`;
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderWebhookDisabledMail(f: WebhookDisabledFacts): { subject: string; text: string; html: string } {
  const x = TEXTS[f.lang];
  const say: Say = {
    name: quote(f.lang, f.endpointName),
    who: f.recipientName,
    since: formatMailDateTime(f.failingSince, f.lang, 'UTC') ?? f.failingSince,
    attempts: attempts(f.lang, f.attempts),
  };
  const colon = f.lang === 'fr' ? ' :' : ':';
  const facts: Array<[string, string]> = [['URL', f.url], f.lastError ? [x.lastError, f.lastError] : [x.httpStatus, String(f.statusCode ?? '—')]];
  const subject = x.subject(say);
  const text =
    `${x.hello(say)}\n\n${x.lead(say)}\n\n` +
    `${facts.map(([k, v]) => `${k}${colon} ${v}`).join('\n')}\n\n` +
    `${x.stopped}\n\n${x.action}${colon} ${f.link}\n\n--\n${x.footer}\n`;
  const html =
    `<p>${esc(x.hello(say))}</p><p>${esc(x.lead(say))}</p>` +
    `<table>${facts.map(([k, v]) => `<tr><td style="color:#666;padding-right:12px">${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>` +
    `<p>${esc(x.stopped)}</p><p><a href="${esc(f.link)}">${esc(x.action)}</a></p>` +
    `<hr><p style="color:#666;font-size:12px">${esc(x.footer)}</p>`;
  return { subject: `Earshot: ${subject}`, text, html };
}
