// The query language parser: syntax, precedence, signs, pure exclusions, malformed queries, complexity caps.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, MAX_QUERY_TERMS, characterAt, collectPositiveTerms, parseQuery, type QueryNode } from './parse.ts';

/** A compact, position-free rendering of the AST, so precedence tests read like the queries they check. */
function show(node: QueryNode | null): string {
  if (!node) return '∅';
  switch (node.type) {
    case 'term':
      return node.text;
    case 'phrase':
      return `"${node.words.join(' ')}"`;
    case 'all':
      return '*ALL*';
    case 'not':
      return `-${show(node.child)}`;
    case 'and':
      return `and(${node.children.map(show).join(', ')})`;
    case 'or':
      return `or(${node.children.map(show).join(', ')})`;
  }
}
const p = (q: string) => show(parseQuery(q));

/** The invariant the compilers rely on: every `not` is a child of an `and` that also has a non-`not` child. */
function checkInvariant(node: QueryNode, parent: QueryNode | null = null): void {
  if (node.type === 'not') {
    expect(parent?.type).toBe('and');
    expect((parent as { children: QueryNode[] }).children.some((c) => c.type !== 'not')).toBe(true);
    checkInvariant(node.child, node);
  }
  if (node.type === 'and' || node.type === 'or') {
    expect(node.children.length).toBeGreaterThan(1);
    for (const c of node.children) {
      expect(c.type === node.type, 'nested same-type groups are flattened').toBe(false);
      checkInvariant(c, node);
    }
  }
  if (node.type === 'all') expect(parent?.type).toBe('and');
}

function failure(q: string): { message: string; details: Record<string, unknown> } {
  try {
    parseQuery(q);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details?.reason).toBe('INVALID_QUERY');
    return { message: err.message, details: err.details ?? {} };
  }
  throw new Error(`expected "${q}" to be rejected`);
}

describe('parseQuery: the examples of the issue', () => {
  it('(problem OR issue) AND xyzCompany', () => {
    expect(parseQuery('(problem OR issue) AND xyzCompany')).toEqual({
      type: 'and',
      children: [
        {
          type: 'or',
          children: [
            { type: 'term', text: 'problem', position: 1 },
            { type: 'term', text: 'issue', position: 12 },
          ],
        },
        { type: 'term', text: 'xyzCompany', position: 23 },
      ],
    });
  });

  it('+billing +"internet bill"', () => {
    expect(parseQuery('+billing +"internet bill"')).toEqual({
      type: 'and',
      children: [
        { type: 'term', text: 'billing', position: 1 },
        { type: 'phrase', words: ['internet', 'bill'], position: 10 },
      ],
    });
  });

  it('NOT "interested in" is everything except the phrase', () => {
    expect(parseQuery('NOT "interested in"')).toEqual({
      type: 'and',
      children: [{ type: 'all' }, { type: 'not', child: { type: 'phrase', words: ['interested', 'in'], position: 4 } }],
    });
  });

  it('terms, "exact phrases", +must and -exclude together', () => {
    expect(p('refund "cancel my account" +billing -chargeback')).toBe('and(refund, "cancel my account", billing, -chargeback)');
  });

  it('keeps surface forms: case and punctuation are the analyzer’s business', () => {
    expect(parseQuery('Helping John@Example.COM')).toEqual({
      type: 'and',
      children: [
        { type: 'term', text: 'Helping', position: 0 },
        { type: 'term', text: 'John@Example.COM', position: 8 },
      ],
    });
  });
});

describe('parseQuery: empty queries', () => {
  it.each(['', '   ', '\t\n', '+', '-', ' - + ', '+ -'])('%j is no full-text condition (null)', (q) => {
    expect(parseQuery(q)).toBeNull();
  });
});

