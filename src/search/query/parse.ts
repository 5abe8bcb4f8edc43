// The full-text query language of the Conversations search box: a parser from the text a supervisor types to an AST.
//
// Syntax (see docs in README.md beside this file for the reasoning):
//   billing refund          juxtaposition = AND: every word must appear ("all words" default)
//   "internet bill"         exact phrase (words adjacent, in order); “curly” and „low“ quotes work too
//   +billing  +"a phrase"   required: the same as a plain term under the AND default (kept because users type it)
//   -refund   -"a phrase"   excluded; also -(a OR b). No space after the sign: a lone + or - is ignored
//   a AND b, a OR b, NOT a  operators only in UPPERCASE; and/or/not in lower case are ordinary words
//   ( ... )                 grouping
//   precedence: NOT (and +/-) > AND (explicit or implied) > OR
//
// The AST keeps the words in surface form (as typed); case folding, stop words and stemming are the analyzer's
// job, applied by the compilers through an injected `termsFor` callback (compile.ts).
//
// Invariant the compilers rely on: a `not` node only ever appears as a child of an `and` node that also has a
// positive child or the `{ type: 'all' }` node. A query (or a parenthesised group, or an OR operand) made only of
// exclusions therefore reads `and[all, not x, not y]` = "every conversation except those with x or y".
import { DomainError } from '../../platform/errors.ts';

export interface TermNode {
  type: 'term';
  /** The word as typed (surface form), e.g. "Helping" or "john@example.com". */
  text: string;
  /** Reserved for prefix search (`help*`), which is not part of the language: `*` is an ordinary character. */
  prefix?: false;
  /** 0-based offset of the word in the query (after any + or - sign). */
  position: number;
}
export interface PhraseNode {
  type: 'phrase';
  /** The words between the quotes, split on white space, in surface form. Never empty. */
  words: string[];
  /** 0-based offset of the opening quote. */
  position: number;
}
export interface AndNode {
  type: 'and';
  children: QueryNode[];
}
export interface OrNode {
  type: 'or';
  children: QueryNode[];
}
export interface NotNode {
  type: 'not';
  child: QueryNode;
}
/** Every conversation: the left side of a query or group that only excludes (`-refund`, `NOT x`). */
export interface AllNode {
  type: 'all';
}
export type QueryNode = TermNode | PhraseNode | AndNode | OrNode | NotNode | AllNode;

/** At most this many words (terms plus the words of phrases, excluded ones included) in one query. */
export const MAX_QUERY_TERMS = 64;
/** At most this many levels of nested parentheses. */
export const MAX_QUERY_DEPTH = 16;
/** At most this many characters (UTF-16 code units) in one query. */
export const MAX_QUERY_LENGTH = 2000;

/** What went wrong, for clients that want their own wording (the message is already English and says where). */
export type QueryProblem =
  'UNBALANCED_QUOTE' | 'UNBALANCED_PARENTHESIS' | 'DANGLING_OPERATOR' | 'EMPTY_PARENTHESES' | 'EMPTY_PHRASE' | 'TOO_MANY_TERMS' | 'TOO_DEEP' | 'TOO_LONG';

/**
 * The error thrown for a malformed query: VALIDATION_FAILED (HTTP 400) with
 * details `{ reason: 'INVALID_QUERY', problem, position, character, ...}` where `position` is the 0-based offset
 * into the query string (UTF-16, as `String.prototype.slice` counts) and `character` the 1-based character number
 * (Unicode code points) that the message shows.
 */
export function queryError(input: string, problem: QueryProblem, position: number, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION_FAILED', message, {
    reason: 'INVALID_QUERY',
    problem,
    position,
    character: characterAt(input, position),
    ...extra,
  });
}

