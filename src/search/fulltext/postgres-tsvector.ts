// PostgreSQL tsvector + GIN as the full-text engine. The terms of a document are the `tsv` column of search_docs
// (migration 0006): our analyzer's terms at their positions, written as a tsvector literal, so no PostgreSQL parser
// or dictionary is involved and both engines index the same terms. Its quirks, all here:
// - queries are tsquery strings cast with ::tsquery (phrases keep their alternatives in place with <->);
// - positions stop at 16,383 and a lexeme keeps 256 of them (see tsvectorLiteral); relevance is ts_rank;
// - statements on a match are planned with nested loops only (matchReadOptions): the planner misestimates a match
//   joined to conversations under a period and its hash join reads the whole period (docs/search.md).
// Custom-data "contains" needs nothing here: a pg_trgm GIN index (migration 0009) serves the LIKE itself.
import { sql, type SqlBool } from 'kysely';
import { compileQuery, type CompiledQuery, type Expr, type TermsFor } from '../query/compile.ts';
import type { QueryNode } from '../query/parse.ts';
import type { FullTextBackend } from './backend.ts';

/** A tsquery lexeme: single quotes around, inner quotes doubled and backslashes escaped, so `&`, `|`, `!`, `:*`,
 * `<->`, `(` and `)` inside are plain text handed to the text-search parser. */
export function tsqueryString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function renderTsquery(e: Expr): string {
  const wrap = (x: Expr) => (x.op === 'term' ? renderTsquery(x) : `(${renderTsquery(x)})`);
  switch (e.op) {
    case 'term':
      return tsqueryString(e.term);
    case 'phrase':
      return e.words.map((alts) => (alts.length === 1 ? tsqueryString(alts[0]) : `(${alts.map(tsqueryString).join(' | ')})`)).join(' <-> ');
    case 'and':
      return e.xs.map(wrap).join(' & ');
    case 'or':
      return e.xs.map(wrap).join(' | ');
    case 'andNot':
      return `${wrap(e.pos)} & !${wrap(e.neg)}`;
  }
}

/** The string for PostgreSQL `::tsquery` (see query/compile.ts for how to use each kind of result). */
export function toTsquery(ast: QueryNode | null, termsFor: TermsFor): CompiledQuery {
  return compileQuery(ast, termsFor, renderTsquery);
}

// PostgreSQL keeps positions 1…16383 and at most 256 positions per lexeme: a phrase that occurs only beyond them is
// found by SQLite and not by PostgreSQL (documents of over 16,000 words). Single terms are unaffected.
const PG_MAX_POSITION = 16_383;
const PG_MAX_POSITIONS_PER_LEXEME = 256;

/** The terms as a tsvector literal: `'help':1,4 'john@example.com':2`, quotes and backslashes escaped. */
export function tsvectorLiteral(terms: readonly string[]): string {
  const positions = new Map<string, number[]>();
  terms.forEach((term, i) => {
    let list = positions.get(term);
    if (!list) positions.set(term, (list = []));
    const p = Math.min(i + 1, PG_MAX_POSITION);
    if (list.length < PG_MAX_POSITIONS_PER_LEXEME && list[list.length - 1] !== p) list.push(p);
  });
  const out: string[] = [];
  for (const [term, list] of positions) out.push(`'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${list.join(',')}`);
  return out.join(' ');
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
    return { from: q, key: sql<number>`d.doc_key`, score: sql<number>`(-ts_rank(d.tsv, ${query}::tsquery))` };
  },
  // Nested loops walk the newest matching documents and stop at the page.
  matchReadOptions: { nestedLoops: true },

  matchesConversation: (eb, query) =>
    eb.exists(
      eb
        .selectFrom('search_docs as d')
        .select('d.doc_key')
        .whereRef('d.conversation_id', '=', 'c.id')
        .where(sql<SqlBool>`d.tsv @@ ${query}::tsquery`),
    ),

  containsCandidates: () => null,

  docColumns: (terms) => ({ tsv: sql`${tsvectorLiteral(terms)}::tsvector` }),

  // The terms are the row's tsv column (docColumns); nothing else to write.
  writeTerms: async () => {},
};
