// PostgreSQL tsvector + GIN as the full-text engine. The terms of a document are the `tsv` column of search_vectors
// (migration 0052; a narrow row beside search_docs, so walking documents never reads their texts or TOAST): our
// analyzer's terms at their positions, written as a tsvector literal, so no PostgreSQL parser or dictionary is
// involved and both engines index the same terms. Its quirks, all here:
// - queries are tsquery strings cast with ::tsquery (phrases keep their alternatives in place with <->);
// - positions stop at 16,383 and a lexeme keeps 256 of them (see tsvectorLiteral); relevance is ts_rank with every
//   weight 1 (the weights mark the document parts for "said by", not importance);
// - statements on a match are planned with nested loops only (readOptions): the planner misestimates a match joined
//   to conversations under a period and its hash join reads the whole period (docs/search.md);
// - a match of many documents walks the key index newest first (no sort: walkKeysIfCommon), because the same
//   misestimate makes sorting every match look cheaper than stopping at the page.
// Custom-data "contains" needs nothing here: a pg_trgm GIN index (migration 0009) serves the LIKE itself.
import { sql, type SqlBool } from 'kysely';
import { compileQuery, type CompiledQuery, type Expr, type TermsFor } from '../query/compile.ts';
import type { QueryNode } from '../query/parse.ts';
import { DOC_PARTS, FIELD_GAP, type DocPart, type Speaker } from '../index/document.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { FullTextBackend, MatchFrom } from './backend.ts';

/** A tsquery lexeme: single quotes around, inner quotes doubled and backslashes escaped, so `&`, `|`, `!`, `:*`,
 * `<->`, `(` and `)` inside are plain text handed to the text-search parser. */
export function tsqueryString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** `weight`: '' (any part) or `:A` / `:B`, put on every lexeme ("said by"). */
function renderTsquery(e: Expr, weight: string): string {
  const wrap = (x: Expr) => (x.op === 'term' ? renderTsquery(x, weight) : `(${renderTsquery(x, weight)})`);
  const lexeme = (t: string) => tsqueryString(t) + weight;
  switch (e.op) {
    case 'term':
      return lexeme(e.term);
    case 'phrase':
      return e.words.map((alts) => (alts.length === 1 ? lexeme(alts[0]) : `(${alts.map(lexeme).join(' | ')})`)).join(' <-> ');
    case 'and':
      return e.xs.map(wrap).join(' & ');
    case 'or':
      return e.xs.map(wrap).join(' | ');
    case 'andNot':
      return `${wrap(e.pos)} & !${wrap(e.neg)}`;
  }
}

/** The string for PostgreSQL `::tsquery` (see query/compile.ts for how to use each kind of result); `saidBy` keeps
 * every word to the positions of that speaker's part (a weight). */
export function toTsquery(ast: QueryNode | null, termsFor: TermsFor, saidBy: Speaker | null = null): CompiledQuery {
  const weight = saidBy ? `:${SPEAKER_WEIGHT[saidBy]}` : '';
  return compileQuery(ast, termsFor, (e) => renderTsquery(e, weight));
}

// PostgreSQL keeps positions 1…16383 and at most 256 positions per lexeme: a phrase that occurs only beyond them is
// found by SQLite and not by PostgreSQL (documents of over 16,000 words). Single terms are unaffected.
const PG_MAX_POSITION = 16_383;
const PG_MAX_POSITIONS_PER_LEXEME = 256;

/**
 * The document part of a position as a tsvector weight: agent A, customer B, the body D (PostgreSQL's default, not
 * written). A lexeme restricted to a weight (`'refund':B`) matches only positions of that part: "said by".
 */
export const PART_WEIGHT: Record<DocPart, '' | 'A' | 'B'> = { body: '', agent: 'A', customer: 'B' };
const SPEAKER_WEIGHT: Record<Speaker, 'A' | 'B'> = { agent: 'A', customer: 'B' };

/**
 * The parts as one tsvector literal: `'help':1,4A 'john@example.com':2`, quotes and backslashes escaped. Positions run
 * through body, agent and customer in turn; FIELD_GAP and the boundary between two parts take a position without a
 * lexeme, so `<->` never joins two fields (one skipped position is enough: our queries have no NEAR, and positions
 * are scarce at 16,383).
 */