/** 1-based character number (in code points, so an emoji counts once) of a 0-based UTF-16 offset. */
export function characterAt(input: string, position: number): number {
  let n = 0;
  for (const _ of input.slice(0, position)) n++;
  return n + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type OpName = 'AND' | 'OR' | 'NOT';
type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'phrase'; words: string[]; pos: number }
  | { kind: 'op'; op: OpName; pos: number }
  | { kind: 'sign'; sign: '+' | '-'; pos: number }
  | { kind: 'lparen'; pos: number }
  | { kind: 'rparen'; pos: number }
  | { kind: 'eof'; pos: number };

const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']); // " “ ” „
const isSpace = (c: string) => /\s/u.test(c);
const isDelimiter = (c: string) => isSpace(c) || QUOTES.has(c) || c === '(' || c === ')';

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;

  const readWord = (start: number): { text: string; end: number } => {
    let j = start;
    while (j < n && !isDelimiter(input[j])) j++;
    return { text: input.slice(start, j), end: j };
  };
  const readPhrase = (start: number): { words: string[]; end: number } => {
    let j = start + 1;
    while (j < n && !QUOTES.has(input[j])) j++;
    if (j >= n) {
      throw queryError(input, 'UNBALANCED_QUOTE', start, `Unbalanced quote: the phrase starting at character ${characterAt(input, start)} is never closed`);
    }
    const words = input
      .slice(start + 1, j)
      .split(/\s+/u)
      .filter((w) => w.length > 0);
    if (words.length === 0) {
      throw queryError(
        input,
        'EMPTY_PHRASE',
        start,
        `Empty phrase: the quotes at character ${characterAt(input, start)} contain no words; put words between them or remove them`,
      );
    }
    return { words, end: j + 1 };
  };

  while (i < n) {
    const c = input[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      tokens.push({ kind: 'lparen', pos: i });
      i++;
      continue;
    }
    if (c === ')') {
      tokens.push({ kind: 'rparen', pos: i });
      i++;
      continue;
    }
    if (QUOTES.has(c)) {
      const p = readPhrase(i);
      tokens.push({ kind: 'phrase', words: p.words, pos: i });
      i = p.end;
      continue;
    }
    if (c === '+' || c === '-') {
      const next = input[i + 1];
      // A lone sign (end of query, white space or ')' after it) is punctuation, not an operator: ignored.
      if (next === undefined || isSpace(next) || next === ')') {
        i++;
        continue;
      }
      tokens.push({ kind: 'sign', sign: c, pos: i });
      i++;
      // What follows a sign is read literally: a phrase, a group, or a word (never an operator: `-NOT` excludes the word "NOT").
      if (QUOTES.has(next)) {
        const p = readPhrase(i);
        tokens.push({ kind: 'phrase', words: p.words, pos: i });
        i = p.end;
      } else if (next === '(') {
        tokens.push({ kind: 'lparen', pos: i });
        i++;
      } else {
        const w = readWord(i);
        tokens.push({ kind: 'word', text: w.text, pos: i });
        i = w.end;
      }
      continue;
    }
    const w = readWord(i);
    if (w.text === 'AND' || w.text === 'OR' || w.text === 'NOT') tokens.push({ kind: 'op', op: w.text, pos: i });
    else tokens.push({ kind: 'word', text: w.text, pos: i });
    i = w.end;
  }
  tokens.push({ kind: 'eof', pos: n });
  return tokens;
}

