// SQLite FTS5 as the full-text engine (the embedded default). The terms of a document live in the contentless FTS5
// table `search_fts` (rowid = the document key; columns body, agent, customer — the document's parts — since migration
// 0013; its tokenizer splits on white space only, so the analyzer's terms stay whole), joined to conversations on their
// copy of the key (conversations.doc_key, 0020). Its quirks, all here:
// - "said by" is a column filter; the FIELD_GAP term between fields keeps phrases inside one field (FTS5 phrases need
//   adjacent tokens, and a column of its own per utterance or message is not possible: columns are fixed);
// - queries are FTS5 MATCH strings: every term quoted, NOT binary, no OR inside a phrase (phrases are spelled out);
// - the planner must be told the join order (CROSS JOIN): FTS5 first, walking its doclists in rowid = key order and
//   stopping at the LIMIT; relevance is bm25;
// - the table is not a column of search_docs: it is written after the row, and a trigger deletes from it;
// - custom-data "contains" has an FTS5 trigram table (migration 0009) as its candidate set.
import { sql, type SqlBool } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import { compileQuery, type Expr } from '../query/compile.ts';
import type { QueryNode } from '../query/parse.ts';
import type { TermsFor, CompiledQuery } from '../query/compile.ts';
import { secondKeyRange, type Speaker } from '../index/document.ts';
import type { FullTextBackend, MatchFrom, ValuePeriod } from './backend.ts';

/** Keys of custom_value_keys per start second (migration 0056): key = second × VALUE_KEY_SLOTS + slot, or −rowid. */
export const VALUE_KEY_SLOTS = 1048576;

/** The key range holding every value started in the period (bounds inclusive; null: unbounded). Values keyed below
 * zero are read apart (trigramKeys). */
export const valueKeyRange = ({ from, to }: ValuePeriod) => secondKeyRange(from, to, VALUE_KEY_SLOTS);

/**
 * Keys of the values whose folded text may contain `needle`, of the period's range and of the keys below zero (values
 * without a start time, or past their second's slots: never in a range, so read with every bounded one).
 */
function trigramKeys(needle: string, period: ValuePeriod) {
  const match = sql<SqlBool>`custom_value_trigrams MATCH ${fts5String(needle)}`;
  const { lo, hi } = valueKeyRange(period);
  if (lo === null && hi === null) return sql`(SELECT rowid AS key FROM custom_value_trigrams WHERE ${match})`;
  const range = sql.join(
    [match, ...(lo !== null ? [sql<SqlBool>`rowid >= CAST(${lo} AS INTEGER)`] : []), ...(hi !== null ? [sql<SqlBool>`rowid <= CAST(${hi} AS INTEGER)`] : [])],
    sql` AND `,
  );
  return sql`(SELECT rowid AS key FROM custom_value_trigrams WHERE ${range} UNION ALL SELECT rowid FROM custom_value_trigrams WHERE ${match} AND rowid < 0)`;
}

/** A MATCH string of one term: one FTS5 string without white space (terms never hold any; a phrase does). */
const ONE_TERM = /^"(?:[^"\s]|"")+"$/;

/** At most this many spellings of one phrase once each word's alternatives are multiplied out (FTS5 has no OR inside a phrase). */
export const MAX_PHRASE_VARIANTS = 64;

/** An FTS5 string: double quotes around, inner double quotes doubled. Inside it, AND/OR/NOT/NEAR, `*`, `^`, `:`,
 * parentheses and column filters are plain text handed to the tokenizer, never syntax. */
export function fts5String(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function phraseVariants({ words, surface, position }: { words: string[][]; surface: string; position: number }): string[][] {
  let variants: string[][] = [[]];
  for (const alts of words) {
    if (variants.length * alts.length > MAX_PHRASE_VARIANTS) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `The phrase "${surface}" has too many word forms to search (more than ${MAX_PHRASE_VARIANTS} combinations); shorten it`,
        { reason: 'INVALID_QUERY', problem: 'TOO_MANY_TERMS', position, limit: MAX_PHRASE_VARIANTS },
      );
    }
    variants = variants.flatMap((v) => alts.map((a) => [...v, a]));
  }
  return variants;
}

function renderFts5(e: Expr): string {
  const wrap = (x: Expr) => {
    const s = renderFts5(x);
    const leaf = x.op === 'term' || (x.op === 'phrase' && x.words.every((w) => w.length === 1));
    return leaf ? s : `(${s})`;
  };
  switch (e.op) {
    case 'term':
      return fts5String(e.term);
    case 'phrase':
      // One FTS5 string holds the whole phrase; alternatives are multiplied out into an OR of phrases.
      return phraseVariants(e)
        .map((v) => fts5String(v.join(' ')))
        .join(' OR ');
    case 'and':
      return e.xs.map(wrap).join(' AND ');
    case 'or':
      return e.xs.map(wrap).join(' OR ');
    case 'andNot':
      return `${wrap(e.pos)} NOT ${wrap(e.neg)}`;
  }
}

