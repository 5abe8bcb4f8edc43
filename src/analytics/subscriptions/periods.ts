// Digest periods, in UTC: a day from midnight, a week from Monday midnight, a month from the 1st. A digest is sent a
// grace hour after its period ends, so interactions of the period's last minutes have been transcribed and analysed.
import type { Frequency } from './schemas.ts';

export const DIGEST_GRACE_MS = 60 * 60_000;

export function periodStart(frequency: Exclude<Frequency, 'continuous'>, at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (frequency === 'weekly') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (frequency === 'monthly') d.setUTCDate(1);
  return d;
}

export function nextPeriodStart(frequency: Exclude<Frequency, 'continuous'>, start: Date): Date {
  const d = new Date(start);
  if (frequency === 'daily') d.setUTCDate(d.getUTCDate() + 1);
  else if (frequency === 'weekly') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d;
}

/** A new (or re-timed) digest: it covers the current period, sent a grace hour after the period ends. */
export function firstDigest(frequency: Frequency, now: Date): { periodEnd: string | null; nextDueAt: string | null } {
  if (frequency === 'continuous') return { periodEnd: null, nextDueAt: null };
  const start = periodStart(frequency, now);
  return { periodEnd: start.toISOString(), nextDueAt: new Date(nextPeriodStart(frequency, start).getTime() + DIGEST_GRACE_MS).toISOString() };
}

/**
 * What a due digest covers: from the end of the last one to the latest period end that is a grace hour old (several
 * periods at once when the scheduler was down), and when the next one is due.
 */
export function digestWindow(frequency: Exclude<Frequency, 'continuous'>, periodEnd: string, now: Date) {
  const to = periodStart(frequency, new Date(now.getTime() - DIGEST_GRACE_MS));
  return { from: periodEnd, to: to.toISOString(), nextDueAt: new Date(nextPeriodStart(frequency, to).getTime() + DIGEST_GRACE_MS).toISOString() };
}
