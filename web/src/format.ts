// Locale-aware formatting of the API's ISO timestamps. The UI language picks the words; the browser's own locale,
// when it is a variant of that language (en-GB, fr-CA), picks the date and time conventions.

export function resolveLocale(lang: string): string {
  const browser = typeof navigator !== 'undefined' ? (navigator.languages?.[0] ?? navigator.language) : undefined;
  return browser && browser.slice(0, 2) === lang.slice(0, 2) ? browser : lang;
}

const DATE_TIME_STYLES = {
  medium: { dateStyle: 'medium', timeStyle: 'short' },
  /** For dense tables: two-digit day, month and year, then the time. */
  compact: { day: '2-digit', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export function formatDateTime(iso: string | null | undefined, lang: string, style: keyof typeof DATE_TIME_STYLES = 'medium'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(resolveLocale(lang), DATE_TIME_STYLES[style]).format(d);
}

export function formatTime(iso: string, lang: string, withSeconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const seconds = withSeconds ? ({ second: '2-digit' } as const) : {};
  return new Intl.DateTimeFormat(resolveLocale(lang), { hour: '2-digit', minute: '2-digit', ...seconds }).format(d);
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
  return sameDay ? formatTime(iso, lang) : new Intl.DateTimeFormat(resolveLocale(lang), { dateStyle: 'short', timeStyle: 'short' }).format(d);
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
