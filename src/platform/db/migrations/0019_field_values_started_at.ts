import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Custom-data filters under a time period (issue 18): a value row carries its conversation's start, and the folded
 * value index carries it too, so "cisco_id starts with CX-10, last 90 days" reads the ~1,000 matching values of the
 * period from the index instead of looking up the ~10,000 conversations of every period the prefix matches (measured
 * at 1 M: 42 ms → see docs/search.md). Kept by the conversations repository (refreshAggregates, upsertValue).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema.alterTable('conversation_field_values').addColumn('started_at', a.types.timestamp).execute();
  await sql`UPDATE conversation_field_values SET started_at = (SELECT c.started_at FROM conversations c WHERE c.id = conversation_field_values.conversation_id)`.execute(
    db,
  );
  await db.schema.dropIndex('conv_field_values_folded_idx').execute();
  await db.schema.createIndex('conv_field_values_folded_idx').on('conversation_field_values').columns(['field_id', 'value_folded', 'started_at']).execute();
  // A database with planner statistics (ANALYZE was run) gets them for the new index too: beside the others' counts
  // the planner's defaults for it could flip a plan chosen on counts (driving a filter from its few matching values).
  if (a.name === 'sqlite' && (await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows.length) {
    await sql`ANALYZE conv_field_values_folded_idx`.execute(db);
  }
}
