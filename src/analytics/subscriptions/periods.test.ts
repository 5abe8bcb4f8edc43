// Digest periods: where days, weeks (from Monday) and months start, in UTC and on a site's calendar (daylight-saving
// changes included), when the first digest is due, and what a late scheduler covers.
import { describe, expect, it } from 'vitest';
import { digestWindow, firstDigest, nextPeriodStart, periodStart, usableZone } from './periods.ts';

const d = (iso: string) => new Date(iso);

describe('digest periods', () => {
  it('starts days at midnight, weeks on Monday and months on the 1st (UTC)', () => {
    expect(periodStart('daily', d('2026-12-06T23:59:00Z')).toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(periodStart('weekly', d('2026-12-06T10:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z'); // Sunday
    expect(periodStart('weekly', d('2026-11-30T00:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z'); // Monday
    expect(periodStart('monthly', d('2026-12-31T23:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextPeriodStart('monthly', d('2026-12-01T00:00:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextPeriodStart('monthly', d('2027-01-01T00:00:00Z')).toISOString()).toBe('2027-02-01T00:00:00.000Z');
    expect(nextPeriodStart('weekly', d('2026-12-28T00:00:00Z')).toISOString()).toBe('2027-01-04T00:00:00.000Z');
  });

  it('covers the current period first, sent an hour after it ends; continuous has no schedule', () => {
    expect(firstDigest('weekly', d('2026-12-02T15:00:00Z'))).toEqual({ periodEnd: '2026-11-30T00:00:00.000Z', nextDueAt: '2026-12-07T01:00:00.000Z' });
    expect(firstDigest('monthly', d('2026-12-02T15:00:00Z'))).toEqual({ periodEnd: '2026-12-01T00:00:00.000Z', nextDueAt: '2027-01-01T01:00:00.000Z' });
    expect(firstDigest('continuous', d('2026-12-02T15:00:00Z'))).toEqual({ periodEnd: null, nextDueAt: null });
  });

  it('a late scheduler covers every ended period at once, and the next one is in the future', () => {
    // The daily digest due on the 3rd at 01:00 runs only on the 6th at 00:30: it covers the 2nd to the 4th; the 5th
    // ended half an hour ago, inside the grace hour, so it waits for the next run (due at 01:00).
    const w = digestWindow('daily', '2026-12-02T00:00:00.000Z', d('2026-12-06T00:30:00Z'));
    expect(w).toEqual({ from: '2026-12-02T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z', nextDueAt: '2026-12-06T01:00:00.000Z' });
    const on = digestWindow('daily', '2026-12-02T00:00:00.000Z', d('2026-12-06T01:00:00Z'));
    expect(on.to).toBe('2026-12-06T00:00:00.000Z');
    expect(on.nextDueAt).toBe('2026-12-07T01:00:00.000Z');
  });

  it("cut on the subscriber's calendar: local midnight, Monday and the 1st in the site's zone", () => {
    // 23:30 UTC on Sunday 6 December is already Monday the 7th in Paris (UTC+1).
    const late = d('2026-12-06T23:30:00Z');
    expect(periodStart('daily', late, 'Europe/Paris').toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(periodStart('weekly', late, 'Europe/Paris').toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(periodStart('weekly', late).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    // Auckland is UTC+13 in December: its 1 January starts at 11:00 UTC on 31 December.
    expect(periodStart('monthly', d('2026-12-31T12:00:00Z'), 'Pacific/Auckland').toISOString()).toBe('2026-12-31T11:00:00.000Z');
    expect(nextPeriodStart('monthly', d('2026-11-30T11:00:00Z'), 'Pacific/Auckland').toISOString()).toBe('2026-12-31T11:00:00.000Z');
    expect(firstDigest('daily', d('2026-12-02T15:00:00Z'), 'America/New_York')).toEqual({
      periodEnd: '2026-12-02T05:00:00.000Z',
      nextDueAt: '2026-12-03T06:00:00.000Z',
    });
  });

  it('a day across a daylight-saving change is 23 or 25 hours long', () => {
    // Paris moves to summer time on 29 March 2026 and back on 25 October.
    const spring = periodStart('daily', d('2026-03-29T12:00:00Z'), 'Europe/Paris');
    expect(spring.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(nextPeriodStart('daily', spring, 'Europe/Paris').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = periodStart('daily', d('2026-10-25T12:00:00Z'), 'Europe/Paris');
    expect(autumn.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(nextPeriodStart('daily', autumn, 'Europe/Paris').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // A late scheduler in a zone: the window ends at the last local midnight a grace hour old.
    expect(digestWindow('daily', '2026-10-23T22:00:00.000Z', d('2026-10-26T01:00:00Z'), 'Europe/Paris')).toEqual({
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
      nextDueAt: '2026-10-27T00:00:00.000Z',
    });
  });

  it('a zone this runtime does not know, or none, is UTC', () => {
    expect(usableZone('Mars/Olympus')).toBe('UTC');
    expect(usableZone(null)).toBe('UTC');
    expect(usableZone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});
