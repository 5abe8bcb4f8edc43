// Digest periods on the subscriber's calendar: a day from local midnight, a week from Monday midnight, a month from the
// 1st, in the time zone of the subscriber's site (else the tenant's first site, else UTC; see subscriberZone). Periods
// are computed from local dates, so a day across a daylight-saving change is 23 or 25 hours long. A digest is sent a
// grace hour after its period ends, so interactions of the period's last minutes have been transcribed and analysed.
import { addDays, addMonths, assertTimeZone, isoWeekday, localDate, startOfLocalDay } from '../../search/filters/zoned-time.ts';
import type { Frequency } from './schemas.ts';

export const DIGEST_GRACE_MS = 60 * 60_000;

type Periodic = Exclude<Frequency, 'continuous'>;

/** The zone to compute in: a zone this runtime does not know (an old site's) is UTC rather than no digest. */
export function usableZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    assertTimeZone(zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

export function periodStart(frequency: Periodic, at: Date, zone = 'UTC'): Date {
  let d = localDate(at.getTime(), zone);
  if (frequency === 'weekly') d = addDays(d, 1 - isoWeekday(d));
  if (frequency === 'monthly') d = { ...d, day: 1 };
  return new Date(startOfLocalDay(d, zone));
}

export function nextPeriodStart(frequency: Periodic, start: Date, zone = 'UTC'): Date {
  const d = localDate(start.getTime(), zone);
  const next = frequency === 'daily' ? addDays(d, 1) : frequency === 'weekly' ? addDays(d, 7) : addMonths({ ...d, day: 1 }, 1);
  return new Date(startOfLocalDay(next, zone));
}

/** A new (or re-timed) digest: it covers the current period, sent a grace hour after the period ends. */
export function firstDigest(frequency: Frequency, now: Date, zone = 'UTC'): { periodEnd: string | null; nextDueAt: string | null } {
  if (frequency === 'continuous') return { periodEnd: null, nextDueAt: null };
  const start = periodStart(frequency, now, zone);
  return { periodEnd: start.toISOString(), nextDueAt: new Date(nextPeriodStart(frequency, start, zone).getTime() + DIGEST_GRACE_MS).toISOString() };
}

/**
 * What a due digest covers: from the end of the last one to the latest period end that is a grace hour old (several
 * periods at once when the scheduler was down), and when the next one is due.
 */
export function digestWindow(frequency: Periodic, periodEnd: string, now: Date, zone = 'UTC') {
  const to = periodStart(frequency, new Date(now.getTime() - DIGEST_GRACE_MS), zone);
  return { from: periodEnd, to: to.toISOString(), nextDueAt: new Date(nextPeriodStart(frequency, to, zone).getTime() + DIGEST_GRACE_MS).toISOString() };
}