describe('parseQuery: juxtaposition and precedence (NOT > AND > OR)', () => {
  it.each([
    // juxtaposition means AND: every word must appear
    ['billing refund', 'and(billing, refund)'],
    ['billing AND refund', 'and(billing, refund)'],
    ['a b c', 'and(a, b, c)'],
    ['a AND b c', 'and(a, b, c)'],
    // AND (explicit or implied) binds tighter than OR
    ['a OR b c', 'or(a, and(b, c))'],
    ['a b OR c', 'or(and(a, b), c)'],
    ['a AND b OR c AND d', 'or(and(a, b), and(c, d))'],
    ['a OR b OR c', 'or(a, b, c)'],
    // NOT binds tighter than AND and OR, and applies to one operand
    ['NOT a b', 'and(-a, b)'],
    ['a NOT b', 'and(a, -b)'],
    ['a AND NOT b', 'and(a, -b)'],
    ['NOT a OR b', 'or(and(*ALL*, -a), b)'],
    ['a OR NOT b', 'or(a, and(*ALL*, -b))'],
    ['NOT (a OR b)', 'and(*ALL*, -or(a, b))'],
    ['NOT NOT a', 'a'],
    ['NOT NOT NOT a', 'and(*ALL*, -a)'],
    // parentheses override
    ['(a OR b) c', 'and(or(a, b), c)'],
    ['a (b OR c) d', 'and(a, or(b, c), d)'],
    ['(a OR b) AND (c OR d)', 'and(or(a, b), or(c, d))'],
    ['(a b)', 'and(a, b)'],
    ['((a))', 'a'],
    ['((a OR b) (c OR (d e)))', 'and(or(a, b), or(c, and(d, e)))'],
    ['(a (b (c (d OR e))))', 'and(a, b, c, or(d, e))'],
    ['a OR (b OR c)', 'or(a, b, c)'],
  ])('%s → %s', (q, expected) => {
    expect(p(q)).toBe(expected);
  });
});

describe('parseQuery: operators are UPPERCASE only', () => {
  it.each([
    ['billing and refund', 'and(billing, and, refund)'],
    ['billing or refund', 'and(billing, or, refund)'],
    ['not interested', 'and(not, interested)'],
    ['And Or Not', 'and(And, Or, Not)'],
    ['ANDROID ORDER NOTE', 'and(ANDROID, ORDER, NOTE)'],
    ['"AND OR NOT"', '"AND OR NOT"'],
    ['+AND', 'AND'],
    ['-NOT', 'and(*ALL*, -NOT)'],
    ['a -OR b', 'and(a, -OR, b)'],
  ])('%s → %s', (q, expected) => {
    expect(p(q)).toBe(expected);
  });
});

describe('parseQuery: + and - signs', () => {
  it.each([
    ['+billing', 'billing'],
    ['-refund', 'and(*ALL*, -refund)'],
    ['billing -refund', 'and(billing, -refund)'],
    ['+billing -refund', 'and(billing, -refund)'],
    ['+"internet bill"', '"internet bill"'],
    ['-"interested in" billing', 'and(-"interested in", billing)'],
    ['-(refund OR chargeback) billing', 'and(-or(refund, chargeback), billing)'],
    ['+(refund OR chargeback)', 'or(refund, chargeback)'],
    ['(problem OR issue) billing -refund', 'and(or(problem, issue), billing, -refund)'],
    // a sign inside a word is part of the word
    ['follow-up e-mail', 'and(follow-up, e-mail)'],
    ['a+b', 'a+b'],
    // what follows a sign is read literally, up to white space, a quote or a parenthesis
    ['--refund', 'and(*ALL*, --refund)'], // excludes the word "-refund"
    ['+-refund', '-refund'], // requires the word "-refund" (the analyzer reads it as "refund")
    ['-NOT', 'and(*ALL*, -NOT)'],
    // a lone sign (white space, ')' or the end after it) is punctuation and ignored
    ['billing - refund', 'and(billing, refund)'],
    ['billing + refund', 'and(billing, refund)'],
    ['billing -', 'billing'],
    ['(billing -) refund', 'and(billing, refund)'],
    ['billing AND - refund', 'and(billing, refund)'],
    // a sign binds to one operand, tighter than AND and OR
    ['a OR -b', 'or(a, and(*ALL*, -b))'],
    ['-a OR -b', 'or(and(*ALL*, -a), and(*ALL*, -b))'],
    ['NOT -a', 'a'],
    ['-a -b', 'and(*ALL*, -a, -b)'],
    ['(-a) b', 'and(-a, b)'],
    ['-(-a)', 'a'],
    ['-(-a -b)', 'or(a, b)'],
    ['NOT (NOT a OR b)', 'and(*ALL*, -or(and(*ALL*, -a), b))'],
  ])('%s → %s', (q, expected) => {
    expect(p(q)).toBe(expected);
  });

  it('+-refund is the word "-refund", not an exclusion', () => {
    expect(parseQuery('+-refund')).toEqual({ type: 'term', text: '-refund', position: 1 });
  });

  it('positions point at the word after the sign and at the opening quote', () => {
    expect(parseQuery('+billing -"internet bill"')).toEqual({
      type: 'and',
      children: [
        { type: 'term', text: 'billing', position: 1 },
        { type: 'not', child: { type: 'phrase', words: ['internet', 'bill'], position: 10 } },
      ],
    });
  });
});

