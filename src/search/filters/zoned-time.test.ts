import { describe, expect, it } from 'vitest';
import {
  addMonths,
  civilFromEpochDay,
  DAY_MS,
  epochDay,
  instantAtWallClock,
  isoWeekday,
  localDate,
  offsetAt,
  parseIsoDate,
  wallClockAt,
} from './zoned-time.ts';

describe('civil dates', () => {
  it('counts days since 1970-01-01 exactly like Date.UTC, both ways', () => {
    for (let n = -800_000; n <= 800_000; n += 997) {
      const d = new Date(n * DAY_MS);
      const civil = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      expect(civilFromEpochDay(n)).toEqual(civil);
      expect(epochDay(civil)).toBe(n);
    }
  });
  it('parses real YYYY-MM-DD days only', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    for (const bad of ['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-05', '05/01/2024', '2024-05-01T00:00:00Z', '']) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
  });
  it('knows weekdays (1 = Monday) and steps months across years', () => {
    expect(isoWeekday({ year: 1970, month: 1, day: 1 })).toBe(4);
    expect(isoWeekday({ year: 2024, month: 1, day: 1 })).toBe(1);
    expect(isoWeekday({ year: 2024, month: 3, day: 31 })).toBe(7);
    expect(addMonths({ year: 2024, month: 1, day: 31 }, -1)).toEqual({ year: 2023, month: 12, day: 1 });
    expect(addMonths({ year: 2024, month: 11, day: 15 }, 3)).toEqual({ year: 2025, month: 2, day: 1 });
  });
});

describe('wall clocks in time zones', () => {
  it('offsets', () => {
    expect(offsetAt(Date.parse('2024-01-15T12:00:00Z'), 'Europe/Paris')).toBe(3_600_000);
    expect(offsetAt(Date.parse('2024-07-15T12:00:00Z'), 'Europe/Paris')).toBe(7_200_000);
    expect(offsetAt(Date.parse('2024-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(19_800_000);
    expect(offsetAt(Date.parse('2024-07-15T12:00:00Z'), 'America/New_York')).toBe(-14_400_000);
  });
  it('a repeated time resolves to the earlier instant, a skipped time to just after the gap', () => {
    const paris = (y: number, m: number, d: number, h: number, mi: number) =>
      new Date(instantAtWallClock({ year: y, month: m, day: d }, h, mi, 'Europe/Paris')).toISOString();
    expect(paris(2024, 10, 27, 2, 30)).toBe('2024-10-27T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET
    expect(paris(2024, 3, 31, 2, 30)).toBe('2024-03-31T01:30:00.000Z'); // 02:30 does not exist: 03:30 CEST
    expect(paris(2024, 3, 31, 3, 0)).toBe('2024-03-31T01:00:00.000Z');
    expect(paris(2024, 3, 31, 1, 59)).toBe('2024-03-31T00:59:00.000Z');
  });
});

describe('localDate, remembered per zone', () => {
  // America/Sao_Paulo set its clocks back from 00:00 to 23:00 (2018-02-18: the 17th shows again after the 18th began)
  // and forward at midnight (2018-11-04 had no 00:00 hour); Europe/Paris and Australia/Lord_Howe (30-minute shifts)
  // change mid-night; Asia/Kolkata never changes.
  const zones = ['America/Sao_Paulo', 'Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Havana', 'UTC'];
  const direct = (t: number, zone: string) => {
    const { year, month, day } = wallClockAt(t, zone);
    return { year, month, day };
  };

  it('equals the wall clock’s date for every instant, asked in time order and at random', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    for (const zone of zones) {
      // Every 7 minutes across both 2018 transitions of São Paulo (and whatever the others had then), in order...
      for (let t = Date.UTC(2018, 1, 16); t < Date.UTC(2018, 1, 20); t += 7 * 60_000) expect(localDate(t, zone), `${zone} ${t}`).toEqual(direct(t, zone));
      for (let t = Date.UTC(2018, 10, 2); t < Date.UTC(2018, 10, 6); t += 7 * 60_000) expect(localDate(t, zone), `${zone} ${t}`).toEqual(direct(t, zone));
      // ...and 3,000 instants of 2015-2030 at random, each asked twice.
      for (let i = 0; i < 3000; i++) {
        const t = Date.UTC(2015, 0, 1) + Math.floor(rnd() * 15 * 365 * 86_400_000);
        expect(localDate(t, zone), `${zone} ${t}`).toEqual(direct(t, zone));
        expect(localDate(t, zone)).toEqual(direct(t, zone));
      }
    }
  });

  it('hands out a copy: a caller changing it does not change the next answer', () => {
    const t = Date.UTC(2026, 5, 15, 12);
    const d = localDate(t, 'Europe/Paris');
    d.day = 99;
    expect(localDate(t, 'Europe/Paris')).toEqual({ year: 2026, month: 6, day: 15 });
  });
});