export function tsvectorLiteral(parts: Partial<Record<DocPart, readonly string[]>>): string {
  const positions = new Map<string, string[]>();
  let p = 0;
  for (const part of DOC_PARTS) {
    const terms = parts[part];
    if (!terms?.length) continue;
    if (p > 0) p++;
    const weight = PART_WEIGHT[part];
    for (const term of terms) {
      p++;
      if (term === FIELD_GAP) continue;
      let list = positions.get(term);
      if (!list) positions.set(term, (list = []));
      const at = Math.min(p, PG_MAX_POSITION);
      if (list.length < PG_MAX_POSITIONS_PER_LEXEME && !(at === PG_MAX_POSITION && list.length && parseInt(list[list.length - 1]!, 10) === at))
        list.push(`${at}${weight}`);
    }
  }
  const out: string[] = [];
  for (const [term, list] of positions) out.push(`'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${list.join(',')}`);
  return out.join(' ');
}

/** Matches in the key range from which walking the key index beats reading every match and sorting it. */
export const WALK_KEYS_MIN_MATCHES = 1_000;

/**
 * A rare term's matches in all time, per document of the key range, below which they are read from the GIN index
 * alone and filtered by key (GIN_FIRST). Filtering a match by key costs a heap fetch and a recheck (~5 µs); ANDing the
 * GIN result with the key range's bitmap costs an entry of the range (~0.3 µs) for every document of the period:
 * one in sixteen is where the two meet.
 */
export const GIN_FIRST_MAX_SHARE = 1 / 16;

/** How the match is read: see matchPlan. */
export type MatchPlan = 'walk-keys' | 'filters-first' | 'gin-first' | 'planner';

/** The planner's estimates on search_vectors alone: matches in the key range, matches in all time, documents in the range. */
export interface MatchEstimates {
  inRange: number;
  all: number;
  range: number;
}

/**
 * The planner estimates a match well on the documents alone (tsvector statistics) but not joined to conversations:
 * the period is on both sides (the document key is the start time), it multiplies the two selectivities and expects
 * a few hundred matches where there are tens of thousands — then sorting them all looks cheaper than walking the
 * keys newest first and stopping at the page (measured at 1 M: 0.9–3 s against 20–60 ms). So the statement's shape
 * follows the estimates on the documents alone (one EXPLAIN, a plan without running it, well under a millisecond):
 * - many matches in the range (WALK_KEYS_MIN_MATCHES): walk the key index newest first, the sort forbidden — the
 *   documents' keys when the search has no filters of the user's own, else the conversations' (filters-first:
 *   conv_tenant_doc_key_idx, migration 0053, carries what the filters read, so only the conversations they keep have
 *   their terms tested; `refund` on inbound long calls at 1 M with transcripts tested 6,600 documents instead of
 *   37,000);
 * - few matches in all time, compared with the range's documents (GIN_FIRST_MAX_SHARE): read them from the GIN index
 *   alone behind a fence and filter them by key — otherwise the planner ANDs the GIN result with a bitmap of the
 *   whole key range (at 1 M, `ombudsman` in 90 days: 38 of 45 ms for ~95 matches);
 * - between (rare in the period, common in all time): the planner's choice (the AND with the key range is right).
 */
export function matchPlan(e: MatchEstimates | null, ranged: boolean, filtered = false): MatchPlan {
  if (!e) return 'planner';
  if (e.inRange >= WALK_KEYS_MIN_MATCHES) return filtered ? 'filters-first' : 'walk-keys';
  if (!ranged || e.all <= e.range * GIN_FIRST_MAX_SHARE) return 'gin-first';
  return 'planner';
}

type PlanNode = { 'Plan Rows': number; Plans?: PlanNode[] };

/**
 * matchPlan's estimates, from one EXPLAIN of the three counts side by side (UNION ALL: one plan per branch); null when
 * the database gives no plan (a compile-only driver: the SQL snapshots).
 */