describe('parseQuery: phrases', () => {
  it('splits the words on any white space and keeps operators and signs inside as words', () => {
    expect(p('"  cancel\tmy   account "')).toBe('"cancel my account"');
    expect(p('"a OR b -c (d)"')).toBe('"a OR b -c (d)"');
  });

  it('accepts typographic quotes (pasted from a document)', () => {
    expect(p('\u201Ccancel my account\u201D billing')).toBe('and("cancel my account", billing)');
    expect(p('\u201Eshipping address\u201C')).toBe('"shipping address"');
  });

  it('a quote ends a word: a"b c" is a word and a phrase', () => {
    expect(p('a"b c"')).toBe('and(a, "b c")');
  });

  it('a one-word phrase is still a phrase node (the compiler treats it as the word)', () => {
    expect(parseQuery('"refund"')).toEqual({ type: 'phrase', words: ['refund'], position: 0 });
  });
});

describe('parseQuery: a query that only excludes means "everything except"', () => {
  it.each([
    ['-refund', 'and(*ALL*, -refund)'],
    ['NOT x', 'and(*ALL*, -x)'],
    ['-refund -chargeback', 'and(*ALL*, -refund, -chargeback)'],
    ['NOT refund NOT chargeback', 'and(*ALL*, -refund, -chargeback)'],
    ['(-refund)', 'and(*ALL*, -refund)'],
    ['-refund OR billing', 'or(and(*ALL*, -refund), billing)'],
  ])('%s → %s', (q, expected) => {
    expect(p(q)).toBe(expected);
  });

  it('keeps the invariant: every `not` has a positive or `all` sibling in an `and`', () => {
    for (const q of ['-a', 'NOT a', 'a OR -b', '-(-a OR -b) -c', 'NOT (NOT a OR b)', '(-a) (-b)', 'x OR (y -z) OR -w']) {
      checkInvariant(parseQuery(q)!);
    }
  });
});

