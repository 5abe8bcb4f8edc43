import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Administration → Tags (issue 16):
 * - a tag definition has a kind: `tag` (what Add tag offers) or `category` (what a conversation is filed under, the
 *   "By category" view). A category is a tag definition so the search filter, its chips, the { tagId } view and the
 *   audit trail treat both alike; the kind keeps them apart in the screens.
 * - archived_at: an archived tag or category is not offered for new tagging but stays on the conversations that carry
 *   it and stays searchable.
 * - show_in_filters: whether "Add new filter" offers a custom field (show_in_list already says whether it is a column).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema
    .alterTable('tag_definitions')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('tag'))
    .execute();
  await db.schema.alterTable('tag_definitions').addColumn('archived_at', a.types.timestamp).execute();
  await db.schema
    .alterTable('custom_field_definitions')
    .addColumn('show_in_filters', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
