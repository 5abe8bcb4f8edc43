// Normalises the query AST (parse.ts) into the positive shapes every full-text engine can run; each engine renders
// them in its own syntax (src/search/fulltext/: an SQLite FTS5 MATCH expression, a PostgreSQL tsquery string).
// One normalisation for all engines means that, given the same indexed terms, they select the same rows by
// construction; the cross-backend tests check it against real engines.
//
// Contract with the analyzer (injected as `termsFor`, so this module does not depend on it):
// - `termsFor(word, { inPhrase: false })` returns the indexed terms that a typed word should find, as alternatives
//   (e.g. the exact surface form and the stem): they are combined with OR. An empty array means "not searchable"
//   (a stop word, or punctuation): the word is dropped from its AND / OR group and the query stays valid
//   (`the AND manager` = `manager`; `NOT the` is ignored). A query left with nothing searchable matches nothing
//   (kind 'none'), like PostgreSQL and the contact-center products we compared; `ignored` lists the dropped words
//   so the UI can say why.
// - `termsFor(word, { inPhrase: true })` returns the term(s) indexed at that word's position. Assumption: the
//   analyzer indexes stop words (they occupy a position) and returns them here, so `"interested in"` is a real
//   phrase. A phrase word for which it still returns [] (punctuation such as the "-" in `"a - b"`) is assumed to
//   produce no token at index time either, so it is skipped without leaving a gap. FTS5 phrases cannot express
//   gaps, which is why gaps are never needed under this contract.
// - Each returned term must be one token for the backend's tokenizer (the analyzer emits lower-case words, e-mail
//   addresses and ids); a term with no token characters (e.g. "*") would be an empty phrase, which FTS5 treats as
//   "no match" and PostgreSQL silently drops, so the analyzer must not return one.
//
// Result, for both backends:
//   { kind: 'match', query }      rows whose text matches `query`            FTS5: `WHERE fts MATCH :query`
//   { kind: 'allExcept', query }  every row except those matching `query`    FTS5: `WHERE rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH :query)`
//                                 (a query that only excludes: `-refund`)    PG:   `WHERE NOT (tsv @@ to_tsquery('simple', :query))`
//   { kind: 'all' }               no text condition (null AST, or only exclusions of stop words, e.g. `-the`)
//   { kind: 'none' }              nothing can match (every word was a stop word, e.g. `the`)
// FTS5's NOT is binary (`a NOT b`), so exclusions are rewritten: `a -b -c` → `"a" NOT ("b" OR "c")`, and an OR with
// an excluded operand is turned around with De Morgan: `a OR -b` → allExcept `"b" NOT "a"`. PostgreSQL gets the
// same shapes (`'a' & !('b' | 'c')`), not its unary `!` at the top, so both backends run the same plan shapes.
import type { QueryNode } from './parse.ts';

export type TermsFor = (word: string, context: { inPhrase: boolean }) => readonly string[];

export type CompiledQuery =
  | { kind: 'match'; query: string; ignored: string[] }
  | { kind: 'allExcept'; query: string; ignored: string[] }
  | { kind: 'all'; ignored: string[] }
  | { kind: 'none'; ignored: string[] };

// ---------------------------------------------------------------------------------------------------------------
// Normalisation: AST → positive expression (Pos), complement of one (Neg), everything, nothing, or neutral (Empty).

/** A positive boolean expression over indexed terms: what an engine's renderer turns into its query text. */
export type Expr =
  | { op: 'term'; term: string }
  | { op: 'phrase'; words: string[][]; surface: string; position: number } // words[i]: alternative terms at position i (≥ 1); ≥ 2 positions
  | { op: 'and'; xs: Expr[] }
  | { op: 'or'; xs: Expr[] }
  | { op: 'andNot'; pos: Expr; neg: Expr };

type Value =
  | { k: 'pos'; e: Expr }
  | { k: 'neg'; e: Expr } // every row except those matching e
  | { k: 'all' }
  | { k: 'none' }
  | { k: 'empty' }; // nothing searchable (stop words): neutral in AND and OR

