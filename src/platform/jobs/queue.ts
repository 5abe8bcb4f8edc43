// The job queue: a table in the same database. Rows inserted inside a transaction become visible to workers only
// when it commits (so a job is never run for a change that rolled back); workers are woken after the commit.
import { EventEmitter } from 'node:events';
import type { DialectAdapter } from '../db/adapter.ts';
import type { Db, Executor } from '../db/index.ts';
import type { Uow } from '../db/uow.ts';
import { newId, nowIso } from '../ids.ts';
import * as repo from './repository.ts';
import type { JobSpec, JobStatus, JobView } from './types.ts';

export const DEFAULT_LEASE_MS = 60_000;

export interface EnqueueOptions {
  tenantId?: string | null;
  runAt?: Date;
  priority?: number;
}

export class JobQueue<Payloads extends { [K in keyof Payloads]: unknown }> {
  private readonly wake = new EventEmitter();

  constructor(
    readonly db: Db,
    readonly adapter: DialectAdapter,
    readonly specs: { [K in keyof Payloads]: JobSpec },
  ) {
    this.wake.setMaxListeners(0);
  }

  /** Enqueue inside a unit of work (preferred: commits with the change) or directly on the database. */
  async enqueue<K extends keyof Payloads & string>(where: Uow | Executor, type: K, payload: Payloads[K], opts: EnqueueOptions = {}): Promise<string> {
    const spec = this.specs[type];
    if (!spec) throw new Error(`unknown job type ${type}`);
    const id = newId();
    const now = nowIso();
    const exec = 'afterCommit' in where ? where.tx : where;
    await repo.insertJob(exec, {
      id,
      type,
      tenant_id: opts.tenantId ?? null,
      payload: this.adapter.json(payload ?? {}),
      status: 'queued',
      priority: opts.priority ?? spec.priority ?? 0,
      attempts: 0,
      max_attempts: spec.maxAttempts,
      run_at: (opts.runAt ?? new Date()).toISOString(),
      locked_by: null,
      locked_until: null,
      progress: 0,
      progress_note: null,
      last_error: null,
      result: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    });
    if ('afterCommit' in where) where.afterCommit(() => this.wake.emit('job'));
    else if (!exec.isTransaction) this.wake.emit('job');
    return id;
  }

  onWake(fn: () => void): () => void {
    this.wake.on('job', fn);
    return () => this.wake.off('job', fn);
  }

  /** How long a claim of this type lasts without a heartbeat; the claim and every heartbeat use it. */
  leaseMs(type: keyof Payloads): number {
    return this.specs[type]?.leaseMs ?? DEFAULT_LEASE_MS;
  }

  retryDelay(type: keyof Payloads, attempt: number): number {
    const spec = this.specs[type];
    return Math.min(spec.backoffMs * 2 ** Math.max(0, attempt - 1), spec.maxBackoffMs ?? 60 * 60_000);
  }

  async list(filter: repo.JobListFilter): Promise<JobView[]> {
    return (await repo.listJobs(this.db, filter)).map(toView);
  }

  async get(id: string): Promise<JobView | undefined> {
    const row = await repo.getJob(this.db, id);
    return row && toView(row);
  }

  hasPending(type: keyof Payloads & string) {
    return repo.hasPending(this.db, type);
  }
}

export function toView(r: Awaited<ReturnType<typeof repo.getJob>> & object): JobView {
  return {
    id: r.id,
    type: r.type,
    tenantId: r.tenant_id,
    status: r.status as JobStatus,
    progress: Number(r.progress),
    progressNote: r.progress_note,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lastError: r.last_error,
    runAt: r.run_at,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}
