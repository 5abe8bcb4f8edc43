// Parsers for what people type into the filter chips: time of day, talk time, phone number prefix; plus the
// duration buckets and the speech-tag confidence levels. Each refuses bad input with a message that says what to type.
import { Type, type Static } from 'typebox';
import { filterError, quote } from './errors.ts';

const MINUTES_PER_DAY = 24 * 60;

// ---- time of day ---------------------------------------------------------------------------------------------------
//
//   3      → 03:00   whole hours
//   3.5    → 03:30   decimal hours ("," also accepted as the decimal mark: 3,5); rounded to the nearest minute
//   3:5    → 03:05   hours:minutes, each one or two digits
//   14:30, 23:59
// Hours 0–23, minutes 0–59. Surrounding spaces are ignored. Seconds, am/pm and 24:00 are refused.

const TIME_HELP = 'type hours and minutes, for example 3 (03:00), 3.5 (03:30), 3:5 (03:05) or 14:30';

/** Minutes since midnight (0 ... 1439) of a loose time of day. */
export function parseTimeOfDay(input: string, field = 'time'): number {
  const text = input.trim();
  if (text === '') throw filterError('EMPTY_VALUE', `Enter a time: ${TIME_HELP}`, field);
  let hours: number;
  let minutes: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)$/.exec(text))) {
    hours = Number(m[1]);
    minutes = 0;
  } else if ((m = /^(\d+)[.,](\d+)$/.exec(text))) {
    hours = Number(m[1]);
    minutes = Math.round(Number(`0.${m[2]}`) * 60);
  } else if ((m = /^(\d+):(\d{1,2})$/.exec(text))) {
    hours = Number(m[1]);
    minutes = Number(m[2]);
  } else {
    throw filterError('INVALID_TIME', `${quote(text)} is not a time: ${TIME_HELP}`, field);
  }
  if (m[1]!.length > 2 || hours > 23) throw filterError('INVALID_TIME', `${quote(text)} is not a time: hours go from 0 to 23`, field);
  // Decimal hours may round up to a whole hour (3.999 → 04:00); typed minutes may not exceed 59.
  if (text.includes(':') && minutes > 59) throw filterError('INVALID_TIME', `${quote(text)} is not a time: minutes go from 0 to 59`, field);
  const minuteOfDay = hours * 60 + minutes;
  // 23.999 rounds to 24:00, which is not a time of day.
  if (minuteOfDay >= MINUTES_PER_DAY) throw filterError('INVALID_TIME', `${quote(text)} is not a time: the latest time is 23:59`, field);
  return minuteOfDay;
}

