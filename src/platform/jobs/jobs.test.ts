import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Type, type TSchema } from 'typebox';
import { ENGINES, createTestDb, type TestDb } from '../../../test/db.ts';
import { inTransaction } from '../db/uow.ts';
import { JobQueue } from './queue.ts';
import { JobWorker } from './worker.ts';
import { JobRegistry, defineJob, type JobDefinition } from './registry.ts';
import { definePipeline } from './pipeline.ts';
import type { JobContext, JobSpec } from './types.ts';
import { JOBS } from '../../jobs.ts';
import { CONVERSATION_PIPELINE } from '../../conversations/pipeline.ts';

const log = pino({ level: 'silent' });

interface P {
  'test.echo': { n: number };
  'test.flaky': { failTimes: number };
  'test.always_fails': Record<string, never>;
  'test.progress': Record<string, never>;
  'test.slow': { ms: number };
  'test.long_lease': Record<string, never>;
  'test.audio': { id: string };
  'test.text': { id: string };
  'test.last': { ids: string[] };
}
const Empty = Type.Object({}, { additionalProperties: false });
const Ref = Type.Object({ id: Type.String() }, { additionalProperties: false });
const specs: { [K in keyof P]: JobSpec & { payload: TSchema } } = {
  'test.echo': { maxAttempts: 3, backoffMs: 10, payload: Type.Object({ n: Type.Number() }, { additionalProperties: false }) },
  'test.flaky': { maxAttempts: 4, backoffMs: 10, payload: Type.Object({ failTimes: Type.Integer() }) },
  'test.always_fails': { maxAttempts: 3, backoffMs: 10, payload: Empty },
  'test.progress': { maxAttempts: 1, backoffMs: 10, payload: Empty },
  // A short lease so the test sees several lease periods go by while the job runs.
  'test.slow': { maxAttempts: 3, backoffMs: 10, leaseMs: 300, payload: Type.Object({ ms: Type.Integer() }) },
  'test.long_lease': { maxAttempts: 1, backoffMs: 10, leaseMs: 10 * 60_000, payload: Empty },
  'test.audio': { maxAttempts: 2, backoffMs: 10, payload: Ref },
  'test.text': { maxAttempts: 3, backoffMs: 10, payload: Ref },
  'test.last': { maxAttempts: 1, backoffMs: 10, payload: Type.Object({ ids: Type.Array(Type.String()) }) },
};
type Handlers = { [K in keyof P]: (payload: P[K], job: JobContext) => Promise<unknown> };

/** A test pipeline shaped like the conversation one: an audio-only step, a planned one, then two for everything. */
const TEST_PIPELINE = definePipeline({
  name: 'test',
  subject: Type.Object({ id: Type.String(), hasAudio: Type.Boolean(), failAudio: Type.Optional(Type.Boolean()) }),
  steps: [
    { job: 'test.audio', when: (s) => s.hasAudio, payload: (s) => ({ id: s.id }), continueOnFailure: true },
    { job: 'test.not_built', payload: (s) => ({ id: s.id }), planned: true },
    { job: 'test.text', payload: (s) => ({ id: s.id }) },
    { job: 'test.last', payload: (s) => ({ ids: [s.id] }) },
  ],
});

function registryOf(handlers: Handlers) {
  const defs = (Object.keys(specs) as Array<keyof P>).map((type) =>
    defineJob({ type, description: type, ...specs[type], handler: (_ctx: unknown, payload, job) => handlers[type](payload as never, job) }),
  );
  return new JobRegistry<unknown>(defs, [TEST_PIPELINE]);
}

