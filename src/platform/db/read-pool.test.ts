// The read pool keeps the event loop free on SQLite (a heavy query on a worker thread lets timers run meanwhile, where
// the same query on the main connection blocks them), and fences searches on both engines: a query past its deadline
// is cancelled (SQLite: the thread is terminated and replaced), and one owner cannot take every slot.
// Slow queries are deterministic: on SQLite a test-only hook makes the regex function block; on PostgreSQL pg_sleep.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { DomainError } from '../errors.ts';
import { createReadPool, type ReadPool, type ReadPoolOptions } from './read-pool.ts';

// About a second of work for SQLite on this machine; the exact figure does not matter, only that it is long.
const heavy = (t: TestContext) =>
  t.db.selectNoFrom(sql<number>`(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n)`.as('n'));

async function ticksDuring(work: () => Promise<unknown>) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  // Let the interval start before the work.
  await new Promise((r) => setTimeout(r, 20));
  const before = ticks;
  await work();
  clearInterval(timer);
  return ticks - before;
}

describe('read pool on sqlite', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext('sqlite');
  });
  afterAll(() => t.cleanup());

  it('returns the same rows as the main connection', async () => {
    const q = t.db.selectFrom('tenants').select(['id', 'name']).orderBy('id');
    expect(await t.reads.all(q)).toEqual(await q.execute());
  });

  it('runs a heavy query off the event loop', async () => {
    await t.reads.all(heavy(t)); // warm the worker up (thread start, tsx)
    const onWorker = await ticksDuring(() => t.reads.all(heavy(t)));
    const onMain = await ticksDuring(() => heavy(t).execute());
    expect(onMain).toBe(0);
    expect(onWorker).toBeGreaterThan(2);
  });

  it('sends the first rows ahead while the statement goes on (ReadOptions.early)', async () => {
    // Five rows at once, then a long walk to the last one.
    const rowsQ = t.db
      .selectFrom(sql`(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT i FROM n)`.as('n') as never)
      .select(sql<number>`i`.as('i'))
      .where(sql<boolean>`i <= 5 OR i = 3000000`);
    const events: string[] = [];
    let head: unknown[] = [];
    const all = t.reads
      .all(rowsQ, {
        early: {
          rows: 3,
          receive: (rows) => {
            head = rows;
            events.push('early');
            earlyAt = performance.now();
          },
        },
      })
      .then((rows) => {
        events.push('all');
        return rows;
      });
    let earlyAt = 0;
    const rows = await all;
    expect(events).toEqual(['early', 'all']);
    // The head came while the worker still walked the three million rows (a second or so), not with the result.
    expect(performance.now() - earlyAt).toBeGreaterThan(50);
    expect(head).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    expect(rows).toEqual([1, 2, 3, 4, 5, 3000000].map((i) => ({ i })));
  });

  it('reports SQL errors to the caller and keeps working', async () => {
    await expect(t.reads.all(t.db.selectFrom('no_such_table' as never).selectAll())).rejects.toThrow(/no such table/);
    expect(await t.reads.all(t.db.selectNoFrom(sql<number>`1`.as('one')))).toEqual([{ one: 1 }]);
  });
});

const SLOW_SECONDS = 20;

