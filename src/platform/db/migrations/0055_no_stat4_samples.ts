import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: drops the planner's per-value samples (sqlite_stat4), keeping its averages (sqlite_stat1). better-sqlite3's
 * SQLite is built with STAT4, and while an index has samples, a statement whose bound parameter is compared with it
 * (a tenant id, a period bound, a list of conversation ids: nearly every statement here) is planned again, for its
 * values, every time it runs: binding such a parameter expires the prepared statement. A rare word's search statement
 * cost 164 µs of CPU that way at 1 M conversations, and 39 µs without the samples, with the same plan. The statistics
 * job never writes samples (ANALYZE under analysis_limit does not; adapter.ts refreshStatistics), but an ANALYZE
 * without a limit does, as migrations 0019, 0021, 0047 and 0052 ran on databases that had statistics.
 *
 * PostgreSQL: nothing (it plans a prepared statement's parameters without such a cost).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  if (!(await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'`.execute(db)).rows.length) return;
  await sql`DELETE FROM sqlite_stat4`.execute(db);
  // Loads the statistics again on this connection; the others read them when they open (the read workers start after
  // the migrations).
  await sql`ANALYZE sqlite_schema`.execute(db);
}
