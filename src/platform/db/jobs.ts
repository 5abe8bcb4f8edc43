// The database's own maintenance jobs (collected by src/jobs.ts).
import { Type, type Static } from 'typebox';
import { defineJob } from '../jobs/registry.ts';
import type { DialectAdapter } from './adapter.ts';
import type { Db } from './index.ts';

const Empty = Type.Object({}, { additionalProperties: false });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'db.statistics': Static<typeof Empty>;
  }
}

export const dbJobs = [
  defineJob({
    type: 'db.statistics',
    description:
      "Refreshes the query planner's statistics, which the search's plans rely on (SQLite; PostgreSQL's autovacuum does it) (scheduler, every 6 hours).",
    payload: Empty,
    maxAttempts: 2,
    backoffMs: 60_000,
    everyMs: 6 * 60 * 60_000,
    handler: async (ctx: { db: Db; adapter: DialectAdapter }) => ({ statistics: await ctx.adapter.refreshStatistics(ctx.db) }),
  }),
] as const;
