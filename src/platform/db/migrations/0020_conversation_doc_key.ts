import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * SQLite: a text match goes from the FTS5 rowid (the document key) straight to the conversation (issue 18). The key
 * was reached through search_docs — its key index, then its row (wide: the packed texts) for the conversation id, then
 * the conversation's id index — for every match a filter or a relevance window reads; now it is one unique index on
 * conversations. search_docs stays the document (texts, language; PostgreSQL's tsvector); the indexer writes both.
 * PostgreSQL matches on search_docs.tsv and keeps the column unused (no index).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('doc_key', a.types.bigint).execute();
  await sql`UPDATE conversations SET doc_key = (SELECT d.doc_key FROM search_docs d WHERE d.conversation_id = conversations.id)`.execute(db);
  if (a.name === 'sqlite') await db.schema.createIndex('conv_doc_key_uq').unique().on('conversations').column('doc_key').execute();
}
