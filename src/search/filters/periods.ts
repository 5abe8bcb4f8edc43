// The "Time period" filter: a stored Period (saved searches keep this JSON as is) and its bounds as UTC instants,
// evaluated on the calendar of a time zone (the zone of the site where the agent was located).
//
// Bounds are half-open: `from` inclusive, `to` exclusive; null means unbounded. With D = today's date in the zone
// at `now` and start(X) = the first instant of local day X (see zoned-time.ts for days whose midnight is skipped):
//
//   all_time             null .. null
//   today                start(D) .. start(D+1)            the whole local day
//   yesterday            start(D-1) .. start(D)
//   last_days N          start(D-N) .. now                  the N preceding full days plus today up to now
//                                                           (Last 1 day = yesterday 00:00 to now); N >= 1
//   older_than_days N    null .. start(D-N)                 before the start of the day N days ago; N >= 0
//                                                           (0 = before today). The exact complement of last_days N
//                                                           up to now: both share the bound start(D-N).
//   this_week            start(W) .. start(W+7)             W = the latest week start on or before D
//   previous_week        start(W-7) .. start(W)             (Monday by default, ISO 8601; per locale with weekStartsOn)
//   this_month           start(1st of D's month) .. start(1st of next month)
//   previous_month       the month before
//   this_quarter         quarters start in January, April, July and October
//   previous_quarter     the quarter before (in January: October to December of last year)
//   this_year            start(1 January) .. start(next 1 January)
//   previous_year        last year
//   custom A..B          start(A) .. start(B+1)             whole days, both inclusive; B >= A else VALIDATION_FAILED
//
// Only last_days ends at `now` (the issue defines it as "today up to now"); the other calendar periods end where
// their last day ends, so a conversation stamped a few seconds ahead by a drifting clock is not hidden from "Today".
import { Compile } from 'typebox/compile';
import { Type, type Static } from 'typebox';
import { filterError } from './errors.ts';
import { addDays, addMonths, assertTimeZone, isoWeekday, localDate, requireIsoDate, startOfLocalDay, type CivilDate, type Weekday } from './zoned-time.ts';

export { localDayAndMinute, type LocalDayAndMinute, type Weekday } from './zoned-time.ts';

/** 100 years: enough for any retention, small enough that date arithmetic stays exact. */
export const PERIOD_MAX_DAYS = 36_600;

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar day, YYYY-MM-DD' });
const kindOnly = <K extends string>(kind: K, description: string) => Type.Object({ kind: Type.Literal(kind) }, { additionalProperties: false, description });

/** The stored shape of a time period. The `kind` values are part of saved searches: never rename them. */
export const Period = Type.Union(
  [
    kindOnly('all_time', 'All time'),
    kindOnly('today', 'Today (the whole local day)'),
    kindOnly('yesterday', 'Yesterday'),
    Type.Object(
      { kind: Type.Literal('last_days'), days: Type.Integer({ minimum: 1, maximum: PERIOD_MAX_DAYS }) },
      { additionalProperties: false, description: 'Last N days: the N preceding full days plus today up to now (the default chip is 90)' },
    ),
    Type.Object(
      { kind: Type.Literal('older_than_days'), days: Type.Integer({ minimum: 0, maximum: PERIOD_MAX_DAYS }) },
      { additionalProperties: false, description: 'Older than N days: before the start of the day N days ago (0: before today)' },
    ),
    kindOnly('this_week', 'This week (Monday start unless the locale says otherwise)'),
    kindOnly('previous_week', 'Previous week'),
    kindOnly('this_month', 'This month'),
    kindOnly('previous_month', 'Previous month'),
    kindOnly('this_quarter', 'This quarter (quarters start in January, April, July, October)'),
    kindOnly('previous_quarter', 'Previous quarter'),
    kindOnly('this_year', 'This year'),
    kindOnly('previous_year', 'Previous year'),
    Type.Object(
      { kind: Type.Literal('custom'), from: IsoDate, to: IsoDate },
      { additionalProperties: false, description: 'Custom date range: whole days from `from` to `to`, both included' },
    ),
  ],
  { description: 'Time period, evaluated in the time zone of the site where the agent was located' },
);
export type Period = Static<typeof Period>;
export type PeriodKind = Period['kind'];
export const PERIOD_KINDS = [
  'all_time',
  'today',
  'yesterday',
  'last_days',
  'older_than_days',
  'this_week',
  'previous_week',
  'this_month',
  'previous_month',
  'this_quarter',
  'previous_quarter',
  'this_year',
  'previous_year',
  'custom',
] as const satisfies readonly PeriodKind[];