export async function estimateMatch(db: Executor, query: string, tenantId: string, lo: number | null, hi: number | null): Promise<MatchEstimates | null> {
  const range = [...(lo !== null ? [sql`doc_key >= ${lo}`] : []), ...(hi !== null ? [sql`doc_key <= ${hi}`] : [])];
  const where = (conds: Array<ReturnType<typeof sql>>) => sql.join([sql`tenant_id = ${tenantId}`, ...conds], sql` AND `);
  const matches = sql`tsv @@ ${query}::tsquery`;
  const explain = async (branches: Array<ReturnType<typeof sql>>) => {
    const { rows } = await sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>`EXPLAIN (FORMAT JSON) ${sql.join(
      branches.map((w) => sql`SELECT 1 FROM search_vectors WHERE ${w}`),
      sql` UNION ALL `,
    )}`.execute(db);
    const top = rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!top) return null;
    return branches.length === 1 ? [top['Plan Rows']] : (top.Plans ?? []).map((p) => p['Plan Rows']);
  };
  if (!range.length) {
    const [all] = (await explain([where([matches])])) ?? [];
    return all === undefined ? null : { inRange: all, all, range: all };
  }
  const [inRange, all, docs] = (await explain([where([matches, ...range]), where([matches]), where(range)])) ?? [];
  return inRange === undefined || all === undefined || docs === undefined ? null : { inRange, all, range: docs };
}

export const postgresTsvector: FullTextBackend = {
  name: 'postgres-tsvector',
  compile: toTsquery,

  async match(db, query, tenantId, { lo, hi, filtered }) {
    const how = matchPlan(await estimateMatch(db, query, tenantId, lo, hi), lo !== null || hi !== null, filtered);
    const matches = sql<SqlBool>`tsv @@ ${query}::tsquery`;
    // Both walks forbid the sort: the statement is then in key order only by walking an index newest first, and it
    // stops at the page.
    const walk = { nestedLoops: true, prepare: (trx: Executor) => sql`SET LOCAL enable_sort = off`.execute(trx).then(() => {}) };
    const score = sql<number>`(-ts_rank('{1,1,1,1}', d.tsv, ${query}::tsquery))`;
    if (how === 'filters-first') {
      // Ordered by the conversation's copy of the key (the indexer keeps it equal to the document's), which only
      // conv_tenant_doc_key_idx gives: its entries carry the filters' columns; the terms are read for those kept.
      let q = db
        .selectFrom('conversations as c')
        .innerJoin('search_vectors as d', 'd.conversation_id', 'c.id')
        .where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`)
        .where('c.tenant_id', '=', tenantId) as unknown as MatchFrom;
      if (lo !== null) q = q.where('c.doc_key', '>=', lo);
      if (hi !== null) q = q.where('c.doc_key', '<=', hi);
      return { from: q, key: sql<number>`c.doc_key`, score, readOptions: walk };
    }
    // gin-first: the matches of all time behind OFFSET 0 (PostgreSQL neither flattens such a subquery nor pushes the
    // key range into it), so the GIN index is read alone and the key range filters its few rows.
    const docs =
      how === 'gin-first'
        ? db
            .selectFrom('search_vectors')
            .select(['conversation_id', 'tenant_id', 'doc_key', 'tsv'])
            .where('tenant_id', '=', tenantId)
            .where(matches)
            .offset(0)
            .as('d')
        : 'search_vectors as d';
    let q = db.selectFrom(docs as 'search_vectors as d').innerJoin('conversations as c', 'c.id', 'd.conversation_id') as unknown as MatchFrom;
    if (how !== 'gin-first') q = q.where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`);
    q = q.where('d.tenant_id', '=', tenantId);
    if (lo !== null) q = q.where('d.doc_key', '>=', lo);
    if (hi !== null) q = q.where('d.doc_key', '<=', hi);
    return {
      from: q,
      key: sql<number>`d.doc_key`,
      score,
      // Nested loops walk the newest matching documents and stop at the page; walk-keys forbids the sort of every match.
      readOptions: how === 'walk-keys' ? walk : { nestedLoops: true },
    };
  },

  matchesConversation: (eb, query) =>
    eb.exists(
      eb
        .selectFrom('search_vectors as d')
        .select('d.doc_key')
        .whereRef('d.conversation_id', '=', 'c.id')
        .where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`),
    ),

  containsCandidates: () => null,

  docColumns: () => ({}),

  // After the document's row (writeDoc): its key and ids come from there, so both rows always agree; a new key
  // replaces the old one in place.
  async writeTerms(db, docKey, _oldKey, { parts }) {
    await sql`INSERT INTO search_vectors (conversation_id, tenant_id, doc_key, tsv)
      SELECT conversation_id, tenant_id, doc_key, ${tsvectorLiteral(parts)}::tsvector FROM search_docs WHERE doc_key = ${docKey}
      ON CONFLICT (conversation_id) DO UPDATE SET doc_key = excluded.doc_key, tsv = excluded.tsv`.execute(db);
  },
};
