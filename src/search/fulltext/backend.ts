// A full-text engine behind the Conversations search. The search repository and the indexer talk to this interface
// only; each engine keeps its syntax, tables and plan quirks in its own file (sqlite-fts5.ts, postgres-tsvector.ts),
// and `fullTextFor` (index.ts) picks one. What stays outside, shared by every engine: the analyzer (both engines
// index the same terms), the query normalisation (query/compile.ts), the document key (index/document.ts: start
// time order, so a period is a key range and "newest first" is the index's order) and every filter condition.
//
// A third engine (e.g. OpenSearch, past one PostgreSQL) would implement the same members; its `match` would have to
// bring keys back from outside the database (a keyset over doc_key), which this interface does not need yet.
import type { Expression, ExpressionBuilder, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { ReadOptions } from '../../platform/db/read-pool.ts';
import type { ConversationsTable, Database, SearchDocsTable } from '../../platform/db/schema.ts';
import type { IndexedTerms, Speaker } from '../index/document.ts';
import type { CompiledQuery, TermsFor } from '../query/compile.ts';
import type { QueryNode } from '../query/parse.ts';

/** The expression builder of the search's conditions on `conversations c`. */
export type ConversationsEB = ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>;

/** `search_docs d` joined to `conversations c`, restricted to the documents that match. */
export type MatchFrom = SelectQueryBuilder<Database & { c: ConversationsTable; d: SearchDocsTable }, 'c' | 'd', object>;

export interface TextMatch {
  /** FROM + WHERE, with the tenant and key range applied; the caller adds the filters, order and limit. */
  from: MatchFrom;
  /** The document key in the engine's index (order by it, descending, for newest first). */
  key: RawBuilder<number>;
  /** Relevance: lower is better. */
  score: RawBuilder<number>;
  /** How the read pool should plan statements built on this match (the page, the relevance window, the count). */
  readOptions: ReadOptions;
}

/** The key range of the time period (null bounds are open), and whether the search has filters of the user's own
 * beyond who may see what and the period (an engine may then drive the match from the filtered conversations). */
/** The searched period of a custom-data value's start: from inclusive, to exclusive, null for no bound. */
export interface ValuePeriod {
  from: Date | null;
  to: Date | null;
}

export interface MatchRange {
  lo: number | null;
  hi: number | null;
  filtered?: boolean;
}

export interface FullTextBackend {
  readonly name: 'sqlite-fts5' | 'postgres-tsvector';

  // ---- queries
  /**
   * The query AST in this engine's syntax (see query/compile.ts for the kinds of result); with `saidBy`, every word
   * must be in that speaker's part of the document (index/document.ts).
   */
  compile(ast: QueryNode | null, termsFor: TermsFor, saidBy?: Speaker | null): CompiledQuery;
  /**
   * Documents whose text matches `query`, driven by the full-text index in key order so that a page stops early;
   * `keys` is the key range of the time period (MatchRange). May ask the database first (PostgreSQL: the
   * planner's estimate of the match decides the statement's shape).
   */
  match(db: Executor, query: string, tenantId: string, keys: MatchRange): TextMatch | Promise<TextMatch>;
  /** Conversations whose text matches, as a condition on `c` (the search puts it under NOT for "every conversation except"). */
  matchesConversation(eb: ConversationsEB, query: string): Expression<SqlBool>;
  /**
   * Row ids of `conversation_field_values` whose value may contain `needle` (already folded), from the engine's
   * substring index (or `known`, the ones containsRows read); at least those of values started in `period` (the index
   * may bound its read by it). The caller reads those value rows and checks their field, period and value. Null: no
   * such index, the LIKE runs by itself.
   */
  containsCandidates(needle: string, period: ValuePeriod, known?: readonly number[]): RawBuilder<number> | null;
  /**
   * Optional: the candidate row ids of containsCandidates for `needle` and `period` when they are at most `limit` (read
   * with a bound on the index: null when there are more, or no substring index). Given back to containsCandidates as
   * `known`, the statement reads those rows instead of the index again; src/search/service.ts, searchReads.
   */
  containsRows?(db: Executor, needle: string, period: ValuePeriod, limit: number): Promise<number[] | null>;
  /**
   * Optional: whether at most `limit` documents of the key range match `query`, answered by a bounded read of the
   * index (false when the engine cannot bound it for this query). A search that matches few runs in process rather
   * than on a read worker (src/search/service.ts, searchReads).
   */
  fewMatches?(db: Executor, query: string, keys: { lo: number | null; hi: number | null }, limit: number): Promise<boolean>;

  // ---- documents
  /** The `search_docs` columns this engine keeps the terms in (none when they live in a table of its own). */
  docColumns(terms: IndexedTerms): Record<string, unknown>;
  /**
   * Stores the terms in the engine's own index after the `search_docs` row is written; `oldKey` is the key the
   * document had (its terms are dropped first). Removing a document is the row's deletion: engines follow it.
   */
  writeTerms(db: Executor, docKey: number, oldKey: number | null, terms: IndexedTerms): Promise<void>;
}
