// The search's fences through the HTTP API, on both engines (issue 15): a search past its time budget answers 503
// SEARCH_TIMEOUT and the next one works; one user's heavy searches leave a slot for another user; /api/health says
// "degraded" while the search slots are saturated or the job queue is stuck; the Agent filter's directory stops at
// what the caller may see. Slow searches are made deterministic: on SQLite a test-only hook makes each regex
// evaluation block on the read workers; on PostgreSQL the custom values table is locked by another connection, so
// a query reading it waits until the statement timeout cancels it.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/db.ts';
import { createTestContext, type TestContext } from '../../test/helpers/context.ts';
import { actorOfUser } from '../../test/helpers/conversations.ts';
import { makeGroup, makeTenant, makeUser } from '../../test/helpers/factories.ts';
import { fails, ok, signIn, type Client, type Json } from '../../test/helpers/http.ts';
import { buildApp, type BuiltApp } from '../app.ts';
import { ingestChat } from '../conversations/ingest/chats.ts';
import { createReadPool } from '../platform/db/read-pool.ts';
import { newId, nowIso } from '../platform/ids.ts';

const BUDGET_MS = 4_000;

describe.each(ENGINES)('search fences on %s', (engine) => {
  let t: TestContext & BuiltApp;
  let admin: Client;
  let other: Client;
  let tenantId: string;
  let adminId: string;

  const heavy = { customData: [{ fieldKey: 'ref', op: { op: 'regex', pattern: '^r-\\d+$' } }], period: null };
  const light = { period: null };

  /**
   * Runs `during` while regex searches are held up: on SQLite by the hook; on PostgreSQL by another connection holding
   * a lock on the custom values, so a query reading them waits until its statement timeout.
   */
  async function whileHeavyIsSlow<T>(during: () => Promise<T>): Promise<T> {
    if (engine === 'sqlite') return during();
    const pg = (await import('pg')).default;
    const client = new pg.Client(t.config.databaseUrl);
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE conversation_field_values IN ACCESS EXCLUSIVE MODE');
      return await during();
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      await client.end();
    }
  }
  const slowIt = it;

  beforeAll(async () => {
    const ctx = await createTestContext(engine, { EARSHOT_SEARCH_TIMEOUT_MS: String(BUDGET_MS) });
    if (engine === 'sqlite') {
      // The same pool as in production, with each regex evaluation blocking a minute on the workers.
      await ctx.reads.close();
      const reads = createReadPool(ctx.config.databaseUrl, ctx.db, { size: 2, timeoutMs: BUDGET_MS, workerFunctions: { slowRegexMs: 60_000 } });
      const cleanup = ctx.cleanup;
      Object.assign(ctx, {
        reads,
        cleanup: async () => {
          await reads.close();
          await cleanup();
        },
      });
    }
    const built = await buildApp(ctx, { webDir: path.join(ctx.dataDir, 'no-web') });
    const ctxCleanup = ctx.cleanup;
    t = Object.assign(ctx, built, {
      cleanup: async () => {
        await built.app.close();
        await ctxCleanup();
      },
    });
    const tenant = await makeTenant(t);
    tenantId = tenant.tenantId;
    adminId = tenant.admin.id;
    admin = await signIn(t.app, tenant.admin);
    other = await signIn(t.app, await makeUser(t, tenantId, { roles: ['admin'] }));
    ok(await admin.post('/api/custom-fields', { key: 'ref', label: 'Reference', type: 'text' }));
    const ingest = await actorOfUser(t, tenant.admin.id);
    const chat = await ingestChat(t, ingest, {
      chatId: `chat-${randomBytes(4).toString('hex')}`,
      roomName: 'Chat',
      participants: [
        { key: 'c', role: 'customer', name: 'Customer' },
        { key: 'a', role: 'agent', name: 'Agent', extension: '7001' },
      ],
      messages: [{ sender: 'c', at: new Date().toISOString(), text: 'Hello' }],
    } as never);
    ok(await admin.put(`/api/conversations/${chat.conversationId}/custom-fields`, { values: { ref: 'R-1' } }));
    // Both search threads started before the clocks below matter (seconds each on a loaded machine).
    await Promise.all([admin.post('/api/conversations/search', light), other.post('/api/conversations/search', light)]);
  });

  /** Polls until `check` holds (the pool settles a moment after the HTTP answer). */
  const eventually = async (check: () => Promise<boolean> | boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    return check();
  };
  afterAll(() => t?.cleanup());

  slowIt(
    'stops a search past its budget with 503 SEARCH_TIMEOUT, and the next search works',
    async () => {
      const before = t.reads.stats().terminated;
      const err = fails(await whileHeavyIsSlow(() => admin.post('/api/conversations/search', heavy)), 503, 'SEARCH_TIMEOUT');
      expect(err.message).toMatch(/took too long/);
      if (engine === 'sqlite') expect(await eventually(() => t.reads.stats().terminated > before)).toBe(true);
      expect(ok(await admin.post('/api/conversations/search', light)).total).toBe(1);
    },
    60_000,
  );

  slowIt(
    "leaves a slot free for another user while one user's heavy searches run",
    async () => {
      await whileHeavyIsSlow(async () => {
        const settled: number[] = [];
        const mine = [0, 1].map((i) =>
          admin.post('/api/conversations/search', heavy).then((r) => {
            settled.push(i);
            return r;
          }),
        );
        await new Promise((r) => setTimeout(r, 200));
        // A search without results: listing rows reads custom values, which the PostgreSQL lock holds up.
        const theirs = await other.post('/api/conversations/search', { period: null, channels: ['email'] });
        expect(ok(theirs).total).toBe(0);
        // The other user's answer came while both heavy searches were still running or waiting.
        expect(settled).toEqual([]);
        for (const r of await Promise.all(mine)) fails(r, 503, 'SEARCH_TIMEOUT');
      });
    },
    60_000,
  );

  slowIt(
    'reports degraded health while the search slots are saturated, ok once they are free',
    async () => {
      await whileHeavyIsSlow(async () => {
        const running = [admin, admin, other, other].map((c) => c.post('/api/conversations/search', heavy));
        let seen: Json = null;
        for (let i = 0; i < 60 && !seen; i++) {
          await new Promise((r) => setTimeout(r, 100));
          const h = ok(await t.app.inject({ url: '/api/health' }));
          if (h.status === 'degraded') seen = h;
        }
        expect(seen?.reasons.join(' ')).toMatch(/Search workers are saturated/);
        await Promise.all(running);
      });
      expect(await eventually(async () => ok(await t.app.inject({ url: '/api/health' })).status === 'ok')).toBe(true);
    },
    60_000,
  );

  it('reports degraded health while the job queue is stuck', async () => {
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const job = {
      id: newId(),
      type: 'test.never_handled',
      tenant_id: tenantId,
      payload: t.adapter.json({}),
      status: 'queued',
      priority: 0,
      attempts: 0,
      max_attempts: 1,
      run_at: old,
      locked_by: null,
      locked_until: null,
      progress: 0,
      progress_note: null,
      last_error: null,
      result: null,
      created_at: old,
      updated_at: old,
      finished_at: null,
    };
    await t.db
      .insertInto('jobs')
      .values(job as never)
      .execute();
    try {
      const h = ok(await t.app.inject({ url: '/api/health' }));
      expect(h.status).toBe('degraded');
      expect(h.reasons.join(' ')).toMatch(/job queue is stuck: the oldest runnable job has waited 60 minutes/);
    } finally {
      await t.db.deleteFrom('jobs').where('id', '=', job.id).execute();
    }
    expect(ok(await t.app.inject({ url: '/api/health' })).status).toBe('ok');

    // A background job (negative priority, e.g. the demo's calls queued for transcription) waiting as long is a queue
    // working through its lowest-priority work: counted, not "stuck".
    const background = { ...job, id: newId(), priority: -5 };
    await t.db
      .insertInto('jobs')
      .values(background as never)
      .execute();
    try {
      const h = ok(await t.app.inject({ url: '/api/health' }));
      expect(h.status).toBe('ok');
      expect(h.jobs.backgroundWaiting).toBe(1);
      expect(h.jobs.oldestWaitingSeconds).toBeLessThan(600); // other jobs of the suite may be queued, the hour-old one is not counted
    } finally {
      await t.db.deleteFrom('jobs').where('id', '=', background.id).execute();
    }
  });

  it('suggests only the agents the caller may see', async () => {
    const tag = randomBytes(3).toString('hex');
    const care = await makeGroup(t, tenantId, `Care ${tag}`);
    const sales = await makeGroup(t, tenantId, `Sales ${tag}`);
    const user = (name: string, roles: string[], groupId: string | null, extension: string) =>
      makeUser(t, tenantId, { roles, groupId, name: `${name} ${tag}`, extension, email: `${name.toLowerCase()}-${tag}@corp.test` });
    const alice = await user('Alice', ['agent'], care, `81${tag.slice(0, 2)}`);
    const bob = await user('Bob', ['agent'], care, `82${tag.slice(0, 2)}`);
    await user('Carol', ['agent'], sales, `83${tag.slice(0, 2)}`);
    const manager = await user('Manny', ['cc_manager'], care, `84${tag.slice(0, 2)}`);
    // Alice and Carol shared a chat (a transfer across groups); Bob took part in none with Alice.
    await ingestChat(t, await actorOfUser(t, adminId), {
      chatId: `chat-${tag}`,
      roomName: 'Transfer',
      participants: [
        { key: 'c', role: 'customer', name: 'Customer' },
        { key: 'a', role: 'agent', name: 'Alice', extension: `81${tag.slice(0, 2)}` },
        { key: 'b', role: 'agent', name: 'Carol', extension: `83${tag.slice(0, 2)}` },
      ],
      messages: [{ sender: 'c', at: nowIso(), text: 'Hello' }],
    } as never);
    // Another tenant's user with the same tag in their name.
    const elsewhere = await makeTenant(t);
    await makeUser(t, elsewhere.tenantId, { roles: ['agent'], name: `Zed ${tag}` });

    const names = async (client: Client) =>
      (ok(await client.get(`/api/conversations/search/agents?q=${tag}`)).items as Json[]).map((u) => u.name.split(' ')[0]).sort();
    expect(await names(admin)).toEqual(['Alice', 'Bob', 'Carol', 'Manny']);
    expect(await names(await signIn(t.app, manager))).toEqual(['Alice', 'Bob', 'Manny']);
    expect(await names(await signIn(t.app, alice))).toEqual(['Alice', 'Carol']);
    expect(await names(await signIn(t.app, bob))).toEqual(['Bob']);
    // Email and extension are not a way around it either.
    expect(ok(await (await signIn(t.app, bob)).get(`/api/conversations/search/agents?q=82${tag.slice(0, 2)}`)).items.length).toBe(1);
    expect(ok(await (await signIn(t.app, bob)).get(`/api/conversations/search/agents?q=corp.test`)).items.map((u: Json) => u.id)).toEqual([bob.id]);
    expect(await names(await signIn(t.app, elsewhere.admin))).toEqual(['Zed']);
  });
});
