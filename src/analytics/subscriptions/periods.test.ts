// Digest periods in UTC: where days, weeks (from Monday) and months start, when the first digest is due, and what a
// late scheduler covers.
import { describe, expect, it } from 'vitest';
import { digestWindow, firstDigest, nextPeriodStart, periodStart } from './periods.ts';

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
});