describe.each(ENGINES)('read pool fences on %s', (engine) => {
  let t: TestContext;
  const pools: ReadPool[] = [];
  const pool = (opts: ReadPoolOptions) => {
    const p = createReadPool(t.config.databaseUrl, t.db, { size: 2, ...opts, workerFunctions: { slowRegexMs: SLOW_SECONDS * 1000 } });
    pools.push(p);
    return p;
  };
  // Blocks SLOW_SECONDS unless cancelled.
  const slow = () =>
    engine === 'sqlite'
      ? t.db.selectNoFrom(sql<number>`earshot_regexp('a', 'a')`.as('m'))
      : t.db.selectNoFrom(sql<number>`(SELECT 1 FROM pg_sleep(${SLOW_SECONDS}))`.as('m'));
  const fast = () => t.db.selectNoFrom(sql<number>`1`.as('one'));
  const later = (ms = 60_000) => Date.now() + ms;
  // Both threads started (seconds on a loaded machine; a thread's start-up is not counted in a deadline anyway).
  const warm = (reads: ReadPool) => Promise.all([reads.all(fast(), { owner: 'w1', deadline: later() }), reads.all(fast(), { owner: 'w2', deadline: later() })]);
  const code = (err: unknown) => (err instanceof DomainError ? err.code : String(err));

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await t.cleanup();
  });

  it('cancels a query past its deadline with SEARCH_TIMEOUT, then serves the next one', async () => {
    const reads = pool({ timeoutMs: 60_000 });
    await warm(reads);
    // Without the fence this waits SLOW_SECONDS, longer than the test's timeout.
    const err = await reads.all(slow(), { deadline: Date.now() + 500 }).catch((e: unknown) => e);
    expect(code(err)).toBe('SEARCH_TIMEOUT');
    if (engine === 'sqlite') expect(reads.stats().terminated).toBe(1);
    expect(await reads.all(fast(), { deadline: later() })).toEqual([{ one: 1 }]);
    expect(reads.stats()).toMatchObject({ running: 0, waiting: 0 });
  }, 60_000);

  it('cancels a running and a waiting query when their signal aborts (SEARCH_CANCELLED), then serves the next one', async () => {
    const reads = pool({ timeoutMs: 60_000 });
    await warm(reads);
    const ac = new AbortController();
    const started = Date.now();
    // perOwner is 1 of 2: the first runs, the second waits behind it.
    const running = reads.all(slow(), { owner: 'a', deadline: later(), signal: ac.signal }).catch(code);
    const waiting = reads.all(slow(), { owner: 'a', deadline: later(), signal: ac.signal }).catch(code);
    await new Promise((r) => setTimeout(r, 300));
    expect(reads.stats()).toMatchObject({ running: 1, waiting: 1 });
    ac.abort();
    expect(await Promise.all([running, waiting])).toEqual(['SEARCH_CANCELLED', 'SEARCH_CANCELLED']);
    // Without the signal both would run SLOW_SECONDS each.
    expect(Date.now() - started).toBeLessThan(SLOW_SECONDS * 1000);
    if (engine === 'sqlite') expect(reads.stats().terminated).toBe(1);
    expect(await reads.all(fast(), { owner: 'a', deadline: later() })).toEqual([{ one: 1 }]);
    expect(reads.stats()).toMatchObject({ running: 0, waiting: 0 });
    // An already aborted signal never starts the query.
    expect(code(await reads.all(fast(), { signal: ac.signal }).catch((e: unknown) => e))).toBe('SEARCH_CANCELLED');
  }, 60_000);

  it('gives one owner at most half the slots: another owner still runs at once', async () => {
    const reads = pool({ timeoutMs: 60_000 });
    await warm(reads);
    const settled: string[] = [];
    const heavyA = [1, 2].map((i) =>
      reads.all(slow(), { owner: 'a', deadline: Date.now() + 6_000 }).then(
        () => settled.push(`a${i}`),
        (e: unknown) => settled.push(`a${i}:${code(e)}`),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(reads.stats()).toMatchObject({ running: 1, waiting: 1 });
    expect(await reads.all(fast(), { owner: 'b', deadline: later() })).toEqual([{ one: 1 }]);
    // b's answer came while both of a's slow queries were still pending.
    expect(settled).toEqual([]);
    await Promise.all(heavyA);
    expect(settled.sort()).toEqual(['a1:SEARCH_TIMEOUT', 'a2:SEARCH_TIMEOUT']);
  }, 60_000);

  it('refuses with SEARCH_BUSY past the queries one owner may queue, and reports saturation', async () => {
    const reads = pool({ timeoutMs: 60_000, maxWaitingPerOwner: 1 });
    await warm(reads);
    const deadline = Date.now() + 3_000;
    const running = [reads.all(slow(), { owner: 'a', deadline }).catch(code), reads.all(slow(), { owner: 'b', deadline }).catch(code)];
    const queued = reads.all(slow(), { owner: 'a', deadline }).catch(code);
    expect(code(await reads.all(slow(), { owner: 'a', deadline }).catch((e: unknown) => e))).toBe('SEARCH_BUSY');
    await new Promise((r) => setTimeout(r, 100));
    expect(reads.stats()).toMatchObject({ capacity: 2, running: 2, waiting: 1 });
    expect(reads.stats().oldestWaitMs).toBeGreaterThan(0);
    expect(await Promise.all([...running, queued])).toEqual(['SEARCH_TIMEOUT', 'SEARCH_TIMEOUT', 'SEARCH_TIMEOUT']);
    expect(await reads.all(fast(), { owner: 'a', deadline: later() })).toEqual([{ one: 1 }]);
  }, 60_000);
});
