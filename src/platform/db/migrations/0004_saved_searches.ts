import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Saved searches: a named search filter per user, soft-deleted for the undo window, optionally protected (a data life
 * cycle setting that anonymization reads). The owner is set to null when the user is deleted, so a protected search
 * outlives its author; the purge removes unprotected ones without an owner.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('saved_searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    // The name folded in JS (NFC, lower case): SQLite's lower() only folds ASCII, so uniqueness uses this column.
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('filter', a.types.json, (c) => c.notNull())
    .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('protected_by', 'text')
    .addColumn('protected_at', ts)
    .addColumn('deleted_at', ts)
    .addColumn('deleted_by', 'text')
    .addColumn('undo_token_hash', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  // One live search per name and owner, regardless of case; deleted ones (in their undo window) do not count.
  await db.schema
    .createIndex('saved_searches_owner_name_uq')
    .unique()
    .on('saved_searches')
    .columns(['owner_id', 'name_key'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('saved_searches_tenant_protected_idx').on('saved_searches').columns(['tenant_id', 'protected']).execute();
  await db.schema.createIndex('saved_searches_deleted_idx').on('saved_searches').column('deleted_at').execute();
}
