// The db.statistics job: SQLite gets planner statistics for every table with an index (it keeps none by itself);
// PostgreSQL leaves it to autovacuum.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/db.ts';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { JOBS } from '../../jobs.ts';

describe.each(ENGINES)('db.statistics on %s', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
    await makeTenant(t);
  });
  afterAll(() => t.cleanup());

  it('refreshes the planner statistics', async () => {
    const run = () => JOBS.definition('db.statistics').handler(t as never, {} as never, { progress: async () => {} } as never);
    if (engine === 'postgres') {
      expect(await run()).toEqual({ statistics: 'autovacuum' });
      return;
    }
    const tables = async () =>
      (await sql<{ tbl: string }>`SELECT DISTINCT tbl FROM sqlite_stat1`.execute(t.db).catch(() => ({ rows: [] as Array<{ tbl: string }> }))).rows.map(
        (r) => r.tbl,
      );
    await sql`DROP TABLE IF EXISTS sqlite_stat1`.execute(t.db).catch(() => {});
    expect(await tables()).toEqual([]);
    expect(await run()).toEqual({ statistics: 'analyzed' });
    expect(await tables()).toEqual(expect.arrayContaining(['users', 'tenants']));
  });

  // Per-value samples would make every statement whose parameters meet an index be planned again on each run
  // (migration 0055): the job writes none, and clears those an unlimited ANALYZE left.
  it.runIf(engine === 'sqlite')('writes no per-value samples (sqlite_stat4), and clears old ones', async () => {
    const samples = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_stat4`.execute(t.db)).rows[0]!.n);
    await sql`PRAGMA analysis_limit = 0`.execute(t.db);
    await sql`ANALYZE`.execute(t.db);
    expect(await samples()).toBeGreaterThan(0);
    expect(await JOBS.definition('db.statistics').handler(t as never, {} as never, { progress: async () => {} } as never)).toEqual({
      statistics: 'analyzed',
    });
    expect(await samples()).toBe(0);
  });
});