/** The FTS5 MATCH expression (see query/compile.ts for how to use each kind of result); `saidBy` keeps the whole
 * expression to that speaker's column (`{customer} : (…)`), NOT included. */
export function toFts5(ast: QueryNode | null, termsFor: TermsFor, saidBy: Speaker | null = null): CompiledQuery {
  const c = compileQuery(ast, termsFor, renderFts5);
  return saidBy && (c.kind === 'match' || c.kind === 'allExcept') ? Object.assign({}, c, { query: `{${saidBy}} : (${c.query})` }) : c;
}

export const sqliteFts5: FullTextBackend = {
  name: 'sqlite-fts5',
  compile: toFts5,

  match(db, query, tenantId, { lo, hi }) {
    // CROSS JOIN fixes the join order in SQLite: FTS5 first (it walks its doclists in rowid order and stops at LIMIT),
    // then the conversation through its copy of the key (one unique index, migration 0020).
    let q = db
      .selectFrom(sql`search_fts`.as('f') as never)
      .crossJoin('conversations as c')
      .where(sql<SqlBool>`search_fts MATCH ${query}`)
      .where(sql<SqlBool>`c.doc_key = f.rowid`)
      .where('c.tenant_id', '=', tenantId);
    // The bounds as INTEGER: FTS5 uses a rowid bound only when its value is an integer, and better-sqlite3 binds a
    // JavaScript number as a REAL; FTS5 then read the term's whole doclist and SQLite dropped the keys out of range.
    if (lo !== null) q = q.where(sql<SqlBool>`f.rowid >= CAST(${lo} AS INTEGER)`);
    if (hi !== null) q = q.where(sql<SqlBool>`f.rowid <= CAST(${hi} AS INTEGER)`);
    // The CROSS JOIN already fixes the plan.
    return { from: q as unknown as MatchFrom, key: sql<number>`f.rowid`, score: sql<number>`bm25(search_fts)`, readOptions: {} };
  },

  // Not `c.doc_key IN (…)` alone: a conversation not indexed yet (no key) must count as not matching, not as unknown.
  matchesConversation: (eb, query) =>
    eb.and([eb('c.doc_key', 'is not', null), eb('c.doc_key', 'in', sql<number>`(SELECT rowid FROM search_fts WHERE search_fts MATCH ${query})`)]),

  containsCandidates(needle, period, known) {
    // The trigram index as a phrase query: a needle of n ≥ 3 characters is its n − 2 trigrams at consecutive positions,
    // answered from the index's position lists alone, between the period's keys (migration 0056: a value's key orders
    // it by start time). The value rows' ids come from the keys' table; the caller reads each value row by its id and
    // checks its field, period and value there. Trigram folding only widens the candidates: the caller's LIKE decides.
    if ([...needle].length < 3) return null;
    if (known) return sql<number>`(SELECT value FROM json_each(${JSON.stringify(known)}))`;
    return sql<number>`(SELECT value_id FROM custom_value_keys WHERE key IN ${trigramKeys(needle, period)})`;
  },

  async containsRows(db, needle, period, limit) {
    // The same read, stopped after limit + 1 keys (FTS5 walks the trigrams' position lists in key order).
    if ([...needle].length < 3) return null;
    const { rows } = await sql<{ value_id: number }>`SELECT value_id FROM custom_value_keys
      WHERE key IN (SELECT key FROM ${trigramKeys(needle, period)} LIMIT ${limit + 1})`.execute(db);
    return rows.length > limit ? null : rows.map((r) => r.value_id);
  },

  async fewMatches(db, query, { lo, hi }, limit) {
    // One term only: FTS5 walks its doclist in key order and the LIMIT stops it after limit + 1 entries, so this costs
    // at most that many entries. A phrase or an AND of common words can read far to find few matches: not answered.
    if (!ONE_TERM.test(query)) return false;
    const range = [
      ...(lo !== null ? [sql<SqlBool>`rowid >= CAST(${lo} AS INTEGER)`] : []),
      ...(hi !== null ? [sql<SqlBool>`rowid <= CAST(${hi} AS INTEGER)`] : []),
    ];
    const where = sql.join([sql<SqlBool>`search_fts MATCH ${query}`, ...range], sql` AND `);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT rowid FROM search_fts WHERE ${where} LIMIT ${limit + 1})`.execute(db);
    return Number(rows[0]?.n ?? Infinity) <= limit;
  },

  docColumns: () => ({}),

  async writeTerms(db, docKey, oldKey, { parts }) {
    if (oldKey !== null) await sql`DELETE FROM search_fts WHERE rowid = ${oldKey}`.execute(db);
    await sql`INSERT INTO search_fts(rowid, body, agent, customer) VALUES (${docKey}, ${parts.body.join(' ')}, ${parts.agent.join(' ')}, ${parts.customer.join(' ')})`.execute(
      db,
    );
  },
};
