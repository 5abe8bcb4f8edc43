import { sql } from 'kysely';
import type { DialectAdapter } from '../db/adapter.ts';
import type { Db, Executor } from '../db/index.ts';
import type { JobsTable } from '../db/schema.ts';

export async function insertJob(exec: Executor, row: JobsTable) {
  await exec.insertInto('jobs').values(row).execute();
}

/**
 * Claims due jobs (and running ones whose lease ran out) for one worker; SKIP LOCKED lets many hosts share the table.
 * Each job is locked for its own type's lease (`leaseMsOf`): a fixed claim lease shorter than a type's heartbeat
 * interval let a second worker take a live job.
 */
export async function claimJobs(db: Db, adapter: DialectAdapter, workerId: string, types: string[], limit: number, leaseMsOf: (type: string) => number) {
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  return db.transaction().execute(async (tx) => {
    const due = await adapter
      .lockForUpdate(
        tx
          .selectFrom('jobs')
          .select(['id', 'type'])
          .where('type', 'in', types)
          .where((eb) =>
            eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)])]),
          )
          .orderBy('priority', 'desc')
          .orderBy('run_at')
          .limit(limit),
        true,
      )
      .execute();
    if (due.length === 0) return [];
    const byLease = new Map<number, string[]>();
    for (const d of due) {
      const ms = leaseMsOf(d.type);
      byLease.set(ms, [...(byLease.get(ms) ?? []), d.id]);
    }
    const claimed = [];
    for (const [leaseMs, ids] of byLease) {
      claimed.push(
        ...(await tx
          .updateTable('jobs')
          .set((eb) => ({
            status: 'running',
            locked_by: workerId,
            locked_until: new Date(nowMs + leaseMs).toISOString(),
            attempts: eb('attempts', '+', 1),
            updated_at: now,
          }))
          .where('id', 'in', ids)
          .returningAll()
          .execute()),
      );
    }
    return claimed;
  });
}

/**
 * The claim a worker holds: its id and the attempt number. The attempt tells two claims of one worker apart, so a run
 * that lost its lease (and was claimed again, even by the same worker) can no longer extend, finish or fail the job.
 */
export interface Claim {
  workerId: string;
  attempt: number;
}

/** Extends the lease; false when the claim is no longer ours (the lease ran out and someone else took the job). */
export async function heartbeat(db: Db, id: string, claim: Claim, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setProgress(db: Db, id: string, progress: number, note: string | null) {
  await db.updateTable('jobs').set({ progress, progress_note: note, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

export async function finishJob(db: Executor, adapter: DialectAdapter, id: string, claim: Claim, result: unknown): Promise<boolean> {
  const now = new Date().toISOString();
  const r = await db
    .updateTable('jobs')
    .set({ status: 'succeeded', progress: 1, result: adapter.json(result ?? null), locked_by: null, locked_until: null, finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function failJob(db: Executor, id: string, claim: Claim, error: string, retryAt: string | null): Promise<boolean> {
  const now = new Date().toISOString();
  const r = await db
    .updateTable('jobs')
    .set(
      retryAt
        ? { status: 'queued', run_at: retryAt, last_error: error, locked_by: null, locked_until: null, updated_at: now }
        : { status: 'dead', last_error: error, locked_by: null, locked_until: null, finished_at: now, updated_at: now },
    )
    .where('id', '=', id)
    .where('locked_by', '=', claim.workerId)
    .where('attempts', '=', claim.attempt)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface JobListFilter {
  tenantId?: string | null;
  status?: string;
  type?: string;
  limit: number;
}

export function listJobs(db: Executor, f: JobListFilter) {
  let q = db.selectFrom('jobs').selectAll();
  if (f.tenantId !== undefined) q = q.where((eb) => eb.or([eb('tenant_id', '=', f.tenantId!), eb('tenant_id', 'is', null)]));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.type) q = q.where('type', '=', f.type);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export function getJob(db: Executor, id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function hasPending(db: Executor, type: string) {
  const row = await db
    .selectFrom('jobs')
    .select(sql<number>`count(*)`.as('n'))
    .where('type', '=', type)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(row?.n ?? 0) > 0;
}

/**
 * How far behind the queue is (for /api/health): the oldest due job not started, and leases nobody took over.
 * Background jobs (negative priority: bulk transcription, re-spotting) are counted apart: a backlog of them after an
 * import is the queue working through its lowest-priority work, not a queue that is stuck.
 */
export interface Backlog {
  /** Seconds the oldest due, queued job of normal or higher priority has been waiting (0 when none). */
  oldestWaitingSeconds: number;
  /** Running jobs whose lease expired more than `graceMs` ago. */
  expiredLeases: number;
  /** Due, queued background jobs (priority < 0). */
  backgroundWaiting: number;
}

export async function jobBacklog(db: Executor, now: Date, graceMs: number): Promise<Backlog> {
  const iso = now.toISOString();
  const [oldest, expired, background] = await Promise.all([
    db
      .selectFrom('jobs')
      .select(sql<string | null>`min(run_at)`.as('run_at'))
      .where('status', '=', 'queued')
      .where('run_at', '<=', iso)
      .where('priority', '>=', 0)
      .executeTakeFirst(),
    db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'running')
      .where('locked_until', '<', new Date(now.getTime() - graceMs).toISOString())
      .executeTakeFirst(),
    db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', '=', 'queued')
      .where('run_at', '<=', iso)
      .where('priority', '<', 0)
      .executeTakeFirst(),
  ]);
  const runAt = oldest?.run_at ? new Date(oldest.run_at).getTime() : null;
  return {
    oldestWaitingSeconds: runAt === null ? 0 : Math.max(0, Math.round((now.getTime() - runAt) / 1000)),
    expiredLeases: Number(expired?.n ?? 0),
    backgroundWaiting: Number(background?.n ?? 0),
  };
}
