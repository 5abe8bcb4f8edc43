// Calendar dates and wall clocks in IANA time zones with Intl.DateTimeFormat and plain arithmetic (no library).
//
// Civil dates are counted in days since 1970-01-01 (Howard Hinnant's algorithm), so date arithmetic never goes
// through a local-time Date and has no DST surprises. Turning a wall-clock time into an instant follows the rules
// of Temporal's 'compatible' disambiguation, which is what a person expects of "the start of the day":
// - a time that occurs twice (clocks going back) resolves to the earlier instant;
// - a time that does not exist (clocks going forward) resolves to the instant just after the gap, so the start of
//   a day whose midnight is skipped (Atlantic/Azores in March, America/Santiago in September) is its first instant.
import { filterError, quote } from './errors.ts';

export interface CivilDate {
  year: number;
  /** 1 = January ... 12 = December */
  month: number;
  day: number;
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WallClock extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// ---- civil dates -------------------------------------------------------------------------------------------------

/** Days since 1970-01-01 of a proleptic Gregorian date (any year). */
export function epochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromEpochDay(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export const addDays = (d: CivilDate, days: number): CivilDate => civilFromEpochDay(epochDay(d) + days);

/** The first day of the month `months` months after (or before, if negative) the month of `d`. */
export function addMonths(d: CivilDate, months: number): CivilDate {
  const index = d.year * 12 + (d.month - 1) + months;
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1, day: 1 };
}

export const isoWeekday = (d: CivilDate): Weekday => (((((epochDay(d) + 3) % 7) + 7) % 7) + 1) as Weekday;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const formatIsoDate = (d: CivilDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** A real calendar day written YYYY-MM-DD, or null (2023-02-29, 2024-13-01 and 2024-1-5 are not). */
export function parseIsoDate(text: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const back = civilFromEpochDay(epochDay(d));
  return back.year === d.year && back.month === d.month && back.day === d.day ? d : null;
}

export function requireIsoDate(text: string, field: string): CivilDate {
  const d = parseIsoDate(text);
  if (!d) throw filterError('INVALID_DATE', `${quote(text)} is not a date: write it as YYYY-MM-DD, for example 2024-03-31`, field);
  return d;
}

// ---- time zones --------------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw filterError('INVALID_TIME_ZONE', `${quote(timeZone)} is not a known time zone: use an IANA name such as Europe/Paris`, 'timeZone');
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws VALIDATION_FAILED (INVALID_TIME_ZONE) unless the zone is known to this runtime's time-zone database. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall clock (to the second) shown in `timeZone` at `instant` (milliseconds since the epoch). */
export function wallClockAt(instant: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The wall clock written as if it were UTC, in milliseconds: comparable with instants to get an offset. */
const wallMs = (w: WallClock) => epochDay(w) * DAY_MS + w.hour * HOUR_MS + w.minute * MINUTE_MS + w.second * 1000;

/** UTC offset of `timeZone` at `instant`, in milliseconds (Paris in summer: +7,200,000). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallMs(wallClockAt(whole, timeZone)) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` at `hour`:`minute`. Repeated times resolve to the
 * earlier instant, skipped times to the instant just after the gap (see the top of this file).
 */
export function instantAtWallClock(date: CivilDate, hour: number, minute: number, timeZone: string): number {
  const wall = epochDay(date) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS;
  // A pure function of the wall time and the zone (the runtime's time-zone data does not change while it runs), asked
  // again for the same days on every search of a period (four zones: about 25 formatToParts calls): remembered.
  const key = `${timeZone} ${wall}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const instant = resolveWallClock(wall, timeZone);
  if (instants.size >= INSTANTS_KEPT) instants.delete(instants.keys().next().value!);
  instants.set(key, instant);
  return instant;
}

const INSTANTS_KEPT = 4_096;
const instants = new Map<string, number>();

function resolveWallClock(wall: number, timeZone: string): number {
  // Offsets in force a day before and a day after: any transition near this wall time lies between them.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([before, offsetAt(wall, timeZone), after])]
    .map((offset) => wall - offset)
    .filter((t) => wallMs(wallClockAt(t, timeZone)) === wall)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // Skipped: with the offset from before the transition we land as far after the gap as the time was into it.
  return wall - before;
}

/** First instant of the local calendar day `date` in `timeZone`. */
export const startOfLocalDay = (date: CivilDate, timeZone: string): number => instantAtWallClock(date, 0, 0, timeZone);

/** Local calendar day of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): CivilDate {
  // Every search of a period asks for today in each of the tenant's zones (a formatToParts call each): the zone's
  // current day is remembered as the instants it spans, when its offset does not change within it (on a day with a
  // transition the local date need not grow with the instant: a clock set back at midnight shows yesterday again).
  const known = today.get(timeZone);
  if (known && instant >= known.from && instant < known.to) return { ...known.date };
  const { year, month, day } = wallClockAt(instant, timeZone);
  const date = { year, month, day };
  const from = startOfLocalDay(date, timeZone);
  const to = startOfLocalDay(addDays(date, 1), timeZone);
  if (instant >= from && instant < to && offsetAt(from, timeZone) === offsetAt(to - 1, timeZone)) {
    if (today.size >= TODAYS_KEPT) today.delete(today.keys().next().value!);
    today.set(timeZone, { from, to, date: { ...date } });
  }
  return date;
}

const TODAYS_KEPT = 1_024;
const today = new Map<string, { from: number; to: number; date: CivilDate }>();

export interface LocalDayAndMinute {
  /** Local calendar day, YYYY-MM-DD. */
  isoDate: string;
  /** ISO weekday of that day: 1 = Monday ... 7 = Sunday. */
  weekday: Weekday;
  /** Minutes since local midnight as the wall clock shows them (0 ... 1439); 02:30 twice on a night clocks go back. */
  minuteOfDay: number;
}

/**
 * Where `instant` falls on the local calendar and clock of `timeZone`. Store these per conversation at ingest (in the
 * time zone of the agent's site) so the "Days of week" and "Time of day" filters are plain indexed comparisons.
 */
export function localDayAndMinute(instant: Date, timeZone: string): LocalDayAndMinute {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new TypeError('localDayAndMinute needs a valid Date');
  const w = wallClockAt(t, timeZone);
  return { isoDate: formatIsoDate(w), weekday: isoWeekday(w), minuteOfDay: w.hour * 60 + w.minute };
}