describe('parseQuery: malformed queries say where', () => {
  it.each([
    // unbalanced quotes
    ['billing "internet bill', 'Unbalanced quote: the phrase starting at character 9 is never closed', 8],
    ['"abc', 'Unbalanced quote: the phrase starting at character 1 is never closed', 0],
    ['a "b c" "d', 'Unbalanced quote: the phrase starting at character 9 is never closed', 8],
    ['-"refund', 'Unbalanced quote: the phrase starting at character 2 is never closed', 1],
    ['(a "b)', 'Unbalanced quote: the phrase starting at character 4 is never closed', 3],
    // unbalanced parentheses, both directions
    ['(problem OR issue) AND xyzCompany)', "Unbalanced parenthesis: ')' at character 34 has no matching '('", 33],
    ['problem OR issue) AND x', "Unbalanced parenthesis: ')' at character 17 has no matching '('", 16],
    [')', "Unbalanced parenthesis: ')' at character 1 has no matching '('", 0],
    ['(problem OR issue AND x', "Unbalanced parenthesis: '(' at character 1 is never closed", 0],
    ['a ((b) c', "Unbalanced parenthesis: '(' at character 3 is never closed", 2],
    ['-(refund', "Unbalanced parenthesis: '(' at character 2 is never closed", 1],
    [')(', "Unbalanced parenthesis: ')' at character 1 has no matching '('", 0],
    // dangling operators
    ['billing AND', 'AND at character 9 has nothing after it', 8],
    ['billing OR', 'OR at character 9 has nothing after it', 8],
    ['OR refund', 'OR at character 1 has nothing before it', 0],
    ['AND refund', 'AND at character 1 has nothing before it', 0],
    ['NOT', 'NOT at character 1 has nothing after it', 0],
    ['billing NOT', 'NOT at character 9 has nothing after it', 8],
    ['a AND NOT', 'NOT at character 7 has nothing after it', 6],
    ['NOT NOT', 'NOT at character 5 has nothing after it', 4],
    ['(a AND) b', 'AND at character 4 has nothing after it', 3],
    ['(OR a) b', 'OR at character 2 has nothing before it', 1],
    ['a (b OR)', 'OR at character 6 has nothing after it', 5],
    ['AND OR', 'AND at character 1 has nothing before it', 0],
    ['a AND OR b', 'AND at character 3 is directly followed by OR at character 7; put a search term between them', 2],
    ['a OR AND b', 'OR at character 3 is directly followed by AND at character 6; put a search term between them', 2],
    ['a OR OR b', 'OR at character 3 is directly followed by OR at character 6; put a search term between them', 2],
    ['a NOT OR b', 'NOT at character 3 is directly followed by OR at character 7; put a search term between them', 2],
    ['billing AND -', 'AND at character 9 has nothing after it', 8],
    // empty groups and phrases
    ['()', 'Empty parentheses at character 1: put a search term between them or remove them', 0],
    ['billing ( ) refund', 'Empty parentheses at character 9: put a search term between them or remove them', 8],
    ['a AND ()', 'Empty parentheses at character 7: put a search term between them or remove them', 6],
    ['(a ())', 'Empty parentheses at character 4: put a search term between them or remove them', 3],
    ['-()', 'Empty parentheses at character 2: put a search term between them or remove them', 1],
    ['( - )', 'Empty parentheses at character 1: put a search term between them or remove them', 0],
    ['billing ""', 'Empty phrase: the quotes at character 9 contain no words; put words between them or remove them', 8],
    ['"   "', 'Empty phrase: the quotes at character 1 contain no words; put words between them or remove them', 0],
  ])('%j → %s', (q, message, position) => {
    const { message: m, details } = failure(q);
    expect(m).toBe(message);
    expect(details.position).toBe(position);
    expect(details.character).toBe(position + 1);
  });

  it('names the problem for clients that word it themselves', () => {
    expect(failure('"a').details.problem).toBe('UNBALANCED_QUOTE');
    expect(failure('(a').details.problem).toBe('UNBALANCED_PARENTHESIS');
    expect(failure('a)').details.problem).toBe('UNBALANCED_PARENTHESIS');
    expect(failure('a AND').details).toMatchObject({ problem: 'DANGLING_OPERATOR', operator: 'AND' });
    expect(failure('()').details.problem).toBe('EMPTY_PARENTHESES');
    expect(failure('""').details.problem).toBe('EMPTY_PHRASE');
  });

  it('a quote is checked before parentheses, and parentheses before operators', () => {
    expect(failure('(a "b').message).toMatch(/^Unbalanced quote/);
    expect(failure('AND (a').message).toMatch(/^Unbalanced parenthesis/);
    expect(failure('"(" a)').message).toBe("Unbalanced parenthesis: ')' at character 6 has no matching '('");
  });

  it('counts characters, not UTF-16 units: an emoji before the error counts once', () => {
    const { message, details } = failure('😀 billing AND');
    expect(message).toBe('AND at character 11 has nothing after it');
    expect(details.position).toBe(11);
    expect(details.character).toBe(11);
    expect(characterAt('😀x', 2)).toBe(2);
  });
});

