import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { DomainError } from '../../platform/errors.ts';
import {
  checkPeriod,
  DEFAULT_PERIOD,
  localDayAndMinute,
  Period,
  PERIOD_KINDS,
  PERIOD_PRESETS,
  periodBoundsPerZone,
  periodHull,
  resolvePeriod,
  weekStartForLocale,
  type PeriodOptions,
} from './periods.ts';
import { addDays, formatIsoDate, localDate, parseIsoDate } from './zoned-time.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const at = (isoInstant: string) => new Date(isoInstant);
const bounds = (p: Period, now: string, tz: string, options?: PeriodOptions) => {
  const b = resolvePeriod(p, at(now), tz, options);
  return { from: iso(b.from), to: iso(b.to) };
};
const hours = (p: Period, now: string, tz: string) => {
  const b = resolvePeriod(p, at(now), tz);
  return (b.to!.getTime() - b.from!.getTime()) / 3_600_000;
};

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('the stored Period shape', () => {
  const check = Compile(Period);
  it('accepts every kind in its JSON shape and refuses extra fields', () => {
    for (const p of [
      ...PERIOD_PRESETS,
      { kind: 'last_days', days: 7 },
      { kind: 'older_than_days', days: 0 },
      { kind: 'custom', from: '2024-03-01', to: '2024-03-31' },
    ]) {
      expect(check.Check(p), JSON.stringify(p)).toBe(true);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    }
    expect(check.Check({ kind: 'today', days: 3 })).toBe(false);
    expect(check.Check({ kind: 'last_days' })).toBe(false);
    expect(check.Check({ kind: 'last_days', days: 0 })).toBe(false);
    expect(check.Check({ kind: 'custom', from: '2024-03-01' })).toBe(false);
  });
  it('lists every kind of the schema in PERIOD_KINDS, and defaults to Last 90 days', () => {
    const schemaKinds = (Period as unknown as { anyOf: Array<{ properties: { kind: { const: string } } }> }).anyOf.map((s) => s.properties.kind.const);
    expect([...PERIOD_KINDS].sort()).toEqual(schemaKinds.sort());
    expect(DEFAULT_PERIOD).toEqual({ kind: 'last_days', days: 90 });
    expect(PERIOD_PRESETS).toContainEqual({ kind: 'last_days', days: 10 });
    expect(PERIOD_PRESETS).toContainEqual({ kind: 'last_days', days: 30 });
  });
});

