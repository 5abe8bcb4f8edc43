import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: the custom-data trigram index (0009) keyed by the value's start time instead of its row id, so that a
 * "contains" reads the candidates of the searched period only (FTS5 seeks a row-id range in its position lists)
 * rather than every candidate since the first call, and looks up only those value rows.
 *
 * - `custom_value_keys` gives each value row its key: start second × 2²⁰ + the next free slot of that second, or
 *   −rowid when the value has no start time or its second has no slot left (2²⁰ values). Keys stay below 2⁵³.
 * - `custom_value_trigrams` is rebuilt contentless (the folded value only; nothing read its stored columns), its row
 *   id being that key. The triggers keep both in step with `conversation_field_values`.
 *
 * The search still checks each candidate's field, period and value on its row, so the index only has to propose a
 * superset. PostgreSQL: nothing (its pg_trgm index reads by value, 0009).
 */
const SLOTS = 1048576;

/** A value row's key, from its start (second) and row id; needs `custom_value_keys` to find the second's next slot. */
const keyOf = (row: 'new') => {
  const second = `CAST(strftime('%s', ${row}.started_at) AS INTEGER)`;
  const next = `coalesce((SELECT max(key) + 1 FROM custom_value_keys WHERE key >= ${second} * ${SLOTS} AND key < (${second} + 1) * ${SLOTS}), ${second} * ${SLOTS})`;
  return `CASE WHEN ${second} IS NULL OR ${next} >= (${second} + 1) * ${SLOTS} THEN -${row}.rowid ELSE ${next} END`;
};

const index = (row: 'new') => `
    INSERT INTO custom_value_keys (value_id, key) VALUES (${row}.rowid, ${keyOf(row)});
    INSERT INTO custom_value_trigrams (rowid, value_folded)
      VALUES ((SELECT key FROM custom_value_keys WHERE value_id = ${row}.rowid), coalesce(${row}.value_folded, ''));`;

const unindex = `
    DELETE FROM custom_value_trigrams WHERE rowid = (SELECT key FROM custom_value_keys WHERE value_id = old.rowid);
    DELETE FROM custom_value_keys WHERE value_id = old.rowid;`;

export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'sqlite') return;
  for (const t of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS custom_value_trigrams_${t}`).execute(db);
  await sql`DROP TABLE IF EXISTS custom_value_trigrams`.execute(db);
  await sql`CREATE TABLE custom_value_keys (value_id INTEGER PRIMARY KEY, key INTEGER NOT NULL)`.execute(db);
  await sql
    .raw(
      `INSERT INTO custom_value_keys (value_id, key)
    SELECT rowid, CASE WHEN s IS NULL OR n >= ${SLOTS} THEN -rowid ELSE s * ${SLOTS} + n END
    FROM (SELECT rowid, s, row_number() OVER (PARTITION BY s ORDER BY rowid) - 1 AS n
          FROM (SELECT rowid, CAST(strftime('%s', started_at) AS INTEGER) AS s FROM conversation_field_values))`,
    )
    .execute(db);
  await sql`CREATE UNIQUE INDEX custom_value_keys_key_uq ON custom_value_keys (key)`.execute(db);
  await sql`CREATE VIRTUAL TABLE custom_value_trigrams USING fts5(value_folded, tokenize = 'trigram', content = '', contentless_delete = 1)`.execute(db);
  // In key order: FTS5 appends to its position lists instead of merging segments out of order.
  await sql`INSERT INTO custom_value_trigrams (rowid, value_folded)
    SELECT k.key, coalesce(v.value_folded, '') FROM custom_value_keys k JOIN conversation_field_values v ON v.rowid = k.value_id ORDER BY k.key`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER custom_value_keys_insert AFTER INSERT ON conversation_field_values BEGIN${index('new')}
  END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER custom_value_keys_update AFTER UPDATE OF value_folded, started_at ON conversation_field_values BEGIN${unindex}${index('new')}
  END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER custom_value_keys_delete AFTER DELETE ON conversation_field_values BEGIN${unindex}
  END`,
    )
    .execute(db);
}
