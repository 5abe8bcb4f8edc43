import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Custom-data filters read their matching values from the index alone (issue 18): the folded-value index gains the
 * conversation id, so "cisco_id starts with CX-10, last 90 days" takes the ~1,250 conversation ids of the period from
 * the index entries instead of reading each value's table row for its conversation id (measured at 1 M: the value
 * rows were about a third of the statement). SQLite only: PostgreSQL plans are another round's (its index is left as is).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  await db.schema.dropIndex('conv_field_values_folded_idx').execute();
  await db.schema
    .createIndex('conv_field_values_folded_idx')
    .on('conversation_field_values')
    .columns(['field_id', 'value_folded', 'started_at', 'conversation_id'])
    .execute();
  // With planner statistics present (ANALYZE was run), the new index gets its own, as in 0019.
  if ((await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows.length) {
    await sql`ANALYZE conv_field_values_folded_idx`.execute(db);
  }
}
