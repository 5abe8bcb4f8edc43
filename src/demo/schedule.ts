// When demo conversations happen: business hours in the agent's site time zone over the last 90 days, weekdays
// heavier than weekends, busier mid-morning and mid-afternoon. Dates are relative to "now"; the draws are not, so the
// demo looks the same every time it is seeded, only shifted in time.
import type { Rng } from './random.ts';

export const DEMO_DAYS = 90;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday!] ?? 0,
  };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/** The instant of a wall-clock time in a zone (for a time skipped or repeated by a DST change, the nearest sensible one). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60000;
  return new Date(guess);
}

/** Relative traffic by local hour (8:00–18:59): a morning and an afternoon peak, a lunch dip. */
const HOUR_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [8, 4],
  [9, 8],
  [10, 10],
  [11, 9],
  [12, 5],
  [13, 6],
  [14, 9],
  [15, 10],
  [16, 8],
  [17, 5],
  [18, 2],
];
const DAY_WEIGHT = [0.12, 1, 1, 1, 0.95, 0.85, 0.3]; // Sunday … Saturday

export class Scheduler {
  private readonly todayByZone = new Map<string, { year: number; month: number; day: number }>();

  constructor(readonly now: Date) {}

  private today(timeZone: string) {
    let t = this.todayByZone.get(timeZone);
    if (!t) {
      const p = localParts(this.now, timeZone);
      t = { year: p.year, month: p.month, day: p.day };
      this.todayByZone.set(timeZone, t);
    }
    return t;
  }

  /** The calendar day `daysAgo` days before today in the zone, with its weekday. */
  day(timeZone: string, daysAgo: number) {
    const t = this.today(timeZone);
    const d = new Date(Date.UTC(t.year, t.month - 1, t.day - daysAgo));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
  }

  /**
   * A start time in business hours, `durationMs` long, ending before now. Always consumes the same number of draws,
   * whatever "now" is, so one seed gives the same sequence of conversations.
   */
  businessTime(rng: Rng, timeZone: string, durationMs: number, opts: { maxDaysAgo?: number; minDaysAgo?: number } = {}): Date {
    const maxDays = Math.min(opts.maxDaysAgo ?? DEMO_DAYS - 1, DEMO_DAYS - 1);
    const minDays = opts.minDaysAgo ?? 0;
    const uDay = rng.float();
    const uHour = rng.float();
    const minute = rng.int(0, 59);
    const second = rng.int(0, 59);
    const days: Array<readonly [number, number]> = [];
    for (let d = minDays; d <= maxDays; d++) days.push([d, DAY_WEIGHT[this.day(timeZone, d).weekday]!]);
    let daysAgo = pickByUniform(days, uDay);
    const hour = pickByUniform(HOUR_WEIGHTS, uHour);
    for (;;) {
      const d = this.day(timeZone, daysAgo);
      const at = zonedTime(d.year, d.month, d.day, hour, minute, second, timeZone);
      if (at.getTime() + durationMs + 60_000 < this.now.getTime() || daysAgo >= maxDays) return at;
      daysAgo++; // later today than now: the same time on an earlier day
    }
  }
}

function pickByUniform<T>(entries: ReadonlyArray<readonly [T, number]>, u: number): T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = u * total;
  for (const [v, w] of entries) {
    r -= w;
    if (r < 0) return v;
  }
  return entries[entries.length - 1]![0];
}
