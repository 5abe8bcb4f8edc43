// In-process workers: claim, run, heartbeat, retry with exponential backoff, and "dead" after the last attempt.
// Handlers come from the registry the queue was built with; a step of a pipeline queues its successor in the
// transaction that records its success.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { inTransaction } from '../db/uow.ts';
import { newId } from '../ids.ts';
import type { PipelineEnvelope } from './pipeline.ts';
import type { JobQueue } from './queue.ts';
import { JobPayloadError, PIPELINE_KEY } from './registry.ts';
import * as repo from './repository.ts';

export interface WorkerOptions {
  concurrency: number;
  pollMs?: number;
  log: Logger;
}

/** How often a running job renews its lease: well inside it, so a slow database does not cost the lease. */
export function heartbeatEvery(leaseMs: number) {
  return Math.max(10, Math.floor(leaseMs / 4));
}

export class JobWorker<Ctx, P extends { [K in keyof P]: unknown }> {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private polling = false;

  constructor(
    private readonly queue: JobQueue<P>,
    /** What every handler receives first (the AppContext in the app). */
    private readonly context: Ctx,
    private readonly opts: WorkerOptions,
  ) {}

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.queue.onWake(() => void this.poll());
    const tick = () => {
      if (this.stopped) return;
      void this.poll().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
      });
    };
    tick();
  }

  /** Stops claiming; aborts running handlers after `graceMs` and waits for them to settle. */
  async stop(graceMs = 5000) {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    const settle = Promise.allSettled([...this.inflight]);
    const t = setTimeout(() => this.aborts.forEach((a) => a.abort()), graceMs);
    await settle;
    clearTimeout(t);
  }

  /** Runs until no due job is left, successors included (for tests and the CLI). */
  async drain() {
    for (;;) {
      await this.poll(true);
      if (this.inflight.size === 0) return;
      await Promise.race([...this.inflight]);
    }
  }

  /** Claims what is due (up to the concurrency) once and runs it, but not what those jobs queue (tests step through). */
  async runOnce() {
    await this.poll(true);
    await Promise.allSettled([...this.inflight]);
  }

  /** `force` claims even when the worker is not started (drain). */
  private async poll(force = false) {
    if (this.polling) return;
    this.polling = true;
    try {
      while ((force || !this.stopped) && this.running < this.opts.concurrency) {
        const free = this.opts.concurrency - this.running;
        const jobs = await repo.claimJobs(this.queue.db, this.queue.adapter, this.id, this.queue.registry.types(), free, (t) => this.queue.leaseMs(t));
        if (jobs.length === 0) break;
        for (const j of jobs) {
          this.running++;
          const p = this.run(j).finally(() => {
            this.running--;
            this.inflight.delete(p);
            if (!this.stopped) void this.poll();
          });
          this.inflight.add(p);
        }
      }
    } catch (err) {
      this.opts.log.error({ err }, 'job claim failed');
    } finally {
      this.polling = false;
    }
  }

  /** The handler's payload and the pipeline envelope, both checked against their schemas. */
  private readPayload(type: string, raw: unknown): { payload: unknown; envelope: PipelineEnvelope | null } {
    const stored = this.queue.adapter.fromJson<Record<string, unknown> | null>(raw) ?? {};
    const { [PIPELINE_KEY]: rawEnvelope, ...payload } = stored;
    this.queue.registry.check(type, payload);
    return { payload, envelope: rawEnvelope === undefined ? null : this.queue.registry.pipelines.check(rawEnvelope) };
  }

  private async run(row: Awaited<ReturnType<typeof repo.claimJobs>>[number]) {
    const { db, adapter, registry } = this.queue;
    const type = row.type;
    const leaseMs = this.queue.leaseMs(type);
    const claim: repo.Claim = { workerId: this.id, attempt: Number(row.attempts) };
    const abort = new AbortController();
    this.aborts.add(abort);
    const log = this.opts.log.child({ job: row.id, type });
    // Four beats per lease: a beat or two lost to a busy database still leaves the lease standing.
    const beat = setInterval(() => {
      void repo.heartbeat(db, row.id, claim, leaseMs).then(
        (held) => {
          if (held || abort.signal.aborted) return;
          log.warn('job lease lost (another worker took it over); aborting this run');
          abort.abort();
        },
        (err) => log.warn({ err }, 'job heartbeat failed'),
      );
    }, heartbeatEvery(leaseMs));
    let lastProgress = 0;
    let envelope: PipelineEnvelope | null = null;
    try {
      const read = this.readPayload(type, row.payload);
      envelope = read.envelope;
      const result = await registry.definition(type).handler(this.context, read.payload, {
        id: row.id,
        tenantId: row.tenant_id,
        attempt: Number(row.attempts),
        signal: abort.signal,
        progress: async (fraction, note) => {
          const now = Date.now();
          if (now - lastProgress < 250 && fraction < 1) return;
          lastProgress = now;
          await repo.setProgress(db, row.id, Math.max(0, Math.min(1, fraction)), note ?? null);
        },
      });
      const next = envelope ? registry.pipelines.after(envelope, type) : null;
      const recorded = await inTransaction(db, async (uow) => {
        if (!(await repo.finishJob(uow.tx, adapter, row.id, claim, result))) return false;
        if (next) await this.queue.queueStep(uow, next, { tenantId: row.tenant_id });
        return true;
      });
      if (recorded) log.info(next ? { next: next.type } : {}, 'job succeeded');
      else log.warn('job finished after its lease was lost; the result was not recorded');
    } catch (err) {
      const attempt = Number(row.attempts);
      const message = err instanceof Error ? err.message : String(err);
      // A payload that does not match its schema will not match on a retry either.
      const retryAt =
        !(err instanceof JobPayloadError) && attempt < Number(row.max_attempts)
          ? new Date(Date.now() + this.queue.retryDelay(type, attempt)).toISOString()
          : null;
      const env = envelope;
      const next = !retryAt && env && registry.pipelines.continuesOnFailure(env, type) ? registry.pipelines.after(env, type) : null;
      await inTransaction(db, async (uow) => {
        if (!(await repo.failJob(uow.tx, row.id, claim, message, retryAt))) return;
        if (next) await this.queue.queueStep(uow, next, { tenantId: row.tenant_id });
      }).catch((e) => log.error({ err: e }, 'could not record job failure'));
      if (retryAt) log.warn({ err, attempt, retryAt }, 'job failed; will retry');
      else log.error({ err, attempt, ...(next ? { next: next.type } : {}) }, 'job failed for the last time; marked dead');
    } finally {
      clearInterval(beat);
      this.aborts.delete(abort);
    }
  }
}
