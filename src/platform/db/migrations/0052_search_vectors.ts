import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * PostgreSQL: a document's tsvector moves out of search_docs into a narrow table of its own, kept in the row.
 *
 * A search that walks the newest documents and tests each one's terms (a common word, a phrase, a word with
 * selective filters) read `search_docs.tsv` through TOAST: with a call's transcript the row (terms ~3 kB and packed
 * texts ~2 kB) is over PostgreSQL's 2 kB threshold, both columns go out of line, and every test cost a TOAST index
 * lookup and its chunks. Here the row holds only the key, the ids and the terms, `tsv` is stored MAIN (compressed or
 * moved out only when the row would not fit in a page) and toast_tuple_target lets a row of up to a page stay whole:
 * the walk reads heap pages in key order and nothing else. Measured at 1 M conversations with transcripts, the 37,000
 * newest documents tested for `refund`: 153 ms → 42 ms. The packed texts stay in search_docs (read for highlights only).
 *
 * SQLite: nothing (its terms are the FTS5 table's).
 *
 * The copy reads every document once; a large installation should expect minutes (1 M documents with transcripts:
 * a few minutes for the copy and the GIN index). The dropped column's space is reclaimed by `VACUUM FULL search_docs`
 * at a convenient time (not done here: it locks the table).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'postgres') return;
  await sql`CREATE TABLE search_vectors (
    conversation_id text PRIMARY KEY REFERENCES search_docs (conversation_id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    doc_key bigint NOT NULL,
    tsv tsvector NOT NULL
  ) WITH (toast_tuple_target = 8160)`.execute(db);
  await sql`ALTER TABLE search_vectors ALTER COLUMN tsv SET STORAGE MAIN`.execute(db);
  await sql`INSERT INTO search_vectors (conversation_id, tenant_id, doc_key, tsv)
    SELECT conversation_id, tenant_id, doc_key, tsv FROM search_docs ORDER BY doc_key`.execute(db);
  await sql`CREATE UNIQUE INDEX search_vectors_key_uq ON search_vectors (doc_key)`.execute(db);
  await sql`CREATE INDEX search_vectors_tenant_key_idx ON search_vectors (tenant_id, doc_key)`.execute(db);
  await sql`CREATE INDEX search_vectors_tsv_idx ON search_vectors USING gin (tsv)`.execute(db);
  await sql`DROP INDEX search_docs_tsv_idx`.execute(db);
  await sql`ALTER TABLE search_docs DROP COLUMN tsv`.execute(db);
  await sql`ANALYZE search_vectors`.execute(db);
}
