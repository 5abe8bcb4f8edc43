// Locale-aware formatting of the API's ISO timestamps. The UI language picks the words; the browser's own locale,
// when it is a variant of that language (en-GB, fr-CA), picks the date and time conventions.

export function resolveLocale(lang: string): string {
  const browser = typeof navigator !== 'undefined' ? navigator.languages?.[0] ?? navigator.language : undefined;
  return browser && browser.slice(0, 2) === lang.slice(0, 2) ? browser : lang;
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(resolveLocale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(resolveLocale(lang), { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** A short rendering of any JSON value for tables (audit changes, details). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Time only when it is today, else a short date and time: for compact badges. */
export function formatShortDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? formatTime(iso, lang)
    : new Intl.DateTimeFormat(resolveLocale(lang), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}
