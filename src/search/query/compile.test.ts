// The compilers: golden FTS5 MATCH expressions and to_tsquery strings, term alternatives, stop words, pure
// exclusions, and injection attempts compiled into harmless quoted terms.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { toTsquery, tsqueryString } from '../fulltext/postgres-tsvector.ts';
import { MAX_PHRASE_VARIANTS, fts5String, toFts5 } from '../fulltext/sqlite-fts5.ts';
import type { CompiledQuery, TermsFor } from './compile.ts';
import { parseQuery } from './parse.ts';

/** The trivial analyzer: lower-case; a word without any letter or digit is not searchable. */
const lower: TermsFor = (w) => (/[\p{L}\p{N}]/u.test(w) ? [w.toLowerCase()] : []);

/** A toy analyzer with stop words (indexed, so phrases keep them) and two words with an extra stemmed form. */
const STOP = new Set(['the', 'in', 'a']);
const STEMS: Record<string, string> = { helping: 'help', bills: 'bill' };
const analyzer: TermsFor = (w, { inPhrase }) => {
  const t = lower(w, { inPhrase });
  if (t.length === 0) return [];
  const word = t[0];
  if (!inPhrase && STOP.has(word)) return [];
  return STEMS[word] ? [word, STEMS[word]] : [word];
};

const fts = (q: string, termsFor: TermsFor = lower) => toFts5(parseQuery(q), termsFor);
const tsq = (q: string, termsFor: TermsFor = lower) => toTsquery(parseQuery(q), termsFor);
const brief = (c: CompiledQuery) => ('query' in c ? `${c.kind}: ${c.query}` : c.kind);

describe('golden: FTS5 and tsquery for a table of queries', () => {
  it.each([
    // query | FTS5 | tsquery
    ['billing', 'match: "billing"', "match: 'billing'"],
    ['Billing REFUND', 'match: "billing" AND "refund"', "match: 'billing' & 'refund'"],
    ['(problem OR issue) AND xyzCompany', 'match: ("problem" OR "issue") AND "xyzcompany"', "match: ('problem' | 'issue') & 'xyzcompany'"],
    ['+billing +"internet bill"', 'match: "billing" AND "internet bill"', "match: 'billing' & ('internet' <-> 'bill')"],
    ['NOT "interested in"', 'allExcept: "interested in"', "allExcept: 'interested' <-> 'in'"],
    ['-refund', 'allExcept: "refund"', "allExcept: 'refund'"],
    ['-refund -chargeback', 'allExcept: "refund" OR "chargeback"', "allExcept: 'refund' | 'chargeback'"],
    ['billing -refund -chargeback', 'match: "billing" NOT ("refund" OR "chargeback")', "match: 'billing' & !('refund' | 'chargeback')"],
    [
      '(problem OR issue) AND billing -refund',
      'match: (("problem" OR "issue") AND "billing") NOT "refund"',
      "match: (('problem' | 'issue') & 'billing') & !'refund'",
    ],
    ['a OR b c', 'match: "a" OR ("b" AND "c")', "match: 'a' | ('b' & 'c')"],
    ['a b OR c', 'match: ("a" AND "b") OR "c"', "match: ('a' & 'b') | 'c'"],
    ['a OR -b', 'allExcept: "b" NOT "a"', "allExcept: 'b' & !'a'"],
    ['-a OR -b', 'allExcept: "a" AND "b"', "allExcept: 'a' & 'b'"],
    ['-a OR -b OR c OR d', 'allExcept: ("a" AND "b") NOT ("c" OR "d")', "allExcept: ('a' & 'b') & !('c' | 'd')"],
    ['NOT (a OR b) c', 'match: "c" NOT ("a" OR "b")', "match: 'c' & !('a' | 'b')"],
    ['a (b OR -c)', 'match: "a" NOT ("c" NOT "b")', "match: 'a' & !('c' & !'b')"],
    ['-"a b" c', 'match: "c" NOT "a b"', "match: 'c' & !('a' <-> 'b')"],
    ['NOT NOT a', 'match: "a"', "match: 'a'"],
    ['and or not', 'match: "and" AND "or" AND "not"', "match: 'and' & 'or' & 'not'"],
    ['"Cancel My Account"', 'match: "cancel my account"', "match: 'cancel' <-> 'my' <-> 'account'"],
    ['"refund"', 'match: "refund"', "match: 'refund'"],
    ['"internet bill" OR "phone bill"', 'match: "internet bill" OR "phone bill"', "match: ('internet' <-> 'bill') | ('phone' <-> 'bill')"],
    ['((a OR b) (c OR (d e)))', 'match: ("a" OR "b") AND ("c" OR ("d" AND "e"))', "match: ('a' | 'b') & ('c' | ('d' & 'e'))"],
  ])('%s', (q, expectedFts, expectedTs) => {
    expect(brief(fts(q))).toBe(expectedFts);
    expect(brief(tsq(q))).toBe(expectedTs);
  });

  it('an empty query (null AST) is no text condition', () => {
    expect(toFts5(null, lower)).toEqual({ kind: 'all', ignored: [] });
    expect(toTsquery(null, lower)).toEqual({ kind: 'all', ignored: [] });
  });
});