describe('parseQuery: complexity caps', () => {
  const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it(`accepts ${MAX_QUERY_TERMS} terms and refuses one more, saying where`, () => {
    expect(parseQuery(words(MAX_QUERY_TERMS).join(' '))).not.toBeNull();
    const q = words(MAX_QUERY_TERMS + 1).join(' ');
    const { message, details } = failure(q);
    const at = q.indexOf(`w${MAX_QUERY_TERMS}`);
    expect(message).toBe(`Too many search terms: at most 64 words are allowed, and the query reaches 65 at character ${at + 1}`);
    expect(details).toMatchObject({ problem: 'TOO_MANY_TERMS', position: at, limit: MAX_QUERY_TERMS });
  });

  it('counts the words of phrases and excluded words too', () => {
    expect(parseQuery(`"${words(MAX_QUERY_TERMS).join(' ')}"`)).not.toBeNull();
    expect(failure(`"${words(MAX_QUERY_TERMS + 1).join(' ')}"`).details.problem).toBe('TOO_MANY_TERMS');
    expect(failure(`${words(40).join(' ')} ${words(25, '-x').join(' ')}`).details.problem).toBe('TOO_MANY_TERMS');
  });

  it(`accepts ${MAX_QUERY_DEPTH} levels of parentheses and refuses a ${MAX_QUERY_DEPTH + 1}th`, () => {
    const nest = (n: number) => '('.repeat(n) + 'a' + ')'.repeat(n);
    expect(p(nest(MAX_QUERY_DEPTH))).toBe('a');
    const { message, details } = failure(`x ${nest(MAX_QUERY_DEPTH + 1)}`);
    expect(message).toBe("Too deeply nested: the '(' at character 19 opens level 17; at most 16 levels of parentheses are allowed");
    expect(details).toMatchObject({ problem: 'TOO_DEEP', position: 18, limit: MAX_QUERY_DEPTH });
  });

  it('long chains of NOT and signs do not recurse (no stack growth) and simplify', () => {
    expect(p('NOT '.repeat(300) + 'a')).toBe('a');
    expect(p('NOT '.repeat(301) + 'a')).toBe('and(*ALL*, -a)');
  });

  it(`refuses a query longer than ${MAX_QUERY_LENGTH} characters`, () => {
    const { message, details } = failure('a '.repeat(1001) + 'b');
    expect(message).toBe(`The query is too long: 2003 characters, at most ${MAX_QUERY_LENGTH} are allowed`);
    expect(details).toMatchObject({ problem: 'TOO_LONG', limit: MAX_QUERY_LENGTH });
  });
});

describe('parseQuery: robustness', () => {
  // A seeded generator of token soup: every input either parses into a well-formed AST or is refused with
  // INVALID_QUERY — never another exception.
  function rng(seed: number) {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
  }
  const pieces = ['a', 'b', 'AND', 'OR', 'NOT', 'and', '(', ')', '"', '-', '+', '-x', '+y', ' ', ' ', ' ', '"p q"', '*', ':', "'", '\\', '😀'];

  it('parses or refuses 3,000 random queries without any other error', () => {
    const next = rng(42);
    let parsed = 0;
    let refused = 0;
    for (let n = 0; n < 3000; n++) {
      const len = 1 + Math.floor(next() * 12);
      let q = '';
      for (let i = 0; i < len; i++) q += pieces[Math.floor(next() * pieces.length)] + (next() < 0.5 ? ' ' : '');
      try {
        const ast = parseQuery(q);
        if (ast) checkInvariant(ast);
        parsed++;
      } catch (e) {
        expect(e, q).toBeInstanceOf(DomainError);
        expect((e as DomainError).details?.reason).toBe('INVALID_QUERY');
        expect(typeof (e as DomainError).details?.position).toBe('number');
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});

describe('collectPositiveTerms', () => {
  it.each([
    ['billing refund', ['billing', 'refund'], []],
    ['+billing +"internet bill"', ['billing'], [['internet', 'bill']]],
    ['(problem OR issue) AND xyzCompany -refund', ['problem', 'issue', 'xyzCompany'], []],
    ['NOT "interested in"', [], []],
    ['-refund', [], []],
    ['NOT (a OR -b) c', ['b', 'c'], []],
    ['-(-"a b")', [], [['a', 'b']]],
    ['billing billing "a b" "a b" Billing', ['billing', 'Billing'], [['a', 'b']]],
  ])('%s highlights %j and %j', (q, terms, phrases) => {
    expect(collectPositiveTerms(parseQuery(q))).toEqual({ terms, phrases });
  });

  it('is empty for an empty query', () => {
    expect(collectPositiveTerms(null)).toEqual({ terms: [], phrases: [] });
  });
});
