// PostgreSQL's plan choice for a text match (postgres-tsvector.ts, matchPlan): a term in many documents walks the key
// index newest first and stops at the page, with no sort of every match; a rare term is read from the GIN index alone
// and filtered by key (not ANDed with a bitmap of the whole key range); a term rare in the period but common in all
// time keeps the planner's choice. Checked on the plan PostgreSQL makes for the page statement, on enough documents
// for its statistics.
import { sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { DOC_KEY_SLOTS } from '../index/document.ts';
import type { MatchRange } from './backend.ts';
import { WALK_KEYS_MIN_MATCHES, estimateMatch, matchPlan, postgresTsvector } from './postgres-tsvector.ts';

const DOCS = WALK_KEYS_MIN_MATCHES + 3_000;
/** Sixty more words in every document: rows as wide as a short call's terms, so a sequential scan is not the
 * planner's cheapest read of the table (a table of a few pages is read whole whatever the query). */
const FILLER = Array.from({ length: 60 }, (_, i) => `filler${i}:${10 + i}`).join(' ');

interface PlanNode {
  'Node Type': string;
  'Scan Direction'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(nodes)];

describe('postgres full-text plan choice', () => {
  let t: TestContext;
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestContext('postgres');
    tenantId = (await makeTenant(t)).tenantId;
    const start = Date.parse('2026-01-01T00:00:00Z') / 1000;
    // Every document has "bill"; one in a thousand has "ombudsman"; the oldest three quarters have "legacy". One
    // conversation a minute; every third outbound.
    await sql`
      INSERT INTO conversations (id, tenant_id, title, direction, started_at, ended_at, talk_time_ms, has_call, has_chat, has_email,
                                 has_screen, reviewable, custom_data, created_at, updated_at, doc_key)
      SELECT 'plan-' || i, ${tenantId}, 'Call ' || i, CASE WHEN i % 3 = 0 THEN 'outbound' ELSE 'inbound' END,
             to_timestamp(${start} + i * 60), to_timestamp(${start} + i * 60 + 30), 30000,
             1, 0, 0, 0, 1, '{}'::jsonb, now(), now(), (${start} + i * 60)::bigint * ${DOC_KEY_SLOTS}
      FROM generate_series(1, ${DOCS}) AS i`.execute(t.db);
    await sql`
      INSERT INTO search_docs (conversation_id, tenant_id, doc_key, language, texts, indexed_at)
      SELECT 'plan-' || i, ${tenantId}, (${start} + i * 60)::bigint * ${DOC_KEY_SLOTS}, 'en', '\\x'::bytea, now()
      FROM generate_series(1, ${DOCS}) AS i`.execute(t.db);
    await sql`
      INSERT INTO search_vectors (conversation_id, tenant_id, doc_key, tsv)
      SELECT 'plan-' || i, ${tenantId}, (${start} + i * 60)::bigint * ${DOC_KEY_SLOTS},
             (CASE WHEN i % 1000 = 0 THEN 'bill:1 ombudsman:2' ELSE 'bill:1 late:2' END)::tsvector
               || (CASE WHEN i <= ${(DOCS * 3) / 4} THEN 'legacy:3' ELSE '' END)::tsvector
               || ${FILLER}::tsvector
      FROM generate_series(1, ${DOCS}) AS i`.execute(t.db);
    await sql`VACUUM ANALYZE conversations`.execute(t.db);
    // VACUUM: the rows went into the GIN index's pending list, which only a vacuum merges (autovacuum does in
    // production); a plan of the list's pages would price the index out.
    await sql`VACUUM ANALYZE search_vectors`.execute(t.db);
  }, 120_000);
  afterAll(() => t.cleanup());

  /** The page statement's plan and enable_sort, after the match's prepare, in one transaction as the read pool runs it. */
  const planOf = (query: string, keys: MatchRange = { lo: null, hi: null }) =>
    t.db.transaction().execute(async (trx) => {
      const m = await postgresTsvector.match(trx, query, tenantId, keys);
      expect(m.readOptions.nestedLoops).toBe(true);
      await m.readOptions.prepare?.(trx);
      const page = m.from
        .where(sql<SqlBool>`c.reviewable = 1`)
        .where(keys.filtered ? sql<SqlBool>`c.direction = 'outbound'` : sql<SqlBool>`true`)
        .select(['c.id'])
        .orderBy(m.key, 'desc')
        .limit(1001)
        .compile();
      const { rows } = await sql<{
        'QUERY PLAN': Array<{ Plan: PlanNode }>;
      }>`EXPLAIN (FORMAT JSON) ${sql.raw(page.sql.replace(/\$(\d+)/g, (_, n) => literal(page.parameters[Number(n) - 1])))}`.execute(trx);
      const ids = (await trx.executeQuery(page)).rows as Array<{ id: string }>;
      const sort = await sql<{ enable_sort: string }>`SHOW enable_sort`.execute(trx);
      return { plan: nodes(rows[0]!['QUERY PLAN'][0]!.Plan), ids: ids.map((r) => r.id), enableSort: sort.rows[0]!.enable_sort };
    });

  it('walks the key index newest first for a term in many documents, without sorting them', async () => {
    const { plan, ids, enableSort } = await planOf(`'bill'`);
    expect(enableSort).toBe('off');
    expect(plan.some((n) => n['Node Type'] === 'Sort')).toBe(false);
    expect(plan.some((n) => n['Scan Direction'] === 'Backward')).toBe(true);
    expect(ids.slice(0, 3)).toEqual([`plan-${DOCS}`, `plan-${DOCS - 1}`, `plan-${DOCS - 2}`]);
    expect(ids).toHaveLength(1001);
  });

  // With filters of the user's own, the walk is over the conversations' keys: their index carries the filters'
  // columns, so only the conversations kept have their terms tested.
  it('walks the conversations newest first, filtered in the index, for a common term with filters', async () => {
    const { plan, ids, enableSort } = await planOf(`'bill'`, { lo: null, hi: null, filtered: true });
    expect(enableSort).toBe('off');
    expect(plan.some((n) => n['Node Type'] === 'Sort')).toBe(false);
    const walk = plan.find((n) => n['Index Name'] === 'conv_tenant_doc_key_idx');
    expect(walk?.['Scan Direction']).toBe('Backward');
    expect(plan.some((n) => n['Index Name'] === 'search_vectors_key_uq')).toBe(false);
    const outbound = Array.from({ length: Math.floor(DOCS / 3) }, (_, k) => `plan-${(Math.floor(DOCS / 3) - k) * 3}`);
    expect(ids).toEqual(outbound.slice(0, 1001));
  });

  it('reads a rare term from the GIN index alone', async () => {
    const { plan, ids, enableSort } = await planOf(`'ombudsman'`);
    expect(enableSort).toBe('on');
    expect(vectorIndexes(plan)).toEqual(['search_vectors_tsv_idx']);
    expect(ids).toEqual(Array.from({ length: Math.floor(DOCS / 1000) }, (_, i) => `plan-${(Math.floor(DOCS / 1000) - i) * 1000}`));
  });

  // The period's key range is not ANDed with the GIN result: a bitmap of every key of the period is the cost of a
  // rare term at 1 M (38 of 45 ms for ~95 matches); the few matches are filtered by key instead.
  it('filters the GIN matches of a rare term by the key range, without reading the key index', async () => {
    const keys = { lo: keyOf(DOCS / 2), hi: keyOf(DOCS) };
    const { plan, ids } = await planOf(`'ombudsman'`, keys);
    expect(vectorIndexes(plan)).toEqual(['search_vectors_tsv_idx']);
    expect(matchPlan(await estimateMatch(t.db, `'ombudsman'`, tenantId, keys.lo, keys.hi), true)).toBe('gin-first');
    expect(ids).toEqual([4, 3, 2].map((k) => `plan-${k * 1000}`)); // i ≥ DOCS / 2 = 2000
  });

  it("keeps the planner's choice for a term rare in the period but common in all time", async () => {
    const keys = { lo: keyOf((DOCS * 3) / 4 - 9), hi: keyOf(DOCS) };
    expect(matchPlan(await estimateMatch(t.db, `'legacy'`, tenantId, keys.lo, keys.hi), true)).toBe('planner');
    const { ids, enableSort } = await planOf(`'legacy'`, keys);
    expect(enableSort).toBe('on');
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `plan-${(DOCS * 3) / 4 - i}`));
  });
});

/** The key of the i-th test document (start time i minutes after the first). */
const keyOf = (i: number) => (Date.parse('2026-01-01T00:00:00Z') / 1000 + i * 60) * DOC_KEY_SLOTS;

/** The indexes the plan reads the documents' terms through. */
const vectorIndexes = (plan: PlanNode[]) => [...new Set(plan.filter((n) => n['Index Name']?.startsWith('search_vectors')).map((n) => n['Index Name']!))].sort();

/** A bound parameter as an SQL literal, for EXPLAIN (which takes no parameters). Test data only: strings and numbers. */
function literal(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}