export const DEFAULT_PERIOD: Period = { kind: 'last_days', days: 90 };

/** The chips offered in "Time period", in display order (Last N days / Older than N days / Custom take input). */
export const PERIOD_PRESETS: readonly Period[] = [
  { kind: 'all_time' },
  { kind: 'today' },
  { kind: 'yesterday' },
  { kind: 'last_days', days: 10 },
  { kind: 'last_days', days: 30 },
  { kind: 'last_days', days: 90 },
  { kind: 'this_week' },
  { kind: 'previous_week' },
  { kind: 'this_month' },
  { kind: 'previous_month' },
  { kind: 'this_quarter' },
  { kind: 'previous_quarter' },
  { kind: 'this_year' },
  { kind: 'previous_year' },
];

export interface PeriodBounds {
  /** Inclusive; null = no lower bound. */
  from: Date | null;
  /** Exclusive; null = no upper bound. */
  to: Date | null;
}

export interface PeriodOptions {
  /** First day of the week for this_week / previous_week (1 = Monday ... 7 = Sunday). Default 1 (ISO 8601). */
  weekStartsOn?: Weekday;
}

const compiled = Compile(Period);

/**
 * Checks an untrusted value (a request body, a stored saved search) and returns it as a Period, or throws
 * VALIDATION_FAILED with a message a person can act on.
 */
export function checkPeriod(value: unknown, field = 'period'): Period {
  if (!compiled.Check(value)) {
    const v = (typeof value === 'object' && value !== null ? value : {}) as { kind?: unknown; days?: unknown; from?: unknown; to?: unknown };
    if (v.kind === 'last_days' || v.kind === 'older_than_days') checkDays(v.days, v.kind === 'last_days' ? 1 : 0, `${field}.days`);
    if (v.kind === 'custom') {
      for (const key of ['from', 'to'] as const) {
        const text = v[key];
        if (typeof text !== 'string') throw filterError('INVALID_DATE', `A custom date range needs a "${key}" date written YYYY-MM-DD`, `${field}.${key}`);
        requireIsoDate(text, `${field}.${key}`);
      }
    }
    const known = typeof v.kind === 'string' && (PERIOD_KINDS as readonly string[]).includes(v.kind);
    throw filterError(
      'INVALID_FILTER',
      known
        ? `This "${String(v.kind)}" time period has fields it does not take`
        : `This time period is not understood: its kind must be one of ${PERIOD_KINDS.join(', ')}`,
      field,
    );
  }
  if (value.kind === 'custom') customDays(value, field);
  return value;
}

function customDays(p: Extract<Period, { kind: 'custom' }>, field: string): { from: CivilDate; to: CivilDate } {
  const from = requireIsoDate(p.from, `${field}.from`);
  const to = requireIsoDate(p.to, `${field}.to`);
  if (p.to < p.from) {
    throw filterError('DATE_RANGE_REVERSED', `The end date (${p.to}) must be on or after the start date (${p.from})`, `${field}.to`);
  }
  return { from, to };
}

/** The first day of the week in a locale ("en-US" → 7, Sunday; "fr-FR" → 1, Monday); Monday when unknown. */
export function weekStartForLocale(locale: string | undefined): Weekday {
  if (!locale) return 1;
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const first = (l.getWeekInfo?.() ?? l.weekInfo)?.firstDay;
    return first !== undefined && first >= 1 && first <= 7 ? (first as Weekday) : 1;
  } catch {
    return 1;
  }
}

