// In-process workers: claim, run, heartbeat, retry with exponential backoff, and "dead" after the last attempt.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { newId } from '../ids.ts';
import type { JobQueue } from './queue.ts';
import * as repo from './repository.ts';
import type { JobHandler } from './types.ts';

/** How often a running job renews its lease: well inside it, so a slow database does not cost the lease. */
export function heartbeatEvery(leaseMs: number) {
  return Math.max(10, Math.floor(leaseMs / 4));
}

export type JobHandlers<P> = { [K in keyof P]: JobHandler<P[K]> };

export interface WorkerOptions {
  concurrency: number;
  pollMs?: number;
  log: Logger;
}

export class JobWorker<P extends { [K in keyof P]: unknown }> {
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
    private readonly handlers: JobHandlers<P>,
    private readonly opts: WorkerOptions,
  ) {
    // Every declared job needs a handler: fail at start-up, not when the first such job arrives.
    const missing = Object.keys(queue.specs).filter((t) => typeof (handlers as Record<string, unknown>)[t] !== 'function');
    if (missing.length > 0) throw new Error(`job types without a handler: ${missing.join(', ')}`);
  }

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

  /** Runs until no due job is left (for tests and the CLI). */
  async drain() {
    for (;;) {
      await this.poll(true);
      if (this.inflight.size === 0) return;
      await Promise.race([...this.inflight]);
    }
  }

  /** `force` claims even when the worker is not started (drain). */
  private async poll(force = false) {
    if (this.polling) return;
    this.polling = true;
    try {
      while ((force || !this.stopped) && this.running < this.opts.concurrency) {
        const free = this.opts.concurrency - this.running;
        const jobs = await repo.claimJobs(this.queue.db, this.queue.adapter, this.id, Object.keys(this.queue.specs), free, (t) => this.queue.leaseMs(t as keyof P));
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

  private async run(row: Awaited<ReturnType<typeof repo.claimJobs>>[number]) {
    const type = row.type as keyof P & string;
    const leaseMs = this.queue.leaseMs(type);
    const claim: repo.Claim = { workerId: this.id, attempt: Number(row.attempts) };
    const abort = new AbortController();
    this.aborts.add(abort);
    const log = this.opts.log.child({ job: row.id, type });
    // Four beats per lease: a beat or two lost to a busy database still leaves the lease standing.
    const beat = setInterval(() => {
      void repo.heartbeat(this.queue.db, row.id, claim, leaseMs).then(
        (held) => {
          if (held || abort.signal.aborted) return;
          log.warn('job lease lost (another worker took it over); aborting this run');
          abort.abort();
        },
        (err) => log.warn({ err }, 'job heartbeat failed'),
      );
    }, heartbeatEvery(leaseMs));
    let lastProgress = 0;
    try {
      const payload = this.queue.adapter.fromJson<P[typeof type]>(row.payload);
      const result = await this.handlers[type](payload, {
        id: row.id,
        tenantId: row.tenant_id,
        attempt: Number(row.attempts),
        signal: abort.signal,
        progress: async (fraction, note) => {
          const now = Date.now();
          if (now - lastProgress < 250 && fraction < 1) return;
          lastProgress = now;
          await repo.setProgress(this.queue.db, row.id, Math.max(0, Math.min(1, fraction)), note ?? null);
        },
      });
      if (await repo.finishJob(this.queue.db, this.queue.adapter, row.id, claim, result)) log.info('job succeeded');
      else log.warn('job finished after its lease was lost; the result was not recorded');
    } catch (err) {
      const attempt = Number(row.attempts);
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = attempt < Number(row.max_attempts) ? new Date(Date.now() + this.queue.retryDelay(type, attempt)).toISOString() : null;
      await repo.failJob(this.queue.db, row.id, claim, message, retryAt).catch((e) => log.error({ err: e }, 'could not record job failure'));
      if (retryAt) log.warn({ err, attempt, retryAt }, 'job failed; will retry');
      else log.error({ err, attempt }, 'job failed for the last time; marked dead');
    } finally {
      clearInterval(beat);
      this.aborts.delete(abort);
    }
  }
}
