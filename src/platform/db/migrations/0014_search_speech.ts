import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';
import { newId } from '../../ids.ts';

/**
 * Search over what was said (issue 9): a conversation's search document gets three parts — body, agent, customer — so
 * "said by" can keep a query to one side, and a term between two fields so a phrase never runs from one utterance or
 * message into the next (src/search/index/document.ts).
 * - SQLite: the FTS5 table gets the parts as columns (an FTS5 table cannot gain columns: it is made again, same
 *   tokenizer; the delete trigger on search_docs names it and keeps working).
 * - PostgreSQL: nothing to change in the schema (the parts are tsvector weights).
 * Every tenant's documents are rebuilt by one background reindex (progress in Jobs), as in 0006: until it reaches a
 * conversation, SQLite finds it by filters only and PostgreSQL by its old terms.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  if (a.name === 'sqlite') {
    await sql`DROP TABLE search_fts`.execute(db);
    await sql
      .raw(
        `CREATE VIRTUAL TABLE search_fts USING fts5(body, agent, customer, content='', contentless_delete=1, detail=full,
      tokenize="ascii tokenchars '!#$%&''()*+,-./:;<=>?@[\\]^_\`{|}~'")`,
      )
      .execute(db);
  }
  const tenants = await db.selectFrom('search_docs').select('tenant_id').distinct().execute();
  const now = new Date().toISOString();
  for (const { tenant_id } of tenants as Array<{ tenant_id: string }>) {
    await db
      .insertInto('jobs')
      .values({
        id: newId(),
        type: 'search.reindex',
        tenant_id,
        payload: a.json({ tenantId: tenant_id }),
        status: 'queued',
        priority: 0,
        attempts: 0,
        max_attempts: 3,
        run_at: now,
        progress: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
