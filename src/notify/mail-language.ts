// E-mail goes out in the recipient's language (issue 14): their own, else their group's, else the organisation's
// (auth/languages.ts). The small pieces every template needs in any of the seven languages live here: the locale
// dates and numbers are written in, and the quotation marks around a title.
import { isUiLanguage, type UiLanguage } from '../auth/languages.ts';

export type MailLanguage = UiLanguage;

/** The locale for Intl: a regional one, so dates read as people there write them. */
const LOCALES: Record<MailLanguage, string> = { en: 'en-GB', fr: 'fr-FR', es: 'es-ES', 'pt-BR': 'pt-BR', de: 'de-DE', ru: 'ru-RU', cs: 'cs-CZ' };

export const mailLanguage = (value: string | null | undefined): MailLanguage => (isUiLanguage(value) ? value : 'en');

export const mailLocale = (lang: MailLanguage) => LOCALES[lang];

/** A title in the language's quotation marks: “x”, « x », „x“, «x». */
export function quote(lang: MailLanguage, s: string): string {
  switch (lang) {
    case 'fr':
      return `« ${s} »`;
    case 'es':
    case 'ru':
      return `«${s}»`;
    case 'de':
    case 'cs':
      return `„${s}“`;
    default:
      return `“${s}”`;
  }
}

/** Date and time in the recipient's zone and language, the zone named after it; UTC when the zone is unknown. */
export function formatMailDateTime(iso: string | null | undefined, lang: MailLanguage, timeZone: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const zone = timeZone || 'UTC';
  try {
    const s = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
    return `${s} (${zone})`;
  } catch {
    // An unknown zone name on a site: UTC rather than no date.
    return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

export const formatMailNumber = (n: number, lang: MailLanguage, maximumFractionDigits = 2) =>
  new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits }).format(n);

/** The plural category of `n` in the language (one, few, many, other), for templates with counted words. */
export const pluralOf = (lang: MailLanguage, n: number) => new Intl.PluralRules(LOCALES[lang]).select(n) as 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