describe('golden: injection attempts become harmless quoted terms', () => {
  it.each([
    // FTS5 syntax: column filters, NEAR, prefix *, initial-token ^, + and -, braces
    ['title:x', 'match: "title:x"', "match: 'title:x'"],
    ['{body}:x', 'match: "{body}:x"', "match: '{body}:x'"],
    ['-title:x', 'allExcept: "title:x"', "allExcept: 'title:x'"],
    ['NEAR(a b)', 'match: "near" AND "a" AND "b"', "match: 'near' & 'a' & 'b'"],
    ['"a NEAR b"', 'match: "a near b"', "match: 'a' <-> 'near' <-> 'b'"],
    ['refund*', 'match: "refund*"', "match: 'refund*'"],
    ['^refund', 'match: "^refund"', "match: '^refund'"],
    ['a+b', 'match: "a+b"', "match: 'a+b'"],
    // tsquery syntax: quotes, backslash, &, |, !, :*, <->, weights
    ["it's", 'match: "it\'s"', "match: 'it''s'"],
    ["'refund'", 'match: "\'refund\'"', "match: '''refund'''"],
    ['a&b|c!d', 'match: "a&b|c!d"', "match: 'a&b|c!d'"],
    ['!refund', 'match: "!refund"', "match: '!refund'"],
    ['refund:*', 'match: "refund:*"', "match: 'refund:*'"],
    ['refund:A', 'match: "refund:a"', "match: 'refund:a'"],
    ['a<->b', 'match: "a<->b"', "match: 'a<->b'"],
    ['a\\b', 'match: "a\\b"', "match: 'a\\\\b'"],
    ["x\\' | y", 'match: "x\\\'" AND "y"', "match: 'x\\\\''' & 'y'"],
    // SQL in the box is just words; words without letters or digits are not searchable
    ["'; DROP TABLE x; --", 'match: "drop" AND "table" AND "x;"', "match: 'drop' & 'table' & 'x;'"],
    ['* & | ! :', 'none', 'none'],
  ])('%s', (q, expectedFts, expectedTs) => {
    expect(brief(fts(q))).toBe(expectedFts);
    expect(brief(tsq(q))).toBe(expectedTs);
  });

  it('escapes quotes inside terms, whatever the analyzer returns', () => {
    expect(fts5String('say "hi"')).toBe('"say ""hi"""');
    expect(tsqueryString("o'brien \\ x")).toBe("'o''brien \\\\ x'");
    const weird: TermsFor = () => ['say "hi"', "o'brien"];
    expect(brief(fts('x', weird))).toBe('match: "say ""hi""" OR "o\'brien"');
    expect(brief(tsq('x', weird))).toBe("match: 'say \"hi\"' | 'o''brien'");
    expect(brief(fts('"x y"', weird))).toBe('match: "say ""hi"" say ""hi""" OR "say ""hi"" o\'brien" OR "o\'brien say ""hi""" OR "o\'brien o\'brien"');
  });
});

