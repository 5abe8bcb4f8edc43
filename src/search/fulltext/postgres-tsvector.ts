// PostgreSQL tsvector + GIN as the full-text engine. The terms of a document are the `tsv` column of search_docs
// (migration 0006): our analyzer's terms at their positions, written as a tsvector literal, so no PostgreSQL parser
// or dictionary is involved and both engines index the same terms. Its quirks, all here:
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
import type { FullTextBackend } from './backend.ts';

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
 * The planner estimates a match well on search_docs alone (tsvector statistics) but not joined to conversations:
 * the period is on both sides (the document key is the start time), it multiplies the two selectivities and expects
 * a few hundred matches where there are tens of thousands — then sorting them all looks cheaper than walking the
 * keys newest first and stopping at the page (measured at 1 M: 0.9–3 s against 20–60 ms). So ask for the estimate on
 * search_docs alone (a plan without running it, well under a millisecond), and when it is large forbid the sort:
 * the plan walks the key index backwards.
 * A rare term keeps the planner's choice (the GIN index, then a sort of few rows).
 */
async function walkKeysIfCommon(trx: Executor, query: string, tenantId: string, lo: number | null, hi: number | null) {
  const range = sql.join(
    [
      sql`tenant_id = ${tenantId}`,
      sql`tsv @@ ${query}::tsquery`,
      ...(lo !== null ? [sql`doc_key >= ${lo}`] : []),
      ...(hi !== null ? [sql`doc_key <= ${hi}`] : []),
    ],
    sql` AND `,
  );
  const { rows } = await sql<{
    'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }>;
  }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM search_docs WHERE ${range}`.execute(trx);
  const estimate = rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0;
  if (estimate < WALK_KEYS_MIN_MATCHES) return;
  await sql`SET LOCAL enable_sort = off`.execute(trx);
}

export const postgresTsvector: FullTextBackend = {
  name: 'postgres-tsvector',
  compile: toTsquery,

  match(db, query, tenantId, { lo, hi }) {
    let q = db
      .selectFrom('search_docs as d')
      .innerJoin('conversations as c', 'c.id', 'd.conversation_id')
      .where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`)
      .where('d.tenant_id', '=', tenantId);
    if (lo !== null) q = q.where('d.doc_key', '>=', lo);
    if (hi !== null) q = q.where('d.doc_key', '<=', hi);
    return {
      from: q,
      key: sql<number>`d.doc_key`,
      score: sql<number>`(-ts_rank('{1,1,1,1}', d.tsv, ${query}::tsquery))`,
      // Nested loops walk the newest matching documents and stop at the page.
      readOptions: { nestedLoops: true, prepare: (trx) => walkKeysIfCommon(trx, query, tenantId, lo, hi) },
    };
  },

  matchesConversation: (eb, query) =>
    eb.exists(
      eb
        .selectFrom('search_docs as d')
        .select('d.doc_key')
        .whereRef('d.conversation_id', '=', 'c.id')
        .where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`),
    ),

  containsCandidates: () => null,

  docColumns: (terms) => ({ tsv: sql`${tsvectorLiteral(terms.parts)}::tsvector` }),

  // The terms are the row's tsv column (docColumns); nothing else to write.
  writeTerms: async () => {},
};
