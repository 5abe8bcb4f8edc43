// The custom data "regex" operator's engine: RE2 semantics through re2js (linear in the value's length whatever the
// pattern), and the same pattern spelled for PostgreSQL's ~*. Kept apart from custom-data.ts so the SQLite read
// workers, which register it as a SQL function, load only this (and start fast).
import { compileLinearRegex, type LinearRegex } from '../../platform/text/linear-regex.ts';
import { filterError } from './errors.ts';

export const REGEX_MAX_LENGTH = 200;

/**
 * A user's regular expression, checked once: `test` runs it with RE2 semantics (re2js: linear in the value's length
 * whatever the pattern, so no pattern can freeze a search worker); `postgres` is the same pattern in PostgreSQL's
 * syntax (for `~*`, which backtracks: there the search's statement_timeout is the fence, docs/search.md).
 */
export interface UserRegex {
  readonly source: string;
  readonly postgres: string;
  test(value: string): boolean;
}

/**
 * The syntax both engines read the same way: RE2's, without what PostgreSQL's ARE lacks or reads differently (Unicode
 * classes \p, \Q…\E, named groups, inline flags, \x and octal escapes). Returns the PostgreSQL spelling (\b, \B and
 * \z are \y, \Y and \Z there) or throws. Lookaround and backreferences are refused with their own reason: RE2 cannot
 * run them in linear time.
 */
function portableRegex(source: string, field: string): string {
  const unsupported = (what: string) =>
    filterError(
      'UNSUPPORTED_REGEX',
      `This regular expression uses ${what}, which the search does not support: searches run regular expressions in linear time (RE2 syntax) without lookaround or backreferences`,
      field,
    );
  const notPortable = (what: string) =>
    filterError(
      'UNSUPPORTED_REGEX',
      `This regular expression uses ${what}, which the search does not support; write the characters or a class such as [a-z] instead`,
      field,
    );
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      i++;
      if (/[1-9]/.test(e) || e === 'k') throw unsupported('a backreference');
      if (/[0]/.test(e)) throw notPortable('an octal escape');
      if (e === 'p' || e === 'P') throw notPortable('a Unicode class (\\p)');
      if (e === 'x') throw notPortable('a hexadecimal escape (\\x)');
      if (e === 'Q' || e === 'E') throw notPortable('a quoted run (\\Q…\\E)');
      if (e === 'C') throw notPortable('\\C');
      if (!inClass && e === 'b') out += '\\y';
      else if (!inClass && e === 'B') out += '\\Y';
      else if (!inClass && e === 'z') out += '\\Z';
      else out += c + e;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const close = source.indexOf(':]', i + 2);
        if (close > 0) {
          out += source.slice(i, close + 2);
          i = close + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ] right after [ or [^ is a literal.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (/^[=!]/.test(rest) || /^<[=!]/.test(rest)) throw unsupported('lookaround');
      if (!rest.startsWith(':')) throw notPortable(/^P?</.test(rest) ? 'a named group' : 'inline flags');
    }
    out += c;
  }
  return out;
}

/** Compiles a user's regular expression or throws VALIDATION_FAILED saying why. */
export function compileUserRegex(pattern: string, field = 'customData.pattern'): UserRegex {
  if (pattern.trim() === '') throw filterError('EMPTY_VALUE', 'Type a regular expression', field);
  const length = [...pattern].length;
  if (length > REGEX_MAX_LENGTH) {
    throw filterError('REGEX_TOO_LONG', `A regular expression can have at most ${REGEX_MAX_LENGTH} characters; this one has ${length}`, field);
  }
  const postgres = portableRegex(pattern, field);
  let re: LinearRegex;
  try {
    re = compileLinearRegex(pattern);
  } catch (err) {
    // re2js quotes the pattern with the flags it prepended: show the person's own text.
    const why = (err as Error).message.replace(/^error parsing regexp: /, '').replace(/`(\(\?[a-z]+\))+/, '`');
    throw filterError('INVALID_REGEX', `This regular expression is not valid: ${why}`, field);
  }
  return { source: pattern, postgres, test: (value) => re.test(value) };
}
