import { sql, type Kysely } from 'kysely';

/**
 * Languages by level (issue 14): an organisation has a default (tenants.language), a group may set its own for its
 * members and subgroups (`groups.language`, null = the parent's, up to the organisation's), and a user may choose
 * one. A user's effective language is their own, else the nearest group's up the tree, else the organisation's.
 *
 * `users.language` stays NOT NULL (SQLite cannot drop the constraint without rebuilding the table): '' means "no
 * choice of my own". Users whose language is their organisation's default are set to '' here, which changes no one's
 * effective language today (no group has one yet) and lets a group default reach them once an admin sets one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('language', 'text').execute();
  await sql`update users set language = '' where language = (select t.language from tenants t where t.id = users.tenant_id)`.execute(db);
}
