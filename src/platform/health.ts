// What /api/health reports: "ok", "degraded" with the reasons (the process answers but users would notice: searches
// queue behind saturated workers, or the job queue is stuck), or "unavailable" (the database does not answer).
// Degraded still answers 200: a load balancer should keep routing to a process that works, only slowly (README).
import { sql } from 'kysely';
import type { AppContext, HealthCheck } from '../context.ts';
import { jobBacklog } from './jobs/repository.ts';

/** Search slots all taken, or a search waiting, for longer than this. */
export const SEARCH_SATURATED_AFTER_MS = 1_000;
/** The oldest runnable job waiting longer than this. */
export const JOBS_STUCK_AFTER_MS = 10 * 60_000;
/** A running job's lease expired this long ago and no worker took it over. */
export const LEASE_GRACE_MS = 60_000;

export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  database: string;
  roles: string[];
  reasons: string[];
  search?: { capacity: number; running: number; waiting: number };
  jobs?: { oldestWaitingSeconds: number; expiredLeases: number; backgroundWaiting: number };
  /**
   * The features' own checks (e.g. speech: whether an engine can transcribe). Reported, but they do not make the
   * process degraded: a missing optional capability is configuration, not a process users find slow or stuck.
   */
  features?: Record<string, HealthCheck>;
}

export async function healthReport(ctx: AppContext, now = new Date()): Promise<HealthReport> {
  const base = { database: ctx.adapter.name, roles: [...ctx.config.roles] };
  let jobs;
  try {
    await sql`select 1`.execute(ctx.db);
    jobs = await jobBacklog(ctx.db, now, LEASE_GRACE_MS);
  } catch {
    return { status: 'unavailable', ...base, reasons: ['The database does not answer'] };
  }
  const reasons: string[] = [];
  const s = ctx.reads.stats();
  if (s.waiting > 0 && s.oldestWaitMs >= SEARCH_SATURATED_AFTER_MS) {
    reasons.push(`Search workers are saturated: ${s.waiting} search queries waiting, the oldest for ${Math.round(s.oldestWaitMs)} ms`);
  } else if (s.running >= s.capacity && s.shortestRunMs >= SEARCH_SATURATED_AFTER_MS) {
    reasons.push(`Search workers are saturated: all ${s.capacity} busy for ${Math.round(s.shortestRunMs)} ms or more`);
  }
  if (jobs.oldestWaitingSeconds * 1000 >= JOBS_STUCK_AFTER_MS) {
    reasons.push(`The job queue is stuck: the oldest runnable job has waited ${Math.round(jobs.oldestWaitingSeconds / 60)} minutes`);
  }
  if (jobs.expiredLeases > 0) reasons.push(`${jobs.expiredLeases} running job(s) lost their worker (lease expired) and were not taken over`);
  const features = await ctx.hooks.health();
  return {
    status: reasons.length ? 'degraded' : 'ok',
    ...base,
    reasons,
    search: { capacity: s.capacity, running: s.running, waiting: s.waiting },
    jobs,
    features,
  };
}
