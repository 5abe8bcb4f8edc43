// Migration 0052 on PostgreSQL: documents indexed before it keep being found after it (their terms are copied into
// search_vectors), the old column and index are gone, new documents are written to the new table, and a deleted
// document takes its terms with it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers/context.ts';
import { actorOfUser, makeChat } from '../../../../test/helpers/conversations.ts';
import { makeTenant } from '../../../../test/helpers/factories.ts';
import { runJobs } from '../../../../test/helpers/jobs.ts';
import type { Actor } from '../../../auth/actor.ts';
import { searchConversations } from '../../../search/service.ts';
import { up } from './0052_search_vectors.ts';

describe('migration 0052 (search_vectors) on postgres', () => {
  let t: TestContext;
  let actor: Actor;
  let before: string;

  beforeAll(async () => {
    t = await createTestContext('postgres');
    const tenant = await makeTenant(t);
    actor = await actorOfUser(t, tenant.admin.id);
    before = (await makeChat(t, actor, { text: 'My ombudsman complaint about the invoice' })).conversationId;
    await runJobs(t);
    // Back to the layout before 0052: the terms in search_docs.tsv, no search_vectors.
    await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector`.execute(t.db);
    await sql`UPDATE search_docs d SET tsv = v.tsv FROM search_vectors v WHERE v.conversation_id = d.conversation_id`.execute(t.db);
    await sql`ALTER TABLE search_docs ALTER COLUMN tsv SET NOT NULL`.execute(t.db);
    await sql`CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv)`.execute(t.db);
    await sql`DROP TABLE search_vectors`.execute(t.db);
    await t.db.transaction().execute((trx) => up(trx, t.adapter));
  }, 120_000);
  afterAll(() => t.cleanup());

  const find = async (q: string) => (await searchConversations(t, actor, { q, period: { kind: 'all_time' } })).items.map((i) => i.id);

  it('finds a document indexed before the migration', async () => {
    expect(await find('ombudsman')).toEqual([before]);
    expect(await find('"ombudsman complaint"')).toEqual([before]);
  });

  it('drops the old column and index and keeps the terms in the row (storage MAIN)', async () => {
    const cols = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'search_docs' AND column_name = 'tsv'`.execute(t.db);
    expect(cols.rows[0]!.n).toBe(0);
    const idx = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename IN ('search_docs', 'search_vectors') ORDER BY 1`.execute(
      t.db,
    );
    expect(idx.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['search_vectors_key_uq', 'search_vectors_tenant_key_idx', 'search_vectors_tsv_idx', 'search_vectors_pkey']),
    );
    expect(idx.rows.map((r) => r.indexname)).not.toContain('search_docs_tsv_idx');
    const storage = await sql<{
      attstorage: string;
    }>`SELECT attstorage FROM pg_attribute WHERE attrelid = 'search_vectors'::regclass AND attname = 'tsv'`.execute(t.db);
    expect(storage.rows[0]!.attstorage).toBe('m');
  });

  it('writes new documents to search_vectors and drops their terms with the document', async () => {
    const after = (await makeChat(t, actor, { text: 'Another ombudsman letter' })).conversationId;
    await runJobs(t);
    expect((await find('ombudsman')).sort()).toEqual([before, after].sort());
    await t.db.deleteFrom('search_docs').where('conversation_id', '=', after).execute();
    const left = await t.db.selectFrom('search_vectors').select('conversation_id').execute();
    expect(left.map((r) => r.conversation_id)).toEqual([before]);
  });
});
