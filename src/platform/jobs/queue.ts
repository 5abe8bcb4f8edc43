// The job queue: a table in the same database. Rows inserted inside a transaction become visible to workers only
// when it commits (so a job is never run for a change that rolled back); workers are woken after the commit.
import { EventEmitter } from 'node:events';
import type { DialectAdapter } from '../db/adapter.ts';
import type { Db, Executor } from '../db/index.ts';
import type { Uow } from '../db/uow.ts';
import { newId, nowIso } from '../ids.ts';
import * as repo from './repository.ts';
import type { QueuedStep } from './pipeline.ts';
import { PIPELINE_KEY, type JobRegistry } from './registry.ts';
import type { JobPayloads, JobStatus, JobView } from './types.ts';

export interface EnqueueOptions {
  tenantId?: string | null;
  runAt?: Date;
  priority?: number;
}

export class JobQueue<Payloads extends { [K in keyof Payloads]: unknown } = JobPayloads> {
  private readonly wake = new EventEmitter();

  constructor(
    readonly db: Db,
    readonly adapter: DialectAdapter,
    readonly registry: JobRegistry<unknown>,
  ) {
    this.wake.setMaxListeners(0);
  }

  /** Enqueue inside a unit of work (preferred: commits with the change) or directly on the database. */
  async enqueue<K extends keyof Payloads & string>(where: Uow | Executor, type: K, payload: Payloads[K], opts: EnqueueOptions = {}): Promise<string> {
    // A payload its own worker would refuse is refused here, where the bug is.
    this.registry.check(type, payload ?? {});
    return this.insert(where, type, payload ?? {}, opts);
  }

  /** Enqueues a type named at run time (the scheduler's list); the payload is checked against the type's schema. */
  async enqueueByName(where: Uow | Executor, type: string, payload: unknown, opts: EnqueueOptions = {}): Promise<string> {
    this.registry.check(type, payload);
    return this.insert(where, type, payload, opts);
  }

  /**
   * Starts a pipeline for a subject (or re-runs it from the step that runs `from`): queues the first step that applies
   * and is registered; each step queues the next when it succeeds. Null when no step applies.
   */
  async startPipeline(where: Uow | Executor, pipeline: string, subject: unknown, opts: EnqueueOptions & { from?: string } = {}): Promise<string | null> {
    const step = this.registry.pipelines.first(pipeline, subject, opts.from);
    return step ? this.queueStep(where, step, opts) : null;
  }

  /** Queues a pipeline step (its payload checked like any other) with the envelope that tells the worker what follows. */
  async queueStep(where: Uow | Executor, step: QueuedStep, opts: EnqueueOptions = {}): Promise<string> {
    this.registry.check(step.type, step.payload);
    return this.insert(where, step.type, { ...(step.payload as object), [PIPELINE_KEY]: step.envelope }, opts);
  }

  private async insert(where: Uow | Executor, type: string, payload: unknown, opts: EnqueueOptions): Promise<string> {
    const spec = this.registry.spec(type);
    const id = newId();
    const now = nowIso();
    const exec = 'afterCommit' in where ? where.tx : where;
    await repo.insertJob(exec, {
      id,
      type,
      tenant_id: opts.tenantId ?? null,
      payload: this.adapter.json(payload),
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
  leaseMs(type: string): number {
    return this.registry.leaseMs(type);
  }

  retryDelay(type: string, attempt: number): number {
    const spec = this.registry.spec(type);
    return Math.min(spec.backoffMs * 2 ** Math.max(0, attempt - 1), spec.maxBackoffMs ?? 60 * 60_000);
  }

  async list(filter: repo.JobListFilter): Promise<JobView[]> {
    return (await repo.listJobs(this.db, filter)).map(toView);
  }

  async get(id: string): Promise<JobView | undefined> {
    const row = await repo.getJob(this.db, id);
    return row && toView(row);
  }

  hasPending(type: string) {
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
