import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * PostgreSQL: the conversations in document-key order, with what the list's filters read (the columns of
 * conv_tenant_started_idx, migration 0021), so a text search with filters can walk the period's conversations newest
 * first, drop those the filters exclude from the index entry alone, and test the terms of the rest only
 * (postgres-tsvector.ts, "filters-first"). Without it, every document of the period was tested for the word before its
 * conversation's filters were looked at: at 1 M with transcripts, `refund` on inbound long calls tested 37,000
 * documents' terms to find 1,001; now 6,600.
 *
 * SQLite: nothing (FTS5 drives its matches through conv_doc_key_uq, migration 0020).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name !== 'postgres') return;
  await sql`CREATE INDEX conv_tenant_doc_key_idx ON conversations (tenant_id, doc_key)
    INCLUDE (id, started_at, site_id, reviewable, has_call, has_chat, has_email, has_screen, direction, talk_time_ms,
             customer_phone, local_weekday, local_minute, agent_user_id, group_id)`.execute(db);
}
