// The read pool keeps the event loop free on SQLite: a heavy query on a worker thread lets timers run meanwhile,
// where the same query on the main connection blocks them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';

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

  it('reports SQL errors to the caller and keeps working', async () => {
    await expect(t.reads.all(t.db.selectFrom('no_such_table' as never).selectAll())).rejects.toThrow(/no such table/);
    expect(await t.reads.all(t.db.selectNoFrom(sql<number>`1`.as('one')))).toEqual([{ one: 1 }]);
  });
});