const and = (xs: Expr[]): Expr => (xs.length === 1 ? xs[0] : { op: 'and', xs });
const or = (xs: Expr[]): Expr => (xs.length === 1 ? xs[0] : { op: 'or', xs });

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function complement(v: Value): Value {
  switch (v.k) {
    case 'pos':
      return { k: 'neg', e: v.e };
    case 'neg':
      return { k: 'pos', e: v.e };
    case 'all':
      return { k: 'none' };
    case 'none':
      return { k: 'all' };
    case 'empty':
      return v;
  }
}

function normalise(ast: QueryNode, termsFor: TermsFor, ignored: string[]): Value {
  const ignore = (w: string) => {
    if (!ignored.includes(w)) ignored.push(w);
  };
  const alternatives = (terms: string[]): Expr => or(terms.map((term) => ({ op: 'term', term })));

  const visit = (node: QueryNode): Value => {
    switch (node.type) {
      case 'all':
        return { k: 'all' };
      case 'term': {
        const terms = uniq(termsFor(node.text, { inPhrase: false }));
        if (terms.length === 0) {
          ignore(node.text);
          return { k: 'empty' };
        }
        return { k: 'pos', e: alternatives(terms) };
      }
      case 'phrase': {
        const words: string[][] = [];
        for (const w of node.words) {
          const terms = uniq(termsFor(w, { inPhrase: true }));
          if (terms.length === 0) ignore(w);
          else words.push(terms);
        }
        if (words.length === 0) return { k: 'empty' };
        if (words.length === 1) return { k: 'pos', e: alternatives(words[0]) };
        return { k: 'pos', e: { op: 'phrase', words, surface: node.words.join(' '), position: node.position } };
      }
      case 'not':
        return complement(visit(node.child));
      case 'and': {
        const pos: Expr[] = [];
        const neg: Expr[] = [];
        let all = false;
        for (const c of node.children) {
          const v = visit(c);
          if (v.k === 'none') return v; // x AND nothing = nothing
          if (v.k === 'pos') pos.push(v.e);
          else if (v.k === 'neg') neg.push(v.e);
          else if (v.k === 'all') all = true;
        }
        // p1 ∧ p2 ∧ ¬n1 ∧ ¬n2 = (p1 ∧ p2) NOT (n1 ∨ n2);   ¬n1 ∧ ¬n2 = all except (n1 ∨ n2)
        if (pos.length > 0) return { k: 'pos', e: neg.length ? { op: 'andNot', pos: and(pos), neg: or(neg) } : and(pos) };
        if (neg.length > 0) return { k: 'neg', e: or(neg) };
        return all ? { k: 'all' } : { k: 'empty' };
      }
      case 'or': {
        const pos: Expr[] = [];
        const neg: Expr[] = [];
        let none = false;
        for (const c of node.children) {
          const v = visit(c);
          if (v.k === 'all') return v; // x OR everything = everything
          if (v.k === 'pos') pos.push(v.e);
          else if (v.k === 'neg') neg.push(v.e);
          else if (v.k === 'none') none = true;
        }
        // ¬n1 ∨ ¬n2 ∨ p1 ∨ p2 = all except ((n1 ∧ n2) NOT (p1 ∨ p2))
        if (neg.length > 0) return { k: 'neg', e: pos.length ? { op: 'andNot', pos: and(neg), neg: or(pos) } : and(neg) };
        if (pos.length > 0) return { k: 'pos', e: or(pos) };
        return none ? { k: 'none' } : { k: 'empty' };
      }
    }
  };
  return visit(ast);
}

/** Normalises the AST and renders the result with an engine's renderer (src/search/fulltext/). */
export function compileQuery(ast: QueryNode | null, termsFor: TermsFor, render: (e: Expr) => string): CompiledQuery {
  const ignored: string[] = [];
  if (!ast) return { kind: 'all', ignored };
  const v = normalise(ast, termsFor, ignored);
  switch (v.k) {
    case 'pos':
      return { kind: 'match', query: render(v.e), ignored };
    case 'neg':
      return { kind: 'allExcept', query: render(v.e), ignored };
    case 'all':
      return { kind: 'all', ignored };
    case 'none':
    case 'empty':
      return { kind: 'none', ignored };
  }
}
