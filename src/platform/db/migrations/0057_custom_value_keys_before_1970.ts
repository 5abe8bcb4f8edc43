import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: a custom-data value started before 1970 is keyed −rowid, as one without a start (0056 gave it start second ×
 * 2²⁰ + slot, a negative key that another value's −rowid could take later: that value's write then failed on
 * custom_value_keys_key_uq). Only the insert and update triggers change; keys already given stay.
 */
const SLOTS = 1048576;
const second = `CAST(strftime('%s', new.started_at) AS INTEGER)`;
const next = `coalesce((SELECT max(key) + 1 FROM custom_value_keys WHERE key >= ${second} * ${SLOTS} AND key < (${second} + 1) * ${SLOTS}), ${second} * ${SLOTS})`;
const key = `CASE WHEN ${second} IS NULL OR ${second} < 0 OR ${next} >= (${second} + 1) * ${SLOTS} THEN -new.rowid ELSE ${next} END`;
const index = `
    INSERT INTO custom_value_keys (value_id, key) VALUES (new.rowid, ${key});
    INSERT INTO custom_value_trigrams (rowid, value_folded)
      VALUES ((SELECT key FROM custom_value_keys WHERE value_id = new.rowid), coalesce(new.value_folded, ''));`;
const unindex = `
    DELETE FROM custom_value_trigrams WHERE rowid = (SELECT key FROM custom_value_keys WHERE value_id = old.rowid);
    DELETE FROM custom_value_keys WHERE value_id = old.rowid;`;

export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  await sql`DROP TRIGGER custom_value_keys_insert`.execute(db);
  await sql`DROP TRIGGER custom_value_keys_update`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER custom_value_keys_insert AFTER INSERT ON conversation_field_values BEGIN${index}
  END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER custom_value_keys_update AFTER UPDATE OF value_folded, started_at ON conversation_field_values BEGIN${unindex}${index}
  END`,
    )
    .execute(db);
}