export const formatTimeOfDay = (minuteOfDay: number) => `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;

export interface TimeOfDayRange {
  /** First minute included (minutes since local midnight). */
  fromMinute: number;
  /** Last minute included: 17 means up to 17:00:59, and 23:59 up to the end of the day (24:00 cannot be typed). */
  toMinute: number;
}

/**
 * A time-of-day range from two loose inputs; the second must be later than the first. An empty first box means
 * 00:00 and an empty second one 23:59, so "from 18" alone reads as "from 18:00 to the end of the day".
 * Match with the stored local minute of day: fromMinute <= minuteOfDay <= toMinute. Ranges do not wrap midnight.
 */
export function parseTimeRange(first: string, second: string): TimeOfDayRange {
  if (first.trim() === '' && second.trim() === '') throw filterError('EMPTY_VALUE', `Enter at least one of the two times: ${TIME_HELP}`, 'timeOfDay.from');
  const fromMinute = first.trim() === '' ? 0 : parseTimeOfDay(first, 'timeOfDay.from');
  const toMinute = second.trim() === '' ? MINUTES_PER_DAY - 1 : parseTimeOfDay(second, 'timeOfDay.to');
  if (toMinute <= fromMinute) {
    throw filterError(
      'TIME_RANGE_REVERSED',
      `The second time must be later than the first (${formatTimeOfDay(toMinute)} is not after ${formatTimeOfDay(fromMinute)})`,
      'timeOfDay.to',
    );
  }
  return { fromMinute, toMinute };
}

export const matchesTimeRange = (range: TimeOfDayRange, minuteOfDay: number) => minuteOfDay >= range.fromMinute && minuteOfDay <= range.toMinute;

// ---- talk time -----------------------------------------------------------------------------------------------------
//
//   3      → 3 min          whole minutes (75 → 1 h 15 min)
//   3.5    → 3 min 30 s     decimal minutes ("," accepted too); rounded to the nearest second
//   3:5    → 3 min 5 s      minutes:seconds (minutes unbounded, seconds 0–59)
//   1:3:5  → 1 h 3 min 5 s  hours:minutes:seconds (minutes and seconds 0–59)
// At most 100 hours.

export const DURATION_MAX_MS = 100 * 3_600_000;
const DURATION_HELP = 'type minutes, for example 3, 3.5 (3 min 30 s), 3:5 (3 min 5 s) or 1:3:5 (1 h 3 min 5 s)';

/** Milliseconds of a loose talk time. */
export function parseDuration(input: string, field = 'talkTime'): number {
  const text = input.trim();
  if (text === '') throw filterError('EMPTY_VALUE', `Enter a talk time: ${DURATION_HELP}`, field);
  const bad = (why: string) => filterError('INVALID_DURATION', `${quote(text)} is not a talk time: ${why}`, field);
  let seconds: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,7})$/.exec(text))) {
    seconds = Number(m[1]) * 60;
  } else if ((m = /^(\d{1,7})[.,](\d+)$/.exec(text))) {
    seconds = Number(m[1]) * 60 + Math.round(Number(`0.${m[2]}`) * 60);
  } else if ((m = /^(\d{1,7}):(\d{1,2})$/.exec(text))) {
    if (Number(m[2]) > 59) throw bad('seconds go from 0 to 59');
    seconds = Number(m[1]) * 60 + Number(m[2]);
  } else if ((m = /^(\d{1,5}):(\d{1,2}):(\d{1,2})$/.exec(text))) {
    if (Number(m[2]) > 59) throw bad('minutes go from 0 to 59');
    if (Number(m[3]) > 59) throw bad('seconds go from 0 to 59');
    seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  } else {
    throw bad(DURATION_HELP);
  }
  const ms = seconds * 1000;
  if (ms > DURATION_MAX_MS) throw bad('the longest talk time you can search for is 100 hours');
  return ms;
}

export interface DurationRange {
  /** Inclusive lower bound in milliseconds. */
  minMs: number;
  /** Exclusive upper bound in milliseconds, or null for unlimited. */
  maxMs: number | null;
}

/**
 * A custom talk-time range. An empty minimum is 0; an empty maximum, or one worth zero (0, 0:00, 00:00:00), is
 * unlimited. Both typed ends are included to the whole second, as durations are shown in whole seconds: "3 to 5"
 * keeps a call of 5:00.400 (shown 5:00) and drops one of 5:01. So the returned maxMs is the typed maximum + 1 s,
 * exclusive: talkTimeMs >= minMs AND talkTimeMs < maxMs. The minimum must not be above the maximum.
 */
export function parseDurationRange(min: string, max: string): DurationRange {
  const minMs = min.trim() === '' ? 0 : parseDuration(min, 'talkTime.min');
  const typedMax = max.trim() === '' ? 0 : parseDuration(max, 'talkTime.max');
  if (typedMax === 0) return { minMs, maxMs: null };
  if (minMs > typedMax) {
    throw filterError(
      'DURATION_RANGE_REVERSED',
      `The minimum talk time (${formatDuration(minMs)}) must not be longer than the maximum (${formatDuration(typedMax)})`,
      'talkTime.max',
    );
  }
  return { minMs, maxMs: typedMax + 1000 };
}

/** "1:03:05" or "3:05", as talk times are shown. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const matchesDuration = (range: DurationRange, talkTimeMs: number) => talkTimeMs >= range.minMs && (range.maxMs === null || talkTimeMs < range.maxMs);

/**
 * The named duration chips as half-open ranges [minMs, maxMs). They partition all durations without gap or
 * overlap: a duration exactly on an edge belongs to the longer bucket (30 s is Short, 1 min Normal, 3 min Long,
 * 10 min Very long — the "> 10 min" is read as "10 min and more" so that 10:00.000 is in some bucket).
 */
export const DURATION_BUCKETS = {
  very_short: { minMs: 0, maxMs: 30_000 },
  short: { minMs: 30_000, maxMs: 60_000 },
  normal: { minMs: 60_000, maxMs: 180_000 },
  long: { minMs: 180_000, maxMs: 600_000 },
  very_long: { minMs: 600_000, maxMs: null },
} as const satisfies Record<string, DurationRange>;

export const DurationBucket = Type.Union(
  [Type.Literal('very_short'), Type.Literal('short'), Type.Literal('normal'), Type.Literal('long'), Type.Literal('very_long')],
  { description: 'very_short < 30 s ≤ short < 1 min ≤ normal < 3 min ≤ long < 10 min ≤ very_long' },
);
export type DurationBucket = Static<typeof DurationBucket>;

export const durationBucketOf = (talkTimeMs: number): DurationBucket =>
  (Object.keys(DURATION_BUCKETS) as DurationBucket[]).find((b) => matchesDuration(DURATION_BUCKETS[b], talkTimeMs))!;

// ---- phone number prefix -------------------------------------------------------------------------------------------
//
// Typed: digits, one optional leading "+", spaces anywhere (removed). Anything else is refused, naming the character.
// Stored: "+digits" or "digits" (see normalizePhone at ingest). A prefix matches a stored number that starts with it,
// and "+" and "00" (the international call prefix of most of the world) are the same thing on both sides:
//   +33 1   matches +331…  and 00331…
//   0033 1  matches 00331… and +331…
//   331     matches 331… only (a number typed without + or 00 is not taken as international: without knowing
//           the caller's country, "0612" cannot be turned into +33612; that needs libphonenumber and a region)
//   0       matches every stored number that starts with 0, including 00…
// Other international prefixes (011 in North America) are not translated.

export const PHONE_PREFIX_MAX_DIGITS = 20;

export interface PhonePrefix {
  /** The prefix as typed, normalised: digits with an optional leading +. */
  prefix: string;
  /** Stored numbers match when they start with any of these (match with LIKE prefix || '%'; no LIKE wildcards inside). */
  startsWith: string[];
}

export function parsePhonePrefix(input: string, field = 'phone'): PhonePrefix {
  const text = input.replace(/\s+/g, '');
  if (text === '') throw filterError('EMPTY_VALUE', 'Enter the start of a phone number: digits, with a + in front if you like', field);
  const plus = text.startsWith('+');
  const rest = plus ? text.slice(1) : text;
  for (const ch of rest) {
    if (ch >= '0' && ch <= '9') continue;
    const name = ch === '+' ? '"+" (only allowed at the start)' : describeChar(ch);
    throw filterError('INVALID_PHONE_PREFIX', `A phone number can only contain digits, spaces and a leading +; ${name} is not allowed`, field, {
      character: ch,
    });
  }
  if (rest === '') throw filterError('INVALID_PHONE_PREFIX', 'Type at least one digit after the +', field);
  if (rest.length > PHONE_PREFIX_MAX_DIGITS) throw filterError('INVALID_PHONE_PREFIX', `A phone number has at most ${PHONE_PREFIX_MAX_DIGITS} digits`, field);
  const prefix = plus ? `+${rest}` : rest;
  const startsWith = plus ? [prefix, `00${rest}`] : rest.startsWith('00') ? [prefix, `+${rest.slice(2)}`] : [prefix];
  return { prefix, startsWith };
}

export const matchesPhonePrefix = (p: PhonePrefix, storedPhone: string | null | undefined) =>
  !!storedPhone && p.startsWith.some((s) => storedPhone.startsWith(s));

function describeChar(ch: string): string {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `"${ch}"` : `the character ${code}`;
}

// ---- speech tag confidence -----------------------------------------------------------------------------------------

/** Minimum confidence (0 ... 1) of a speech tag hit for each level; a hit at exactly the threshold counts. */
export const CONFIDENCE_THRESHOLDS = { certainly: 0.65, probably: 0.5, maybe: 0.4 } as const;

export const ConfidenceLevel = Type.Union([Type.Literal('certainly'), Type.Literal('probably'), Type.Literal('maybe')], {
  description: 'certainly ≥ 65 %, probably ≥ 50 %, maybe ≥ 40 %',
});
export type ConfidenceLevel = Static<typeof ConfidenceLevel>;

export const meetsConfidence = (level: ConfidenceLevel, confidence: number) => confidence >= CONFIDENCE_THRESHOLDS[level];