describe('checkPeriod', () => {
  it('returns a valid period as is', () => {
    expect(checkPeriod({ kind: 'this_week' })).toEqual({ kind: 'this_week' });
    expect(checkPeriod({ kind: 'custom', from: '2024-02-29', to: '2024-02-29' })).toEqual({ kind: 'custom', from: '2024-02-29', to: '2024-02-29' });
  });
  it.each([
    [{ kind: 'last_days', days: 0 }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 1 to 36600'],
    [{ kind: 'last_days', days: 2.5 }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 1 to 36600'],
    [{ kind: 'last_days' }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 1 to 36600'],
    [{ kind: 'older_than_days', days: -1 }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 0 to 36600'],
    [{ kind: 'older_than_days', days: '3' }, 'INVALID_DAYS', 'period.days', 'The number of days must be a whole number from 0 to 36600'],
    [{ kind: 'custom', from: '2024-03-01' }, 'INVALID_DATE', 'period.to', 'A custom date range needs a "to" date written YYYY-MM-DD'],
    [
      { kind: 'custom', from: '2024-3-1', to: '2024-03-05' },
      'INVALID_DATE',
      'period.from',
      '"2024-3-1" is not a date: write it as YYYY-MM-DD, for example 2024-03-31',
    ],
    [
      { kind: 'custom', from: '2023-02-29', to: '2023-03-05' },
      'INVALID_DATE',
      'period.from',
      '"2023-02-29" is not a date: write it as YYYY-MM-DD, for example 2024-03-31',
    ],
    [
      { kind: 'custom', from: '2024-03-05', to: '2024-03-04' },
      'DATE_RANGE_REVERSED',
      'period.to',
      'The end date (2024-03-04) must be on or after the start date (2024-03-05)',
    ],
    [{ kind: 'today', days: 3 }, 'INVALID_FILTER', 'period', 'This "today" time period has fields it does not take'],
    [
      { kind: 'fortnight' },
      'INVALID_FILTER',
      'period',
      expect.stringMatching(/^This time period is not understood: its kind must be one of all_time, today, .*, custom$/),
    ],
    [null, 'INVALID_FILTER', 'period', expect.stringMatching(/^This time period is not understood/)],
  ])('refuses %j', (value, reason, field, message) => {
    const err = domainError(() => checkPeriod(value));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toMatchObject({ reason, field });
    expect(err.message).toEqual(message);
  });
});

describe('resolvePeriod: every kind on an ordinary day (Europe/Paris, Friday 2024-04-05 12:00 CEST)', () => {
  const now = '2024-04-05T10:00:00.000Z';
  const tz = 'Europe/Paris';
  it.each<[Period, string | null, string | null]>([
    [{ kind: 'all_time' }, null, null],
    [{ kind: 'today' }, '2024-04-04T22:00:00.000Z', '2024-04-05T22:00:00.000Z'],
    [{ kind: 'yesterday' }, '2024-04-03T22:00:00.000Z', '2024-04-04T22:00:00.000Z'],
    // The N preceding full days plus today up to now; days before 31 March were still in winter time (CET).
    [{ kind: 'last_days', days: 1 }, '2024-04-03T22:00:00.000Z', now],
    [{ kind: 'last_days', days: 10 }, '2024-03-25T23:00:00.000Z', now],
    [{ kind: 'last_days', days: 30 }, '2024-03-05T23:00:00.000Z', now],
    [{ kind: 'last_days', days: 90 }, '2024-01-05T23:00:00.000Z', now],
    // Before the start of the day N days ago.
    [{ kind: 'older_than_days', days: 0 }, null, '2024-04-04T22:00:00.000Z'],
    [{ kind: 'older_than_days', days: 1 }, null, '2024-04-03T22:00:00.000Z'],
    [{ kind: 'older_than_days', days: 10 }, null, '2024-03-25T23:00:00.000Z'],
    [{ kind: 'this_week' }, '2024-03-31T22:00:00.000Z', '2024-04-07T22:00:00.000Z'],
    [{ kind: 'previous_week' }, '2024-03-24T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
    [{ kind: 'this_month' }, '2024-03-31T22:00:00.000Z', '2024-04-30T22:00:00.000Z'],
    [{ kind: 'previous_month' }, '2024-02-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
    [{ kind: 'this_quarter' }, '2024-03-31T22:00:00.000Z', '2024-06-30T22:00:00.000Z'],
    [{ kind: 'previous_quarter' }, '2023-12-31T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
    [{ kind: 'this_year' }, '2023-12-31T23:00:00.000Z', '2024-12-31T23:00:00.000Z'],
    [{ kind: 'previous_year' }, '2022-12-31T23:00:00.000Z', '2023-12-31T23:00:00.000Z'],
    [{ kind: 'custom', from: '2024-03-30', to: '2024-03-31' }, '2024-03-29T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
    [{ kind: 'custom', from: '2024-02-29', to: '2024-02-29' }, '2024-02-28T23:00:00.000Z', '2024-02-29T23:00:00.000Z'],
  ])('%j', (period, from, to) => {
    expect(bounds(period, now, tz)).toEqual({ from, to });
  });

  it('makes Older than N days the exact complement of Last N days up to now', () => {
    for (const days of [1, 2, 10, 30, 90, 365]) {
      const last = resolvePeriod({ kind: 'last_days', days }, at(now), tz);
      const older = resolvePeriod({ kind: 'older_than_days', days }, at(now), tz);
      expect(older.to).toEqual(last.from);
    }
  });

  it('refuses a reversed custom range and impossible days when resolving too', () => {
    expect(domainError(() => resolvePeriod({ kind: 'custom', from: '2024-04-02', to: '2024-04-01' }, at(now), tz)).details).toMatchObject({
      reason: 'DATE_RANGE_REVERSED',
      field: 'period.to',
    });
    expect(domainError(() => resolvePeriod({ kind: 'custom', from: '2024-04-31', to: '2024-05-01' }, at(now), tz)).details).toMatchObject({
      reason: 'INVALID_DATE',
      field: 'period.from',
    });
    expect(domainError(() => resolvePeriod({ kind: 'last_days', days: 0 }, at(now), tz)).details).toMatchObject({ reason: 'INVALID_DAYS' });
  });

  it('refuses an unknown time zone with a clear message', () => {
    const err = domainError(() => resolvePeriod({ kind: 'today' }, at(now), 'Mars/Olympus'));
    expect(err.message).toBe('"Mars/Olympus" is not a known time zone: use an IANA name such as Europe/Paris');
    expect(err.details).toEqual({ reason: 'INVALID_TIME_ZONE', field: 'timeZone' });
  });

  it('treats an invalid now as a programming error', () => {
    expect(() => resolvePeriod({ kind: 'today' }, new Date('nope'), tz)).toThrow(TypeError);
  });
});

describe('resolvePeriod across daylight saving changes', () => {
  it('Europe/Paris, last Sunday of March (02:00 → 03:00): a 23-hour day', () => {
    expect(bounds({ kind: 'today' }, '2024-03-31T10:00:00Z', 'Europe/Paris')).toEqual({ from: '2024-03-30T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    expect(hours({ kind: 'today' }, '2024-03-31T10:00:00Z', 'Europe/Paris')).toBe(23);
    expect(bounds({ kind: 'yesterday' }, '2024-04-01T08:00:00Z', 'Europe/Paris')).toEqual({ from: '2024-03-30T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    // Last 1 day on the Monday after: from Sunday 00:00 CET to now (CEST).
    expect(bounds({ kind: 'last_days', days: 1 }, '2024-04-01T08:00:00Z', 'Europe/Paris')).toEqual({
      from: '2024-03-30T23:00:00.000Z',
      to: '2024-04-01T08:00:00.000Z',
    });
    // The week that holds the change is 167 hours long.
    expect(bounds({ kind: 'this_week' }, '2024-03-28T12:00:00Z', 'Europe/Paris')).toEqual({ from: '2024-03-24T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    expect(hours({ kind: 'this_week' }, '2024-03-28T12:00:00Z', 'Europe/Paris')).toBe(167);
  });

  it('Europe/Paris, last Sunday of October (03:00 → 02:00): a 25-hour day', () => {
    expect(bounds({ kind: 'today' }, '2024-10-27T12:00:00Z', 'Europe/Paris')).toEqual({ from: '2024-10-26T22:00:00.000Z', to: '2024-10-27T23:00:00.000Z' });
    expect(hours({ kind: 'today' }, '2024-10-27T12:00:00Z', 'Europe/Paris')).toBe(25);
    // During the repeated hour (02:30 CEST, then 02:30 CET) it is the same day.
    expect(bounds({ kind: 'today' }, '2024-10-27T00:30:00Z', 'Europe/Paris')).toEqual(bounds({ kind: 'today' }, '2024-10-27T01:30:00Z', 'Europe/Paris'));
    expect(bounds({ kind: 'last_days', days: 1 }, '2024-10-28T09:00:00Z', 'Europe/Paris')).toEqual({
      from: '2024-10-26T22:00:00.000Z',
      to: '2024-10-28T09:00:00.000Z',
    });
    expect(bounds({ kind: 'older_than_days', days: 1 }, '2024-10-28T09:00:00Z', 'Europe/Paris')).toEqual({ from: null, to: '2024-10-26T22:00:00.000Z' });
    expect(bounds({ kind: 'this_month' }, '2024-10-27T12:00:00Z', 'Europe/Paris')).toEqual({
      from: '2024-09-30T22:00:00.000Z',
      to: '2024-10-31T23:00:00.000Z',
    });
  });

  it('America/New_York, second Sunday of March (02:00 → 03:00)', () => {
    expect(bounds({ kind: 'today' }, '2024-03-10T16:00:00Z', 'America/New_York')).toEqual({ from: '2024-03-10T05:00:00.000Z', to: '2024-03-11T04:00:00.000Z' });
    expect(hours({ kind: 'today' }, '2024-03-10T16:00:00Z', 'America/New_York')).toBe(23);
    // 22:30 on Saturday in New York is already Sunday in UTC: today is still Saturday.
    expect(bounds({ kind: 'today' }, '2024-03-10T03:30:00Z', 'America/New_York')).toEqual({ from: '2024-03-09T05:00:00.000Z', to: '2024-03-10T05:00:00.000Z' });
    expect(bounds({ kind: 'yesterday' }, '2024-03-11T14:00:00Z', 'America/New_York')).toEqual({
      from: '2024-03-10T05:00:00.000Z',
      to: '2024-03-11T04:00:00.000Z',
    });
    expect(bounds({ kind: 'last_days', days: 10 }, '2024-03-15T14:00:00Z', 'America/New_York')).toEqual({
      from: '2024-03-05T05:00:00.000Z',
      to: '2024-03-15T14:00:00.000Z',
    });
  });

  it('America/New_York, first Sunday of November (02:00 → 01:00)', () => {
    expect(bounds({ kind: 'today' }, '2024-11-03T16:00:00Z', 'America/New_York')).toEqual({ from: '2024-11-03T04:00:00.000Z', to: '2024-11-04T05:00:00.000Z' });
    expect(hours({ kind: 'today' }, '2024-11-03T16:00:00Z', 'America/New_York')).toBe(25);
    expect(bounds({ kind: 'last_days', days: 30 }, '2024-11-15T15:00:00Z', 'America/New_York')).toEqual({
      from: '2024-10-16T04:00:00.000Z',
      to: '2024-11-15T15:00:00.000Z',
    });
    expect(bounds({ kind: 'this_month' }, '2024-11-15T15:00:00Z', 'America/New_York')).toEqual({
      from: '2024-11-01T04:00:00.000Z',
      to: '2024-12-01T05:00:00.000Z',
    });
    expect(bounds({ kind: 'previous_month' }, '2024-11-15T15:00:00Z', 'America/New_York')).toEqual({
      from: '2024-10-01T04:00:00.000Z',
      to: '2024-11-01T04:00:00.000Z',
    });
  });

  it('Asia/Kolkata (UTC+05:30, no DST): days start at 18:30 UTC', () => {
    const now = '2024-06-15T20:00:00Z'; // 01:30 on Sunday 16 June in Kolkata
    expect(bounds({ kind: 'today' }, now, 'Asia/Kolkata')).toEqual({ from: '2024-06-15T18:30:00.000Z', to: '2024-06-16T18:30:00.000Z' });
    expect(bounds({ kind: 'yesterday' }, now, 'Asia/Kolkata')).toEqual({ from: '2024-06-14T18:30:00.000Z', to: '2024-06-15T18:30:00.000Z' });
    expect(bounds({ kind: 'this_month' }, now, 'Asia/Kolkata')).toEqual({ from: '2024-05-31T18:30:00.000Z', to: '2024-06-30T18:30:00.000Z' });
    expect(bounds({ kind: 'this_week' }, now, 'Asia/Kolkata')).toEqual({ from: '2024-06-09T18:30:00.000Z', to: '2024-06-16T18:30:00.000Z' });
    expect(bounds({ kind: 'last_days', days: 1 }, now, 'Asia/Kolkata')).toEqual({ from: '2024-06-14T18:30:00.000Z', to: '2024-06-15T20:00:00.000Z' });
  });

  it('Asia/Kathmandu (UTC+05:45)', () => {
    expect(bounds({ kind: 'today' }, '2024-06-15T20:00:00Z', 'Asia/Kathmandu')).toEqual({ from: '2024-06-15T18:15:00.000Z', to: '2024-06-16T18:15:00.000Z' });
  });

  it('Australia/Lord_Howe: a half-hour daylight saving shift', () => {
    expect(bounds({ kind: 'today' }, '2024-10-06T06:00:00Z', 'Australia/Lord_Howe')).toEqual({
      from: '2024-10-05T13:30:00.000Z',
      to: '2024-10-06T13:00:00.000Z',
    });
    expect(hours({ kind: 'today' }, '2024-10-06T06:00:00Z', 'Australia/Lord_Howe')).toBe(23.5);
  });

  it('a skipped midnight starts the day at its first instant (Atlantic/Azores, America/Santiago)', () => {
    // Azores, 31 March 2024: 00:00 (UTC−1) jumps to 01:00 (UTC+0); the day starts at 01:00 local.
    expect(bounds({ kind: 'today' }, '2024-03-31T12:00:00Z', 'Atlantic/Azores')).toEqual({ from: '2024-03-31T01:00:00.000Z', to: '2024-04-01T00:00:00.000Z' });
    // Azores, 27 October 2024: 01:00 (UTC+0) goes back to 00:00 (UTC−1); the day starts at the first 00:00.
    expect(bounds({ kind: 'today' }, '2024-10-27T12:00:00Z', 'Atlantic/Azores')).toEqual({ from: '2024-10-27T00:00:00.000Z', to: '2024-10-28T01:00:00.000Z' });
    // Santiago, 8 September 2024: midnight (UTC−4) jumps to 01:00 (UTC−3).
    expect(bounds({ kind: 'yesterday' }, '2024-09-09T15:00:00Z', 'America/Santiago')).toEqual({
      from: '2024-09-08T04:00:00.000Z',
      to: '2024-09-09T03:00:00.000Z',
    });
    // Santiago, 6 April 2024: 24:00 (UTC−3) goes back to 23:00 (UTC−4); Saturday lasts 25 hours.
    expect(bounds({ kind: 'today' }, '2024-04-06T15:00:00Z', 'America/Santiago')).toEqual({ from: '2024-04-06T03:00:00.000Z', to: '2024-04-07T04:00:00.000Z' });
  });

  it('a day that never happened is an empty range (Pacific/Apia skipped 30 December 2011)', () => {
    const y = resolvePeriod({ kind: 'yesterday' }, at('2011-12-30T12:00:00Z'), 'Pacific/Apia'); // 02:00 on Saturday 31 December, local
    expect(y.from).toEqual(y.to);
    expect(iso(y.from)).toBe('2011-12-30T10:00:00.000Z');
  });

  it('every local day of 2024 starts at its first instant and ends where the next begins, in every kind of zone', () => {
    const zones = [
      'UTC',
      'Europe/Paris',
      'America/New_York',
      'Asia/Kolkata',
      'Atlantic/Azores',
      'America/Santiago',
      'Australia/Lord_Howe',
      'America/Sao_Paulo',
      'Pacific/Chatham',
    ];
    for (const tz of zones) {
      for (let d = parseIsoDate('2024-01-01')!; d.year === 2024; d = addDays(d, 1)) {
        const noon = resolvePeriod({ kind: 'custom', from: formatIsoDate(d), to: formatIsoDate(d) }, new Date(0), tz);
        const from = noon.from!.getTime();
        const to = noon.to!.getTime();
        const label = `${tz} ${formatIsoDate(d)}`;
        expect(formatIsoDate(localDate(from, tz)), label).toBe(formatIsoDate(d));
        expect(formatIsoDate(localDate(from - 1, tz)), label).toBe(formatIsoDate(addDays(d, -1)));
        expect(formatIsoDate(localDate(to - 1, tz)), label).toBe(formatIsoDate(d));
        expect(formatIsoDate(localDate(to, tz)), label).toBe(formatIsoDate(addDays(d, 1)));
        // Today, evaluated at any moment of that day, is the same range.
        expect(resolvePeriod({ kind: 'today' }, new Date(from + 1), tz)).toEqual(noon);
        expect(resolvePeriod({ kind: 'today' }, new Date(to - 1), tz)).toEqual(noon);
      }
    }
  });
});

describe('weeks, months, quarters and years at their edges', () => {
  const tz = 'Europe/Paris';
  it('a week starts on Monday 00:00 local by default (ISO 8601)', () => {
    // Sunday 23:30 local is still last week; Monday 00:30 local is the new week.
    expect(bounds({ kind: 'this_week' }, '2024-03-31T21:30:00Z', tz).from).toBe('2024-03-24T23:00:00.000Z');
    expect(bounds({ kind: 'this_week' }, '2024-03-31T22:30:00Z', tz)).toEqual({ from: '2024-03-31T22:00:00.000Z', to: '2024-04-07T22:00:00.000Z' });
    expect(bounds({ kind: 'previous_week' }, '2024-03-31T22:30:00Z', tz)).toEqual({ from: '2024-03-24T23:00:00.000Z', to: '2024-03-31T22:00:00.000Z' });
    // A week across New Year.
    expect(bounds({ kind: 'this_week' }, '2025-01-01T12:00:00Z', tz)).toEqual({ from: '2024-12-29T23:00:00.000Z', to: '2025-01-05T23:00:00.000Z' });
  });

  it('takes the week start from the locale (Sunday in en-US, Saturday where that is the custom)', () => {
    const sunday = '2024-03-10T16:00:00Z';
    const ny = 'America/New_York';
    expect(bounds({ kind: 'this_week' }, sunday, ny)).toEqual({ from: '2024-03-04T05:00:00.000Z', to: '2024-03-11T04:00:00.000Z' });
    expect(bounds({ kind: 'this_week' }, sunday, ny, { weekStartsOn: 7 })).toEqual({ from: '2024-03-10T05:00:00.000Z', to: '2024-03-17T04:00:00.000Z' });
    expect(bounds({ kind: 'previous_week' }, sunday, ny, { weekStartsOn: 7 })).toEqual({ from: '2024-03-03T05:00:00.000Z', to: '2024-03-10T05:00:00.000Z' });
    expect(bounds({ kind: 'this_week' }, sunday, ny, { weekStartsOn: 6 })).toEqual({ from: '2024-03-09T05:00:00.000Z', to: '2024-03-16T04:00:00.000Z' });
    expect(weekStartForLocale('en-US')).toBe(7);
    expect(weekStartForLocale('fr-FR')).toBe(1);
    expect(weekStartForLocale('de')).toBe(1);
    expect(weekStartForLocale('en-GB')).toBe(1);
    expect(weekStartForLocale(undefined)).toBe(1);
    expect(weekStartForLocale('not a locale!')).toBe(1);
  });

  it('previous month and quarter reach into the previous year', () => {
    expect(bounds({ kind: 'previous_month' }, '2024-01-10T12:00:00Z', tz)).toEqual({ from: '2023-11-30T23:00:00.000Z', to: '2023-12-31T23:00:00.000Z' });
    expect(bounds({ kind: 'previous_quarter' }, '2024-02-10T12:00:00Z', tz)).toEqual({ from: '2023-09-30T22:00:00.000Z', to: '2023-12-31T23:00:00.000Z' });
    expect(bounds({ kind: 'this_quarter' }, '2023-12-20T12:00:00Z', tz)).toEqual({ from: '2023-09-30T22:00:00.000Z', to: '2023-12-31T23:00:00.000Z' });
    expect(bounds({ kind: 'this_quarter' }, '2024-05-15T12:00:00Z', tz)).toEqual({ from: '2024-03-31T22:00:00.000Z', to: '2024-06-30T22:00:00.000Z' });
    expect(bounds({ kind: 'previous_month' }, '2024-03-31T12:00:00Z', tz)).toEqual({ from: '2024-01-31T23:00:00.000Z', to: '2024-02-29T23:00:00.000Z' });
  });

  it('the year follows the local calendar, not UTC', () => {
    // 00:30 on 1 January 2024 in Paris is still 2023 in UTC.
    expect(bounds({ kind: 'this_year' }, '2023-12-31T23:30:00Z', tz)).toEqual({ from: '2023-12-31T23:00:00.000Z', to: '2024-12-31T23:00:00.000Z' });
    expect(bounds({ kind: 'this_year' }, '2023-12-31T23:30:00Z', 'UTC')).toEqual({ from: '2023-01-01T00:00:00.000Z', to: '2024-01-01T00:00:00.000Z' });
    expect(bounds({ kind: 'previous_year' }, '2023-12-31T23:30:00Z', tz)).toEqual({ from: '2022-12-31T23:00:00.000Z', to: '2023-12-31T23:00:00.000Z' });
  });
});

describe('periodBoundsPerZone and periodHull', () => {
  it('gives each distinct zone its own bounds and one range containing them all', () => {
    const now = at('2024-03-10T16:00:00Z');
    const per = periodBoundsPerZone({ kind: 'today' }, now, ['Europe/Paris', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata']);
    expect(per.map((z) => [z.timeZone, iso(z.from), iso(z.to)])).toEqual([
      ['Europe/Paris', '2024-03-09T23:00:00.000Z', '2024-03-10T23:00:00.000Z'],
      ['America/New_York', '2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z'],
      ['Asia/Kolkata', '2024-03-09T18:30:00.000Z', '2024-03-10T18:30:00.000Z'],
    ]);
    const hull = periodHull(per);
    expect([iso(hull.from), iso(hull.to)]).toEqual(['2024-03-09T18:30:00.000Z', '2024-03-11T04:00:00.000Z']);
  });
  it('keeps open sides open', () => {
    const now = at('2024-03-10T16:00:00Z');
    expect(periodHull(periodBoundsPerZone({ kind: 'older_than_days', days: 3 }, now, ['UTC', 'Asia/Tokyo'])).from).toBeNull();
    expect(periodHull(periodBoundsPerZone({ kind: 'all_time' }, now, ['UTC']))).toEqual({ from: null, to: null });
    expect(periodHull([])).toEqual({ from: null, to: null });
  });
  it('refuses an unknown zone among them', () => {
    expect(domainError(() => periodBoundsPerZone({ kind: 'today' }, new Date(), ['UTC', 'Europe/Atlantis'])).details).toMatchObject({
      reason: 'INVALID_TIME_ZONE',
    });
  });
});

describe('localDayAndMinute', () => {
  it('gives the local date, ISO weekday and minute of the day', () => {
    expect(localDayAndMinute(at('2024-01-01T00:00:00Z'), 'UTC')).toEqual({ isoDate: '2024-01-01', weekday: 1, minuteOfDay: 0 });
    expect(localDayAndMinute(at('2024-01-07T23:59:59Z'), 'UTC')).toEqual({ isoDate: '2024-01-07', weekday: 7, minuteOfDay: 1439 });
    // Kolkata is 5:30 ahead: Saturday 20:00 UTC is Sunday 01:30.
    expect(localDayAndMinute(at('2024-06-15T20:00:00Z'), 'Asia/Kolkata')).toEqual({ isoDate: '2024-06-16', weekday: 7, minuteOfDay: 90 });
    // New York: Saturday evening local while UTC is already Sunday.
    expect(localDayAndMinute(at('2024-03-10T03:30:00Z'), 'America/New_York')).toEqual({ isoDate: '2024-03-09', weekday: 6, minuteOfDay: 22 * 60 + 30 });
  });
  it('follows the wall clock across DST: skipped and repeated hours', () => {
    // New York, 10 March 2024: 01:59 EST then 03:00 EDT.
    expect(localDayAndMinute(at('2024-03-10T06:59:00Z'), 'America/New_York').minuteOfDay).toBe(119);
    expect(localDayAndMinute(at('2024-03-10T07:00:00Z'), 'America/New_York').minuteOfDay).toBe(180);
    // Paris, 27 October 2024: 02:30 happens twice, both on Sunday the 27th.
    expect(localDayAndMinute(at('2024-10-27T00:30:00Z'), 'Europe/Paris')).toEqual({ isoDate: '2024-10-27', weekday: 7, minuteOfDay: 150 });
    expect(localDayAndMinute(at('2024-10-27T01:30:00Z'), 'Europe/Paris')).toEqual({ isoDate: '2024-10-27', weekday: 7, minuteOfDay: 150 });
  });
  it('refuses an unknown zone', () => {
    expect(domainError(() => localDayAndMinute(new Date(), 'Nowhere/Town')).details).toEqual({ reason: 'INVALID_TIME_ZONE', field: 'timeZone' });
  });
});