/** Bounds of `period` as UTC instants, on the calendar of `timeZone` at `now` (see the table at the top). */
export function resolvePeriod(period: Period, now: Date, timeZone: string, options: PeriodOptions = {}): PeriodBounds {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new TypeError('resolvePeriod needs a valid Date for now');
  assertTimeZone(timeZone);
  const today = localDate(nowMs, timeZone);
  const start = (d: CivilDate) => new Date(startOfLocalDay(d, timeZone));
  const span = (first: CivilDate, afterLast: CivilDate): PeriodBounds => ({ from: start(first), to: start(afterLast) });

  switch (period.kind) {
    case 'all_time':
      return { from: null, to: null };
    case 'today':
      return span(today, addDays(today, 1));
    case 'yesterday':
      return span(addDays(today, -1), today);
    case 'last_days':
      return { from: start(addDays(today, -checkDays(period.days, 1, 'period.days'))), to: new Date(nowMs) };
    case 'older_than_days':
      return { from: null, to: start(addDays(today, -checkDays(period.days, 0, 'period.days'))) };
    case 'this_week':
    case 'previous_week': {
      const weekStart = options.weekStartsOn ?? 1;
      const thisWeek = addDays(today, -((isoWeekday(today) - weekStart + 7) % 7));
      const first = period.kind === 'this_week' ? thisWeek : addDays(thisWeek, -7);
      return span(first, addDays(first, 7));
    }
    case 'this_month':
    case 'previous_month': {
      const first = addMonths(today, period.kind === 'this_month' ? 0 : -1);
      return span(first, addMonths(first, 1));
    }
    case 'this_quarter':
    case 'previous_quarter': {
      const quarterStart = addMonths(today, -((today.month - 1) % 3));
      const first = period.kind === 'this_quarter' ? quarterStart : addMonths(quarterStart, -3);
      return span(first, addMonths(first, 3));
    }
    case 'this_year':
    case 'previous_year': {
      const year = period.kind === 'this_year' ? today.year : today.year - 1;
      return span({ year, month: 1, day: 1 }, { year: year + 1, month: 1, day: 1 });
    }
    case 'custom': {
      const { from, to } = customDays(period, 'period');
      return span(from, addDays(to, 1));
    }
    default: {
      const never: never = period;
      throw filterError('INVALID_FILTER', `Unknown time period ${JSON.stringify(never)}`, 'period');
    }
  }
}

function checkDays(days: unknown, min: number, field: string): number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < min || days > PERIOD_MAX_DAYS) {
    throw filterError('INVALID_DAYS', `The number of days must be a whole number from ${min} to ${PERIOD_MAX_DAYS}`, field);
  }
  return days;
}

export interface ZoneBounds extends PeriodBounds {
  timeZone: string;
}

/**
 * The bounds of `period` in each of the tenant's site time zones (duplicates removed, order kept). The SQL ORs
 * `(site zone = z AND started_at >= from AND started_at < to)` over them; `periodHull` gives one coarse range
 * that contains them all, for the index on started_at.
 */
export function periodBoundsPerZone(period: Period, now: Date, zones: readonly string[], options: PeriodOptions = {}): ZoneBounds[] {
  return [...new Set(zones)].map((timeZone) => ({ timeZone, ...resolvePeriod(period, now, timeZone, options) }));
}

/** The smallest range containing every zone's bounds (null when any side is unbounded or there are no zones). */
export function periodHull(bounds: readonly PeriodBounds[]): PeriodBounds {
  if (bounds.length === 0) return { from: null, to: null };
  const froms = bounds.map((b) => b.from);
  const tos = bounds.map((b) => b.to);
  return {
    from: froms.some((f) => f === null) ? null : new Date(Math.min(...froms.map((f) => f!.getTime()))),
    to: tos.some((t) => t === null) ? null : new Date(Math.max(...tos.map((t) => t!.getTime()))),
  };
}
