// Migration 0055 on SQLite: the planner's per-value samples (sqlite_stat4) an unlimited ANALYZE left are dropped, its
// averages (sqlite_stat1) kept; a database without statistics is left as it is.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers/context.ts';
import { actorOfUser, makeChat } from '../../../../test/helpers/conversations.ts';
import { makeTenant } from '../../../../test/helpers/factories.ts';
import { up } from './0055_no_stat4_samples.ts';

describe('migration 0055 (no stat4 samples) on sqlite', () => {
  let t: TestContext;
  const count = async (table: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await createTestContext('sqlite');
    const tenant = await makeTenant(t);
    const actor = await actorOfUser(t, tenant.admin.id);
    for (let i = 0; i < 5; i++) await makeChat(t, actor);
  });
  afterAll(() => t.cleanup());

  it('leaves a database without statistics as it is', async () => {
    expect((await sql`SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'`.execute(t.db)).rows).toEqual([]);
    await up(t.db, t.adapter);
    expect((await sql`SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'`.execute(t.db)).rows).toEqual([]);
  });

  it('drops the samples an unlimited ANALYZE wrote and keeps the averages', async () => {
    await sql`PRAGMA analysis_limit = 0`.execute(t.db);
    await sql`ANALYZE`.execute(t.db);
    const averages = await count('sqlite_stat1');
    expect(await count('sqlite_stat4')).toBeGreaterThan(0);
    await up(t.db, t.adapter);
    expect(await count('sqlite_stat4')).toBe(0);
    expect(await count('sqlite_stat1')).toBe(averages);
  });
});