describe('term alternatives and stop words (the analyzer contract)', () => {
  it.each([
    // several terms for one word: OR
    ['helping', 'match: "helping" OR "help"', "match: 'helping' | 'help'"],
    ['helping billing', 'match: ("helping" OR "help") AND "billing"', "match: ('helping' | 'help') & 'billing'"],
    ['-helping', 'allExcept: "helping" OR "help"', "allExcept: 'helping' | 'help'"],
    ['billing -helping', 'match: "billing" NOT ("helping" OR "help")', "match: 'billing' & !('helping' | 'help')"],
    // a phrase: FTS5 has no OR inside a phrase, so the spellings are multiplied out; tsquery keeps the OR in place
    [
      '"helping the bills"',
      'match: "helping the bills" OR "helping the bill" OR "help the bills" OR "help the bill"',
      "match: ('helping' | 'help') <-> 'the' <-> ('bills' | 'bill')",
    ],
    ['"helping you" billing', 'match: ("helping you" OR "help you") AND "billing"', "match: (('helping' | 'help') <-> 'you') & 'billing'"],
    // stop words are dropped from AND and OR groups; phrases keep them (they are indexed)
    ['the AND manager', 'match: "manager"', "match: 'manager'"],
    ['the manager', 'match: "manager"', "match: 'manager'"],
    ['the OR manager', 'match: "manager"', "match: 'manager'"],
    ['manager NOT the', 'match: "manager"', "match: 'manager'"],
    ['the -refund', 'allExcept: "refund"', "allExcept: 'refund'"],
    ['"interested in"', 'match: "interested in"', "match: 'interested' <-> 'in'"],
    ['"the"', 'match: "the"', "match: 'the'"],
    // only stop words: nothing to search → nothing matches; only excluded stop words → no condition
    ['the', 'none', 'none'],
    ['the OR a', 'none', 'none'],
    ['-the', 'all', 'all'],
    ['NOT (-the)', 'none', 'none'],
    // punctuation inside a phrase takes no position (the analyzer does not index it either)
    ['"cancel - now"', 'match: "cancel now"', "match: 'cancel' <-> 'now'"],
    ['"- -"', 'none', 'none'],
  ])('%s', (q, expectedFts, expectedTs) => {
    expect(brief(fts(q, analyzer))).toBe(expectedFts);
    expect(brief(tsq(q, analyzer))).toBe(expectedTs);
  });

  it('passes { inPhrase } to termsFor and reports the words it dropped', () => {
    const calls: string[] = [];
    const spy: TermsFor = (w, ctx) => {
      calls.push(`${w}:${ctx.inPhrase}`);
      return analyzer(w, ctx);
    };
    const result = toFts5(parseQuery('the billing "in the" - "cancel - now" -a'), spy);
    expect(calls).toEqual(['the:false', 'billing:false', 'in:true', 'the:true', 'cancel:true', '-:true', 'now:true', 'a:false']);
    expect(result).toEqual({ kind: 'match', query: '"billing" AND "in the" AND "cancel now"', ignored: ['the', '-', 'a'] });
  });

  it('deduplicates alternatives', () => {
    const dup: TermsFor = (w) => [w, w, w.toLowerCase()];
    expect(brief(fts('Refund', dup))).toBe('match: "Refund" OR "refund"');
    expect(brief(tsq('refund', dup))).toBe("match: 'refund'");
  });

  it(`refuses a phrase whose spellings multiply past ${MAX_PHRASE_VARIANTS}`, () => {
    const many: TermsFor = (w) => ['1', '2', '3', '4', '5'].map((s) => w + s);
    expect(() => fts('"a b"', many)).not.toThrow();
    try {
      fts('x "a b c"', many);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('VALIDATION_FAILED');
      expect((e as DomainError).message).toBe('The phrase "a b c" has too many word forms to search (more than 64 combinations); shorten it');
      expect((e as DomainError).details).toMatchObject({ reason: 'INVALID_QUERY', position: 2 });
    }
    // PostgreSQL expresses the alternatives in place: no blow-up
    expect(brief(tsq('"a b c"', many))).toMatch(/^match: \('a1' \| 'a2'/);
  });
});
