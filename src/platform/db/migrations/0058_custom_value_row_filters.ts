import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: each custom-data value row carries a copy of its conversation's site and reviewable flag, and the folded-value
 * index holds them, so that the count of a search filtered by a selective custom-data condition ("cisco_id starts with
 * CX-10") is read from that index alone when the rest of its filter is the period and "reviewable" (src/search,
 * valueCount): 10,100 index entries instead of ~1,000 conversation lookups at 1 M.
 *
 * The copies are kept by triggers, whatever path writes: a value inserted (or moved to another conversation) takes its
 * conversation's; a conversation whose site or flag changes passes it to its values. The start (`started_at`, 0019) is
 * kept by the conversations repository as before. PostgreSQL: nothing (its search does not walk the values).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  await sql`ALTER TABLE conversation_field_values ADD COLUMN site_id TEXT`.execute(db);
  await sql`ALTER TABLE conversation_field_values ADD COLUMN reviewable INTEGER`.execute(db);
  await sql`UPDATE conversation_field_values
    SET (site_id, reviewable) = (SELECT c.site_id, c.reviewable FROM conversations c WHERE c.id = conversation_field_values.conversation_id)`.execute(db);
  await sql`DROP INDEX conv_field_values_folded_idx`.execute(db);
  await sql`CREATE INDEX conv_field_values_folded_idx
    ON conversation_field_values (field_id, value_folded, started_at, conversation_id, site_id, reviewable)`.execute(db);
  // With planner statistics present (ANALYZE was run), the new index gets its own, sampled as the statistics job
  // samples (as in 0054): without them SQLite took it for a contains condition's count and read every value of the field.
  if ((await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows.length) {
    await sql`PRAGMA analysis_limit = 400`.execute(db);
    await sql`ANALYZE conv_field_values_folded_idx`.execute(db);
  }
  const copy = (where: string) => `
    UPDATE conversation_field_values
      SET (site_id, reviewable) = (SELECT c.site_id, c.reviewable FROM conversations c WHERE c.id = new.conversation_id)
      WHERE ${where};`;
  await sql.raw(`CREATE TRIGGER field_value_copies_insert AFTER INSERT ON conversation_field_values BEGIN${copy('rowid = new.rowid')}\n  END`).execute(db);
  await sql
    .raw(`CREATE TRIGGER field_value_copies_move AFTER UPDATE OF conversation_id ON conversation_field_values BEGIN${copy('rowid = new.rowid')}\n  END`)
    .execute(db);
  await sql`CREATE TRIGGER conversation_value_copies AFTER UPDATE OF site_id, reviewable ON conversations
    WHEN old.site_id IS NOT new.site_id OR old.reviewable IS NOT new.reviewable BEGIN
      UPDATE conversation_field_values SET site_id = new.site_id, reviewable = new.reviewable WHERE conversation_id = new.id;
    END`.execute(db);
}
