import type { Kysely } from 'kysely';

/**
 * The sanitised HTML of an email (see src/conversations/email/sanitize.ts), kept for display beside the text
 * rendered from it; null for plain-text messages and for those stored before this column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('email_messages').addColumn('body_html', 'text').execute();
}
