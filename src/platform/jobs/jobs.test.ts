import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ENGINES, createTestDb, type TestDb } from '../../../test/db.ts';
import { inTransaction } from '../db/uow.ts';
import { JobQueue } from './queue.ts';
import { JobWorker, type JobHandlers } from './worker.ts';
import type { JobSpec } from './types.ts';
import { JOB_SPECS, jobHandlers } from '../../jobs.ts';

const log = pino({ level: 'silent' });

interface P {
  'test.echo': { n: number };
  'test.flaky': { failTimes: number };
  'test.always_fails': Record<string, never>;
  'test.progress': Record<string, never>;
  'test.slow': { ms: number };
  'test.long_lease': Record<string, never>;
}
const specs: { [K in keyof P]: JobSpec } = {
  'test.echo': { maxAttempts: 3, backoffMs: 10 },
  'test.flaky': { maxAttempts: 4, backoffMs: 10 },
  'test.always_fails': { maxAttempts: 3, backoffMs: 10 },
  'test.progress': { maxAttempts: 1, backoffMs: 10 },
  // A short lease so the test sees several lease periods go by while the job runs.
  'test.slow': { maxAttempts: 3, backoffMs: 10, leaseMs: 300 },
  'test.long_lease': { maxAttempts: 1, backoffMs: 10, leaseMs: 10 * 60_000 },
};