function checkParentheses(input: string, tokens: Token[]): void {
  const open: number[] = [];
  for (const t of tokens) {
    if (t.kind === 'lparen') open.push(t.pos);
    else if (t.kind === 'rparen') {
      if (open.length === 0) {
        throw queryError(input, 'UNBALANCED_PARENTHESIS', t.pos, `Unbalanced parenthesis: ')' at character ${characterAt(input, t.pos)} has no matching '('`);
      }
      open.pop();
    }
  }
  if (open.length > 0) {
    const pos = open[0];
    throw queryError(input, 'UNBALANCED_PARENTHESIS', pos, `Unbalanced parenthesis: '(' at character ${characterAt(input, pos)} is never closed`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AST builders (keep the invariant documented at the top)

function negate(node: QueryNode): QueryNode {
  if (node.type === 'not') return node.child;
  // NOT (everything except x and y) = x OR y
  if (node.type === 'and' && node.children[0].type === 'all') {
    return makeOr(node.children.slice(1).map((c) => (c as NotNode).child));
  }
  return { type: 'not', child: node };
}

function makeAnd(parts: QueryNode[]): QueryNode {
  const flat: QueryNode[] = [];
  for (const p of parts) {
    if (p.type === 'and') flat.push(...p.children);
    else flat.push(p);
  }
  const positive = flat.filter((c) => c.type !== 'not' && c.type !== 'all');
  const negative = flat.filter((c) => c.type === 'not');
  if (positive.length === 0) return { type: 'and', children: [{ type: 'all' }, ...negative] };
  const children = flat.filter((c) => c.type !== 'all');
  return children.length === 1 ? children[0] : { type: 'and', children };
}

function makeOr(parts: QueryNode[]): QueryNode {
  const flat: QueryNode[] = [];
  for (const p of parts) {
    if (p.type === 'or') flat.push(...p.children);
    else flat.push(p);
  }
  return flat.length === 1 ? flat[0] : { type: 'or', children: flat };
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: recursive descent over  or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := NOT* primary ;
// primary := word | phrase | sign primary | '(' or ')'

class Parser {
  private i = 0;
  private terms = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryNode {
    const node = this.parseOr(null);
    // Parentheses are balanced (checked before), so parseOr at depth 0 only stops at the end.
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private ch(pos: number): number {
    return characterAt(this.input, pos);
  }

  private parseOr(before: Token | null): QueryNode {
    const parts = [this.parseAnd(before)];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || t.op !== 'OR') break;
      this.next();
      parts.push(this.parseAnd(t));
    }
    return makeOr(parts);
  }

  private parseAnd(before: Token | null): QueryNode {
    const parts = [this.parseUnary(before)];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && t.op === 'AND') {
        this.next();
        parts.push(this.parseUnary(t));
      } else if (t.kind === 'word' || t.kind === 'phrase' || t.kind === 'sign' || t.kind === 'lparen' || (t.kind === 'op' && t.op === 'NOT')) {
        parts.push(this.parseUnary(null)); // juxtaposition = AND
      } else {
        break; // OR, ')' or the end
      }
    }
    return makeAnd(parts);
  }

  private parseUnary(before: Token | null): QueryNode {
    let nots = 0;
    let op = before;
    while (this.peek().kind === 'op' && (this.peek() as { op: OpName }).op === 'NOT') {
      op = this.next();
      nots++;
    }
    const t = this.peek();
    if (t.kind === 'eof' || t.kind === 'rparen' || t.kind === 'op') {
      const opName = (x: Token) => (x as { op: OpName }).op;
      if (op && t.kind === 'op') {
        throw queryError(
          this.input,
          'DANGLING_OPERATOR',
          op.pos,
          `${opName(op)} at character ${this.ch(op.pos)} is directly followed by ${t.op} at character ${this.ch(t.pos)}; put a search term between them`,
          { operator: opName(op) },
        );
      }
      if (op) {
        throw queryError(this.input, 'DANGLING_OPERATOR', op.pos, `${opName(op)} at character ${this.ch(op.pos)} has nothing after it`, {
          operator: opName(op),
        });
      }
      // At the start of the query or of a group: AND / OR with no left operand.
      if (t.kind === 'op') {
        throw queryError(this.input, 'DANGLING_OPERATOR', t.pos, `${t.op} at character ${this.ch(t.pos)} has nothing before it`, { operator: t.op });
      }
      /* c8 ignore next */
      throw queryError(this.input, 'DANGLING_OPERATOR', t.pos, `Expected a search term at character ${this.ch(t.pos)}`);
    }
    const node = this.parsePrimary();
    return nots % 2 === 1 ? negate(node) : node;
  }

  private parsePrimary(): QueryNode {
    const t = this.next();
    switch (t.kind) {
      case 'sign': {
        // The tokenizer guarantees a word, phrase or '(' right after the sign.
        const node = this.parsePrimary();
        return t.sign === '-' ? negate(node) : node;
      }
      case 'word':
        this.count(t.pos, 1);
        return { type: 'term', text: t.text, position: t.pos };
      case 'phrase':
        this.count(t.pos, t.words.length);
        return { type: 'phrase', words: t.words, position: t.pos };
      case 'lparen': {
        this.depth++;
        if (this.depth > MAX_QUERY_DEPTH) {
          throw queryError(
            this.input,
            'TOO_DEEP',
            t.pos,
            `Too deeply nested: the '(' at character ${this.ch(t.pos)} opens level ${this.depth}; at most ${MAX_QUERY_DEPTH} levels of parentheses are allowed`,
            { limit: MAX_QUERY_DEPTH },
          );
        }
        if (this.peek().kind === 'rparen') {
          throw queryError(
            this.input,
            'EMPTY_PARENTHESES',
            t.pos,
            `Empty parentheses at character ${this.ch(t.pos)}: put a search term between them or remove them`,
          );
        }
        const node = this.parseOr(null);
        this.next(); // the matching ')' (balance was checked before parsing)
        this.depth--;
        return node;
      }
      /* c8 ignore next 2 */
      default:
        throw queryError(this.input, 'DANGLING_OPERATOR', t.pos, `Expected a search term at character ${this.ch(t.pos)}`);
    }
  }

  private count(pos: number, n: number): void {
    this.terms += n;
    if (this.terms > MAX_QUERY_TERMS) {
      throw queryError(
        this.input,
        'TOO_MANY_TERMS',
        pos,
        `Too many search terms: at most ${MAX_QUERY_TERMS} words are allowed, and the query reaches ${this.terms} at character ${this.ch(pos)}`,
        { limit: MAX_QUERY_TERMS },
      );
    }
  }
}

/**
 * Parses the text of the search box. Returns null for an empty query (only white space, or only lone + / - signs):
 * no full-text condition at all. Throws a VALIDATION_FAILED DomainError (reason INVALID_QUERY) for a malformed one.
 */
export function parseQuery(input: string): QueryNode | null {
  if (input.length > MAX_QUERY_LENGTH) {
    throw queryError(input, 'TOO_LONG', MAX_QUERY_LENGTH, `The query is too long: ${input.length} characters, at most ${MAX_QUERY_LENGTH} are allowed`, {
      limit: MAX_QUERY_LENGTH,
    });
  }
  const tokens = tokenize(input);
  if (tokens.length === 1) return null; // only the end
  checkParentheses(input, tokens);
  return new Parser(input, tokens).parse();
}

/** The words and phrases to highlight: every term and phrase that is not excluded (under an even number of NOTs). */
export function collectPositiveTerms(ast: QueryNode | null): { terms: string[]; phrases: string[][] } {
  const terms: string[] = [];
  const phrases: string[][] = [];
  const seenTerms = new Set<string>();
  const seenPhrases = new Set<string>();
  const walk = (node: QueryNode, positive: boolean): void => {
    switch (node.type) {
      case 'term':
        if (positive && !seenTerms.has(node.text)) {
          seenTerms.add(node.text);
          terms.push(node.text);
        }
        return;
      case 'phrase': {
        const key = node.words.join('\u0000');
        if (positive && !seenPhrases.has(key)) {
          seenPhrases.add(key);
          phrases.push(node.words);
        }
        return;
      }
      case 'and':
      case 'or':
        for (const c of node.children) walk(c, positive);
        return;
      case 'not':
        walk(node.child, !positive);
        return;
      case 'all':
        return;
    }
  };
  if (ast) walk(ast, true);
  return { terms, phrases };
}