describe.each(ENGINES)('job queue on %s', (engine) => {
  let t: TestDb;
  let queue: JobQueue<P>;
  const seen: number[] = [];
  const calls = new Map<string, number>();
  const leaseSeen = new Map<string, number>();
  const steps: string[] = [];
  const failTextOnce = new Set<string>();
  const handlers: Handlers = {
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
    'test.audio': async ({ id }) => {
      steps.push(`audio:${id}`);
      if (id.startsWith('broken')) throw new Error('cannot decode');
    },
    'test.text': async ({ id }) => {
      steps.push(`text:${id}`);
      if (failTextOnce.delete(id)) throw new Error('text step failed once');
      if (id.startsWith('stuck')) throw new Error('text step always fails');
    },
    'test.last': async ({ ids }) => {
      steps.push(`last:${ids[0]}`);
    },
  };
  const registry = registryOf(handlers);

  beforeAll(async () => {
    t = await createTestDb(engine);
    queue = new JobQueue<P>(t.db, t.adapter, registry);
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
    const w = new JobWorker(queue, null, { concurrency: 2, log });
    await w.drain();
    expect(seen).toContain(21);
    const jobs = await queue.list({ type: 'test.echo', limit: 10 });
    expect(jobs.every((j) => j.status === 'succeeded' && j.progress === 1)).toBe(true);
  });

  it('retries with backoff, then marks the job dead after the last attempt', async () => {
    const flaky = await queue.enqueue(t.db, 'test.flaky', { failTimes: 2 });
    const dead = await queue.enqueue(t.db, 'test.always_fails', {});
    const w = new JobWorker(queue, null, { concurrency: 2, log, pollMs: 20 });
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
    const w = new JobWorker(queue, null, { concurrency: 1, log });
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

  it('lets several workers share the queue without running a job twice', async () => {
    const before = seen.length;
    for (let i = 0; i < 30; i++) await queue.enqueue(t.db, 'test.echo', { n: 1000 + i });
    const other = engine === 'postgres' ? await createOtherConnection(t) : null;
    const q2 = other ? new JobQueue<P>(other.db, other.adapter, registry) : queue;
    const w1 = new JobWorker(queue, null, { concurrency: 3, log });
    const w2 = new JobWorker(q2, null, { concurrency: 3, log });
    await Promise.all([w1.drain(), w2.drain()]);
    await other?.close();
    const ran = seen.slice(before).filter((n) => n >= 1000);
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 1000 + i));
  });

  it("claims a job with its own type's lease, not a fixed one", async () => {
    const id = await queue.enqueue(t.db, 'test.long_lease', {});
    await new JobWorker(queue, null, { concurrency: 1, log }).drain();
    expect((await queue.get(id))!.status).toBe('succeeded');
    // Claimed for ten minutes: a worker that checks in every 2.5 minutes keeps it.
    expect(leaseSeen.get(id)).toBeGreaterThan(9 * 60_000);
  });

  it('never runs a slow job twice while its worker lives, across workers and within one', async () => {
    // 2.5 s of work under a 300 ms lease: only the heartbeats keep the job; two workers (the first with room for a
    // second job, so it could take its own job again) poll every 20 ms, ready to take it over the moment it lapses.
    const id = await queue.enqueue(t.db, 'test.slow', { ms: 2500 });
    const other = engine === 'postgres' ? await createOtherConnection(t) : null;
    const q2 = other ? new JobQueue<P>(other.db, other.adapter, registry) : queue;
    const w1 = new JobWorker(queue, null, { concurrency: 2, log, pollMs: 20 });
    const w2 = new JobWorker(q2, null, { concurrency: 2, log, pollMs: 20 });
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
    const w = new JobWorker(queue, null, { concurrency: 1, log, pollMs: 20 });
    w.start();
    while ((await queue.get(id))!.status !== 'running') await new Promise((r) => setTimeout(r, 10));
    // The job claimed again as attempt 2 — by this very worker, as happens at concurrency 2: the worker id alone
    // cannot tell the two runs apart, the attempt does.
    await t.db
      .updateTable('jobs')
      .set({ attempts: 2, locked_until: new Date(Date.now() + 60_000).toISOString() })
      .where('id', '=', id)
      .execute();
    await new Promise((r) => setTimeout(r, 900));
    await w.stop();
    expect((await queue.get(id))!).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('checks payloads against their schema when queued and again when read back', async () => {
    await expect(queue.enqueue(t.db, 'test.echo', { n: 'one' } as never)).rejects.toThrow(/payload of test\.echo does not match its schema at \/n/);
    // A row written by an older version (or by hand) with a payload that no longer fits: dead at once, handler not run.
    const id = await queue.enqueue(t.db, 'test.echo', { n: 5 });
    await t.db
      .updateTable('jobs')
      .set({ payload: t.adapter.json({ n: 5, extra: true }) })
      .where('id', '=', id)
      .execute();
    const before = seen.length;
    await new JobWorker(queue, null, { concurrency: 1, log }).drain();
    expect(seen.length).toBe(before);
    const j = (await queue.get(id))!;
    expect(j).toMatchObject({ status: 'dead', attempts: 1 });
    expect(j.lastError).toMatch(/payload of test\.echo does not match its schema/);
  });

  it('runs a pipeline step by step: each step queues its successor only after it succeeds', async () => {
    steps.length = 0;
    failTextOnce.add('call-1');
    await inTransaction(t.db, (uow) => queue.startPipeline(uow, 'test', { id: 'call-1', hasAudio: true }));
    // Only the first step exists until it has run.
    expect((await t.db.selectFrom('jobs').select('type').where('type', 'like', 'test.%').where('status', '=', 'queued').execute()).map((r) => r.type)).toEqual([
      'test.audio',
    ]);
    const w = new JobWorker(queue, null, { concurrency: 2, log, pollMs: 20 });
    w.start();
    const started = Date.now();
    while (!steps.includes('last:call-1')) {
      if (Date.now() - started > 10_000) throw new Error(`pipeline stuck after ${steps.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await w.stop();
    // The planned step was skipped; the text step failed once and its successor waited for the retry to succeed.
    expect(steps).toEqual(['audio:call-1', 'text:call-1', 'text:call-1', 'last:call-1']);
    const rows = await t.db
      .selectFrom('jobs')
      .select(['type', 'status', 'created_at', 'finished_at'])
      .where('type', 'in', ['test.audio', 'test.text', 'test.last'])
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => [r.type, r.status])).toEqual([
      ['test.audio', 'succeeded'],
      ['test.text', 'succeeded'],
      ['test.last', 'succeeded'],
    ]);
    expect(rows[1]!.created_at >= rows[0]!.finished_at!).toBe(true);
    expect(rows[2]!.created_at >= rows[1]!.finished_at!).toBe(true);
    await t.db.deleteFrom('jobs').where('type', 'in', ['test.audio', 'test.text', 'test.last']).execute();
  });

  it('skips audio steps for subjects without audio, and moves past a failed step that continues on failure', async () => {
    steps.length = 0;
    await inTransaction(t.db, async (uow) => {
      await queue.startPipeline(uow, 'test', { id: 'chat-1', hasAudio: false });
      await queue.startPipeline(uow, 'test', { id: 'broken-call', hasAudio: true });
    });
    const w = new JobWorker(queue, null, { concurrency: 1, log });
    await w.drain();
    // drain stops at the retry delay of the broken step; run again once it is due.
    await new Promise((r) => setTimeout(r, 50));
    await w.drain();
    expect(steps.filter((x) => x.endsWith(':chat-1'))).toEqual(['text:chat-1', 'last:chat-1']);
    // The audio step failed twice (dead) and the subject still went on to the text and last steps.
    expect(steps.filter((x) => x.endsWith(':broken-call'))).toEqual(['audio:broken-call', 'audio:broken-call', 'text:broken-call', 'last:broken-call']);
    await t.db.deleteFrom('jobs').where('type', 'in', ['test.audio', 'test.text', 'test.last']).execute();
  });

  it('a step that fails for good without continueOnFailure ends the pipeline there', async () => {
    steps.length = 0;
    const id = await inTransaction(t.db, (uow) => queue.startPipeline(uow, 'test', { id: 'stuck', hasAudio: false }));
    const w = new JobWorker(queue, null, { concurrency: 1, log, pollMs: 10 });
    w.start();
    const started = Date.now();
    while ((await queue.get(id!))!.status !== 'dead') {
      if (Date.now() - started > 10_000) throw new Error('the step did not die');
      await new Promise((r) => setTimeout(r, 10));
    }
    await w.stop();
    expect(steps).toEqual(['text:stuck', 'text:stuck', 'text:stuck']);
    expect(await t.db.selectFrom('jobs').select('id').where('type', '=', 'test.last').execute()).toHaveLength(0);
    await t.db.deleteFrom('jobs').where('type', 'in', ['test.audio', 'test.text', 'test.last']).execute();
  });

  it('takes over a job whose worker died (lease ran out)', async () => {
    const id = await queue.enqueue(t.db, 'test.echo', { n: 777 });
    await t.db
      .updateTable('jobs')
      .set({ status: 'running', locked_by: 'dead-worker', locked_until: new Date(Date.now() - 1000).toISOString(), attempts: 1 })
      .where('id', '=', id)
      .execute();
    await new JobWorker(queue, null, { concurrency: 1, log }).drain();
    expect((await queue.get(id))!).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('the job registry', () => {
  const def = (type: string, extra: Partial<JobDefinition> = {}) =>
    ({ type, description: type, payload: Empty, maxAttempts: 1, backoffMs: 10, handler: async () => null, ...extra }) as JobDefinition;

  it('stops start-up when a job has no handler, is declared twice or a pipeline names a job nobody registered', () => {
    expect(() => new JobRegistry([def('a.one'), def('a.two', { handler: undefined as never })])).toThrow(/a\.two has no handler/);
    expect(() => new JobRegistry([def('a.one'), def('a.one')])).toThrow(/a\.one is declared twice/);
    expect(() => new JobRegistry([def('a.one', { payload: undefined as never })])).toThrow(/a\.one has no payload schema/);
    const pipeline = definePipeline({
      name: 'p',
      subject: Empty,
      steps: [
        { job: 'a.one', payload: () => ({}) },
        { job: 'a.typo', payload: () => ({}) },
      ],
    });
    expect(() => new JobRegistry([def('a.one')], [pipeline])).toThrow(/step a\.typo has no registered job/);
    // Planned steps may be missing: they are skipped until a feature registers them.
    const planned = definePipeline({
      name: 'p',
      subject: Empty,
      steps: [
        { job: 'a.one', payload: () => ({}) },
        { job: 'a.later', payload: () => ({}), planned: true },
      ],
    });
    expect(() => new JobRegistry([def('a.one')], [planned])).not.toThrow();
  });

  it("collects every feature's jobs with a handler, a payload schema and the conversation pipeline", () => {
    expect(JOBS.types().sort()).toEqual([
      'analytics.insights',
      'analytics.mentions.reanalyse',
      'analytics.reanalyze',
      'audit.verify',
      'blobs.sweep_orphans',
      'blobs.verify_all',
      'compliance.anonymize',
      'compliance.archive_run',
      'compliance.delete',
      'compliance.retention_purge',
      'compliance.vcon_export',
      'conversations.import',
      'db.statistics',
      'insights.subscription_alert',
      'insights.subscription_digests',
      'media.analyze',
      'media.reprocess',
      'notify.send',
      'quality.auto_acknowledge',
      'quality.evaluation_reminders',
      'quality.moment_render',
      'quality.prefill',
      'recorder.assurance',
      'recorder.assurance_notify',
      'recorder.probe_sources',
      'reports.backfill',
      'reports.refresh_days',
      'reports.scheduled_emails',
      'saved_searches.purge',
      'search.index',
      'search.reindex',
      'sessions.purge_expired',
      'speech.redact_audio',
      'speech.redetect_pii',
      'speech.respot',
      'speech.retranscribe',
      'speech.spot',
      'speech.transcribe',
      'webhooks.deliver',
      'webhooks.dispatch',
      'webhooks.prune',
    ]);
    for (const type of JOBS.types()) {
      expect(typeof JOBS.definition(type).handler).toBe('function');
      expect(JOBS.definition(type).payload).toBeTypeOf('object');
    }
    expect(
      JOBS.schedules()
        .map((s) => s.type)
        .sort(),
    ).toEqual([
      'blobs.sweep_orphans',
      'compliance.archive_run',
      'compliance.retention_purge',
      'db.statistics',
      'insights.subscription_digests',
      'quality.auto_acknowledge',
      'quality.evaluation_reminders',
      'recorder.assurance',
      'recorder.assurance_notify',
      'recorder.probe_sources',
      'reports.scheduled_emails',
      'saved_searches.purge',
      'sessions.purge_expired',
      'webhooks.prune',
    ]);
    // The order lives in one place; chats and emails skip the audio steps.
    expect(CONVERSATION_PIPELINE.steps.map((s) => s.job)).toEqual([
      'media.analyze',
      'speech.transcribe',
      'analytics.insights',
      'search.index',
      'reports.refresh_days',
    ]);
    expect(JOBS.pipelines.first('conversation', { conversationId: 'c1', hasAudio: true })).toMatchObject({
      type: 'media.analyze',
      payload: { conversationId: 'c1' },
    });
    const env = { pipeline: 'conversation', subject: { conversationId: 'c1', hasAudio: true } };
    expect(JOBS.pipelines.after(env, 'media.analyze')).toMatchObject({ type: 'speech.transcribe', payload: { conversationId: 'c1' } });
    expect(JOBS.pipelines.after(env, 'speech.transcribe')).toMatchObject({ type: 'analytics.insights', payload: { conversationId: 'c1' } });
    expect(JOBS.pipelines.after(env, 'analytics.insights')).toMatchObject({ type: 'search.index', payload: { conversationIds: ['c1'] } });
    // The daily counts are refreshed last, once the insights (sentiment) exist.
    expect(JOBS.pipelines.after(env, 'search.index')).toMatchObject({ type: 'reports.refresh_days', payload: { conversations: ['c1'] } });
    expect(JOBS.pipelines.after(env, 'reports.refresh_days')).toBeNull();
    expect(JOBS.pipelines.first('conversation', { conversationId: 'c2', hasAudio: false })).toMatchObject({
      type: 'analytics.insights',
      payload: { conversationId: 'c2' },
    });
  });
});

async function createOtherConnection(t: TestDb) {
  const { openDatabase } = await import('../db/index.ts');
  return openDatabase(t.url, { poolSize: 2 });
}