describe.each(ENGINES)('job queue on %s', (engine) => {
  let t: TestDb;
  let queue: JobQueue<P>;
  const seen: number[] = [];
  const calls = new Map<string, number>();
  const leaseSeen = new Map<string, number>();
  const handlers: JobHandlers<P> = {
    'test.echo': async ({ n }) => {
      seen.push(n);
      return { doubled: n * 2 };
    },
    'test.flaky': async ({ failTimes }, job) => {
      calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
      if (job.attempt <= failTimes) throw new Error(`flaky failure on attempt ${job.attempt}`);
      return 'ok';
    },
    'test.always_fails': async () => {
      throw new Error('this never works');
    },
    'test.progress': async (_p, job) => {
      await job.progress(0.5, 'half way');
      await new Promise((r) => setTimeout(r, 300));
      await job.progress(0.75, 'three quarters');
    },
    'test.slow': async ({ ms }, job) => {
      calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, ms));
    },
    'test.long_lease': async (_p, job) => {
      const row = await t.db.selectFrom('jobs').select('locked_until').where('id', '=', job.id).executeTakeFirstOrThrow();
      leaseSeen.set(job.id, Date.parse(row.locked_until!) - Date.now());
    },
  };

  beforeAll(async () => {
    t = await createTestDb(engine);
    queue = new JobQueue<P>(t.db, t.adapter, specs);
  });
  afterAll(() => t.cleanup());

  it('enqueues only when the transaction commits', async () => {
    await expect(
      inTransaction(t.db, async (uow) => {
        await queue.enqueue(uow, 'test.echo', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await queue.list({ type: 'test.echo', limit: 10 })).toHaveLength(0);

    let woke = 0;
    const off = queue.onWake(() => woke++);
    let visibleInside = -1;
    await inTransaction(t.db, async (uow) => {
      await queue.enqueue(uow, 'test.echo', { n: 2 });
      if (engine === 'postgres') {
        // Another connection cannot see it before the commit.
        const other = await createOtherConnection(t);
        visibleInside = (await other.db.selectFrom('jobs').select('id').where('type', '=', 'test.echo').execute()).length;
        await other.close();
      }
      expect(woke).toBe(0);
    });
    off();
    expect(woke).toBe(1);
    if (engine === 'postgres') expect(visibleInside).toBe(0);
    expect(await queue.list({ type: 'test.echo', limit: 10 })).toHaveLength(1);
  });

  it('runs handlers and records the result', async () => {
    await queue.enqueue(t.db, 'test.echo', { n: 21 });
    const w = new JobWorker<P>(queue, handlers, { concurrency: 2, log });
    await w.drain();
    expect(seen).toContain(21);
    const jobs = await queue.list({ type: 'test.echo', limit: 10 });
    expect(jobs.every((j) => j.status === 'succeeded' && j.progress === 1)).toBe(true);
  });

  it('retries with backoff, then marks the job dead after the last attempt', async () => {
    const flaky = await queue.enqueue(t.db, 'test.flaky', { failTimes: 2 });
    const dead = await queue.enqueue(t.db, 'test.always_fails', {});
    const w = new JobWorker<P>(queue, handlers, { concurrency: 2, log, pollMs: 20 });
    const started = Date.now();
    w.start();
    for (;;) {
      const [a, b] = [await queue.get(flaky), await queue.get(dead)];
      if (a!.status === 'succeeded' && b!.status === 'dead') break;
      if (Date.now() - started > 15_000) throw new Error(`stuck: ${a!.status} ${b!.status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await w.stop();
    const a = (await queue.get(flaky))!;
    expect(a.attempts).toBe(3);
    expect(calls.get(flaky)).toBe(3);
    const b = (await queue.get(dead))!;
    expect(b).toMatchObject({ status: 'dead', attempts: 3, lastError: 'this never works' });
    expect(b.finishedAt).not.toBeNull();
    expect(queue.retryDelay('test.flaky', 1)).toBe(10);
    expect(queue.retryDelay('test.flaky', 3)).toBe(40);
  });

  it('records progress while a job runs', async () => {
    const id = await queue.enqueue(t.db, 'test.progress', {});
    const w = new JobWorker<P>(queue, handlers, { concurrency: 1, log });
    const done = w.drain();
    let midway: number | undefined;
    for (let i = 0; i < 50 && midway === undefined; i++) {
      const j = await queue.get(id);
      if (j!.status === 'running' && j!.progress === 0.5) midway = j!.progress;
      else await new Promise((r) => setTimeout(r, 10));
    }
    await done;
    expect(midway).toBe(0.5);
    expect((await queue.get(id))!.progressNote).toBe('three quarters');
  });

  it('refuses to start when a declared job has no handler', () => {
    const partial = { ...handlers } as Partial<JobHandlers<P>>;
    delete partial['test.progress'];
    expect(() => new JobWorker<P>(queue, partial as JobHandlers<P>, { concurrency: 1, log })).toThrow(/test\.progress/);
  });

  it('lets several workers share the queue without running a job twice', async () => {
    const before = seen.length;
    for (let i = 0; i < 30; i++) await queue.enqueue(t.db, 'test.echo', { n: 1000 + i });
    const other = engine === 'postgres' ? await createOtherConnection(t) : null;
    const q2 = other ? new JobQueue<P>(other.db, other.adapter, specs) : queue;
    const w1 = new JobWorker<P>(queue, handlers, { concurrency: 3, log });
    const w2 = new JobWorker<P>(q2, handlers, { concurrency: 3, log });
    await Promise.all([w1.drain(), w2.drain()]);
    await other?.close();
    const ran = seen.slice(before).filter((n) => n >= 1000);
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 1000 + i));
  });

  it('claims a job with its own type\'s lease, not a fixed one', async () => {
    const id = await queue.enqueue(t.db, 'test.long_lease', {});
    await new JobWorker<P>(queue, handlers, { concurrency: 1, log }).drain();
    expect((await queue.get(id))!.status).toBe('succeeded');
    // Claimed for ten minutes: a worker that checks in every 2.5 minutes keeps it.
    expect(leaseSeen.get(id)).toBeGreaterThan(9 * 60_000);
  });

  it('never runs a slow job twice while its worker lives, across workers and within one', async () => {
    // 2.5 s of work under a 300 ms lease: only the heartbeats keep the job; two workers (the first with room for a
    // second job, so it could take its own job again) poll every 20 ms, ready to take it over the moment it lapses.
    const id = await queue.enqueue(t.db, 'test.slow', { ms: 2500 });
    const other = engine === 'postgres' ? await createOtherConnection(t) : null;
    const q2 = other ? new JobQueue<P>(other.db, other.adapter, specs) : queue;
    const w1 = new JobWorker<P>(queue, handlers, { concurrency: 2, log, pollMs: 20 });
    const w2 = new JobWorker<P>(q2, handlers, { concurrency: 2, log, pollMs: 20 });
    w1.start();
    w2.start();
    const started = Date.now();
    while ((await queue.get(id))!.status !== 'succeeded') {
      if (Date.now() - started > 15_000) throw new Error('the slow job did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([w1.stop(), w2.stop()]);
    await other?.close();
    expect(calls.get(id)).toBe(1);
    expect((await queue.get(id))!).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a run that lost its lease cannot finish the job once it was claimed again', async () => {
    // The worker paused (GC, a stalled disk) past its lease; another worker took the job over. When the first run
    // returns, its result must not overwrite the second run's claim.
    const id = await queue.enqueue(t.db, 'test.slow', { ms: 600 });
    const w = new JobWorker<P>(queue, handlers, { concurrency: 1, log, pollMs: 20 });
    w.start();
    while ((await queue.get(id))!.status !== 'running') await new Promise((r) => setTimeout(r, 10));
    // The job claimed again as attempt 2 — by this very worker, as happens at concurrency 2: the worker id alone
    // cannot tell the two runs apart, the attempt does.
    await t.db.updateTable('jobs').set({ attempts: 2, locked_until: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', id).execute();
    await new Promise((r) => setTimeout(r, 900));
    await w.stop();
    expect((await queue.get(id))!).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('takes over a job whose worker died (lease ran out)', async () => {
    const id = await queue.enqueue(t.db, 'test.echo', { n: 777 });
    await t.db.updateTable('jobs').set({ status: 'running', locked_by: 'dead-worker', locked_until: new Date(Date.now() - 1000).toISOString(), attempts: 1 }).where('id', '=', id).execute();
    await new JobWorker<P>(queue, handlers, { concurrency: 1, log }).drain();
    expect((await queue.get(id))!).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('the job registry', () => {
  it('has a handler for every declared job', () => {
    const handlers = jobHandlers({} as never);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(JOB_SPECS).sort());
  });
});

async function createOtherConnection(t: TestDb) {
  const { openDatabase } = await import('../db/index.ts');
  return openDatabase(t.url, { poolSize: 2 });
}
