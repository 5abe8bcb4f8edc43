import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: a conversation looked up by id for the search's usual conditions is read from this index alone, not from its
 * table row (about 40 columns). A custom-data filter finds its conversations by id (valueWalk, and the contains
 * candidates) and checks the tenant, the period with each site's zone, "reviewable" and the group scope on each one:
 * "cisco_id starts with CX-10" in the last 90 days looks up 1,001 conversations to count them. Alternated at 1 M
 * conversations, that statement took 0.77× the time with this index (5.05 → 3.90 ms, median of 20 rounds).
 *
 * PostgreSQL: nothing (its custom-data filters read the conversations through their own plans; migration 0053).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  await db.schema
    .createIndex('conv_id_filters_idx')
    .on('conversations')
    .columns(['id', 'tenant_id', 'started_at', 'reviewable', 'site_id', 'group_id'])
    .execute();
  // With planner statistics present (ANALYZE was run), the new index gets its own, as in 0019 and 0047, sampled as
  // the statistics job samples (adapter.ts SQLITE_ANALYSIS_LIMIT), which writes no per-value samples (see 0055).
  if ((await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows.length) {
    await sql`PRAGMA analysis_limit = 400`.execute(db);
    await sql`ANALYZE conv_id_filters_idx`.execute(db);
  }
}
