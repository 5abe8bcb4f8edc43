// Locale-aware formatting of the API's ISO timestamps. The UI language picks the words; the browser's own locale,
// when it is a variant of that language (en-GB, fr-CA), picks the date and time conventions. Dates are never written
// all in digits (12/06/26 reads two ways): the month is a word.
//
// THE ONE API for the times of a conversation (list, preview, detail, player — issue 16): `const times = useTimes()`,
// then `times.dateTime(iso, conversation.timeZone)`, `times.time(…)`, `times.date(…)`, and `title={times.title(iso,
// conversation.timeZone)}` for the zone on hover (or <Timestamp iso zone /> from components/Timestamp.tsx, which does
// both). They follow the user's setting (user menu): the site's zone — what the time-of-day and day-of-week filters
// read, the default — or the browser's. The plain functions below (no zone: the browser's) stay for admin screens.
import { useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { CurrentUserContext } from './screens/shell/currentUser.tsx';

export function resolveLocale(lang: string): string {
  const browser = typeof navigator !== 'undefined' ? (navigator.languages?.[0] ?? navigator.language) : undefined;
  return browser && browser.slice(0, 2) === lang.slice(0, 2) ? browser : lang;
}

const DATE_TIME_STYLES = {
  medium: { dateStyle: 'medium', timeStyle: 'short' },
  /** For dense tables: day, short month name and year, then the time (never all digits). */
  compact: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateTimeStyle = keyof typeof DATE_TIME_STYLES;

const parse = (iso: string | null | undefined) => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

const SAMPLE = new Date(Date.UTC(2026, 11, 3, 9, 5));
const monthIsDigits = (locale: string, options: Intl.DateTimeFormatOptions) =>
  /^\d+\.?$/.test(new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).formatToParts(SAMPLE).find((p) => p.type === 'month')?.value ?? '');
const monthWords = new Map<string, 'short' | 'long'>();
/** The shortest month that is a word in this locale: "Dez." in German; Czech writes short months as digits, so "prosince". */
function monthWord(locale: string): 'short' | 'long' {
  let m = monthWords.get(locale);
  if (!m) monthWords.set(locale, (m = monthIsDigits(locale, { month: 'short', day: 'numeric' }) ? 'long' : 'short'));
  return m;
}
/**
 * The options with the month as a word where the locale would write digits (German and Czech medium dates are
 * "03.12.2026" and "3. 12. 2026"): the same fields spelt out, "3. Dez. 2026, 09:05", "3. prosince 2026 v 09:05".
 */
function withMonthWord(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormatOptions {
  if (options.dateStyle && options.dateStyle !== 'full' && options.dateStyle !== 'long' && monthIsDigits(locale, { dateStyle: options.dateStyle })) {
    const time = options.timeStyle ? ({ hour: '2-digit', minute: '2-digit' } as const) : {};
    return { day: 'numeric', month: monthWord(locale), year: 'numeric', ...time };
  }
  if (options.month === 'short' && monthWord(locale) === 'long') return { ...options, month: 'long' };
  return options;
}

/** `timeZone` undefined: the browser's zone. An unknown zone falls back to the browser's rather than throwing in a render. */
function format(d: Date, lang: string, options: Intl.DateTimeFormatOptions, timeZone?: string): string {
  const locale = resolveLocale(lang);
  const opts = withMonthWord(locale, options);
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  }
}

export function formatDateTime(iso: string | null | undefined, lang: string, style: DateTimeStyle = 'medium', timeZone?: string): string {
  const d = parse(iso);
  return d ? format(d, lang, DATE_TIME_STYLES[style], timeZone) : (iso ?? '—') || '—';
}

export function formatTime(iso: string, lang: string, withSeconds = false, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return iso;
  const seconds = withSeconds ? ({ second: '2-digit' } as const) : {};
  return format(d, lang, { hour: '2-digit', minute: '2-digit', ...seconds }, timeZone);
}

/** The calendar day alone, month as a word: "6 Dec 2026", "Dec 6, 2026", "6 déc. 2026". */
export function formatDate(iso: string | null | undefined, lang: string, timeZone?: string): string {
  const d = parse(iso);
  return d ? format(d, lang, { dateStyle: 'medium' }, timeZone) : (iso ?? '—') || '—';
}

/** The zone's short name at that instant as the locale writes it ("CET", "GMT+1", "EST", "UTC"). */
export function zoneAbbreviation(iso: string, lang: string, timeZone?: string): string {
  const d = parse(iso) ?? new Date();
  try {
    const parts = new Intl.DateTimeFormat(resolveLocale(lang), { timeZone, timeZoneName: 'short' }).formatToParts(d);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone ?? browserTimeZone();
  } catch {
    return timeZone ?? browserTimeZone();
  }
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export type TimeDisplay = 'site' | 'mine';

/** The zone a conversation's times show in: its site's when the user keeps the default, else undefined (the browser's). */
export const displayZone = (siteZone: string | null | undefined, display: TimeDisplay): string | undefined =>
  display === 'site' && siteZone ? siteZone : undefined;

/** Time only when it is today, else a short date (month as a word) and time: for compact badges. */
export function formatShortDateTime(iso: string | null | undefined, lang: string, timeZone?: string): string {
  const d = parse(iso);
  if (!d) return (iso ?? '—') || '—';
  const day = (x: Date) => format(x, 'en', { dateStyle: 'short' }, timeZone);
  if (day(d) === day(new Date())) return formatTime(iso!, lang, false, timeZone);
  const sameYear = format(d, 'en', { year: 'numeric' }, timeZone) === format(new Date(), 'en', { year: 'numeric' }, timeZone);
  return format(d, lang, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit' }, timeZone);
}

/**
 * Conversation times as this user wants them (see the top of this file). `siteZone` is the conversation's timeZone;
 * without one, the browser's zone.
 */
export function useTimes() {
  const { t, i18n } = useTranslation();
  const display: TimeDisplay = useContext(CurrentUserContext)?.timeDisplay ?? 'site';
  const lang = i18n.language;
  const zone = (siteZone?: string | null) => displayZone(siteZone, display);
  return {
    display,
    zone,
    dateTime: (iso: string | null | undefined, siteZone?: string | null, style: DateTimeStyle = 'medium') => formatDateTime(iso, lang, style, zone(siteZone)),
    time: (iso: string, siteZone?: string | null, withSeconds = false) => formatTime(iso, lang, withSeconds, zone(siteZone)),
    date: (iso: string | null | undefined, siteZone?: string | null) => formatDate(iso, lang, zone(siteZone)),
    shortDateTime: (iso: string | null | undefined, siteZone?: string | null) => formatShortDateTime(iso, lang, zone(siteZone)),
    /** Hover text: the full date and time, the zone's abbreviation and name, and whose zone it is. */
    title: (iso: string | null | undefined, siteZone?: string | null) => {
      if (!iso) return undefined;
      const z = zone(siteZone);
      const which = t(z ? 'time.siteZone' : 'time.yourZone', { abbr: zoneAbbreviation(iso, lang, z), zone: z ?? browserTimeZone() });
      return `${formatDateTime(iso, lang, 'medium', z)} · ${which}`;
    },
  };
}

/** A short rendering of any JSON value for tables (audit changes, details). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A duration as m:ss, or h:mm:ss from one hour up (talk times, offsets into a recording). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The inverse of formatDuration for typed input: "90", "1:30" or "1:01:30" → milliseconds; null when not a duration. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return null;
  const [a = 0, b, c] = parts.map(Number);
  const seconds = parts.length === 3 ? a * 3600 + b! * 60 + c! : parts.length === 2 ? a * 60 + b! : a;
  return seconds * 1000;
}

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(resolveLocale(lang)).format(n);
}
