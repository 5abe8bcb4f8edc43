import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { DomainError } from '../../platform/errors.ts';
import {
  ADVANCED_OPERATORS,
  BASIC_OPERATORS,
  checkCustomDataOp,
  compareCustomValues,
  compileCustomDataOp,
  compileUserRegex,
  CustomDataOp,
  escapeLike,
  foldCase,
  likePattern,
  matchesCustomValue,
  numericValue,
  operatorsFor,
  relativeDateCutoff,
  simplePatternToLike,
  simplePatternToRegExp,
} from './custom-data.ts';

const NOW = new Date('2024-06-15T10:00:00Z');

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    expect(err.code).toBe('VALIDATION_FAILED');
    return { message: err.message, ...(err.details as { reason: string; field: string }) };
  }
  throw new Error('expected a refusal');
}

/** Which of `values` the operator keeps. */
const keep = (op: CustomDataOp, values: Array<string | null>, now = NOW, tz = 'UTC') => {
  const test = compileCustomDataOp(op, now, tz);
  return values.filter((v) => test(v));
};

describe('the stored operator shape', () => {
  const check = Compile(CustomDataOp);
  it('accepts one object per operator and refuses extra or missing fields', () => {
    const all: CustomDataOp[] = [
      { op: 'starts_with', value: 'A' },
      { op: 'contains', value: 'A' },
      { op: 'ends_with', value: 'A' },
      { op: 'equals', value: 'A' },
      { op: 'not_equals', value: 'A' },
      { op: 'lt', value: '1' },
      { op: 'lte', value: '1' },
      { op: 'gte', value: '1' },
      { op: 'gt', value: '1' },
      { op: 'in', values: ['A', 'B'] },
      { op: 'is_empty' },
      { op: 'not_empty' },
      { op: 'pattern', pattern: 'A*' },
      { op: 'regex', pattern: '^A' },
      { op: 'before', date: '2024-01-01' },
      { op: 'after', date: '2024-01-01' },
      { op: 'between', from: '2024-01-01', to: '2024-01-31' },
      { op: 'older_than_days', days: 3 },
      { op: 'newer_than_days', days: 0 },
    ];
    for (const op of all) expect(check.Check(op), JSON.stringify(op)).toBe(true);
    expect(all.map((o) => o.op).sort()).toEqual([...BASIC_OPERATORS, ...ADVANCED_OPERATORS].sort());
    expect(check.Check({ op: 'equals' })).toBe(false);
    expect(check.Check({ op: 'is_empty', value: 'x' })).toBe(false);
    expect(check.Check({ op: 'in', values: [] })).toBe(false);
    expect(check.Check({ op: 'matches', value: 'x' })).toBe(false);
  });
  it('offers date operators on date fields only', () => {
    expect(operatorsFor('date')).toContain('before');
    expect(operatorsFor('text')).not.toContain('before');
    expect(operatorsFor('option')).not.toContain('older_than_days');
    expect(operatorsFor('option')).toContain('in');
  });
});

describe('checkCustomDataOp refuses what cannot run, saying why', () => {
  it.each([
    [
      { op: 'matches', value: 'x' },
      'INVALID_FILTER',
      'customData.op',
      expect.stringMatching(/^This custom data operator is not understood: use one of starts_with, contains, /),
    ],
    [null, 'INVALID_FILTER', 'customData.op', expect.stringMatching(/^This custom data operator is not understood/)],
    [{ op: 'equals' }, 'INVALID_FILTER', 'customData.value', 'The operator equals needs "value"'],
    [{ op: 'is_empty', value: 'x' }, 'INVALID_FILTER', 'customData.value', 'The operator is_empty does not take "value"'],
    [{ op: 'equals', value: 'x', extra: 1 }, 'INVALID_FILTER', 'customData.extra', 'The operator equals does not take "extra"'],
    [{ op: 'equals', value: '' }, 'EMPTY_VALUE', 'customData.value', 'Type the value to compare with'],
    [{ op: 'contains', value: '   ' }, 'EMPTY_VALUE', 'customData.value', 'Type the value to compare with'],
    [{ op: 'contains', value: 'x'.repeat(1001) }, 'VALUE_TOO_LONG', 'customData.value', 'The value to compare with can have at most 1000 characters'],
    [{ op: 'lt', value: 3 }, 'INVALID_FILTER', 'customData.value', 'The "value" of the operator lt must be text'],
    [{ op: 'in', values: [] }, 'INVALID_FILTER', 'customData.values', 'Check from 1 to 200 values, each 1 to 1000 characters'],
    [{ op: 'in', values: ['a', ' '] }, 'EMPTY_VALUE', 'customData.values.1', 'Type the value to compare with'],
    [{ op: 'before', date: '2024-02-30' }, 'INVALID_DATE', 'customData.date', '"2024-02-30" is not a date: write it as YYYY-MM-DD, for example 2024-03-31'],
    [{ op: 'after', date: '15/06/2024' }, 'INVALID_DATE', 'customData.date', '"15/06/2024" is not a date: write it as YYYY-MM-DD, for example 2024-03-31'],
    [
      { op: 'between', from: '2024-06-02', to: '2024-06-01' },
      'DATE_RANGE_REVERSED',
      'customData.to',
      'The end date (2024-06-01) must be on or after the start date (2024-06-02)',
    ],
    [{ op: 'older_than_days', days: -1 }, 'INVALID_DAYS', 'customData.days', 'The number of days must be a whole number from 0 to 36600'],
    [{ op: 'newer_than_days', days: 1.5 }, 'INVALID_DAYS', 'customData.days', 'The number of days must be a whole number from 0 to 36600'],
    [{ op: 'regex', pattern: '' }, 'EMPTY_VALUE', 'customData.pattern', 'Type a regular expression'],
    [{ op: 'pattern', pattern: '' }, 'EMPTY_VALUE', 'customData.pattern', 'Type the value to compare with'],
    [{ op: 'regex', pattern: ' ' }, 'EMPTY_VALUE', 'customData.pattern', 'Type a regular expression'],
    [
      { op: 'regex', pattern: 'a'.repeat(201) },
      'REGEX_TOO_LONG',
      'customData.pattern',
      'A regular expression can have at most 200 characters; this one has 201',
    ],
    [{ op: 'regex', pattern: '(abc' }, 'INVALID_REGEX', 'customData.pattern', 'This regular expression is not valid: missing closing ): `(abc`'],
    [{ op: 'regex', pattern: '[z-a]' }, 'INVALID_REGEX', 'customData.pattern', 'This regular expression is not valid: invalid character class range: `z-a`'],
    [
      { op: 'regex', pattern: '(a)\\1' },
      'UNSUPPORTED_REGEX',
      'customData.pattern',
      'This regular expression uses a backreference, which the search does not support: searches run regular expressions in linear time (RE2 syntax) without lookaround or backreferences',
    ],
    [
      { op: 'regex', pattern: 'a(?=b)' },
      'UNSUPPORTED_REGEX',
      'customData.pattern',
      'This regular expression uses lookaround, which the search does not support: searches run regular expressions in linear time (RE2 syntax) without lookaround or backreferences',
    ],
  ])('%j', (value, reason, field, message) => {
    expect(refusal(() => checkCustomDataOp(value))).toEqual({ reason, field, message });
  });

  it('refuses date operators on a text or option field', () => {
    expect(refusal(() => checkCustomDataOp({ op: 'before', date: '2024-01-01' }, 'text'))).toEqual({
      reason: 'OPERATOR_NOT_ALLOWED',
      field: 'customData.op',
      message: 'The operator before only applies to date fields',
    });
    expect(checkCustomDataOp({ op: 'before', date: '2024-01-01' }, 'date')).toEqual({ op: 'before', date: '2024-01-01' });
    expect(checkCustomDataOp({ op: 'starts_with', value: '2024-' }, 'date')).toEqual({ op: 'starts_with', value: '2024-' });
  });

  it('names the field it is given', () => {
    expect(refusal(() => checkCustomDataOp({ op: 'equals', value: '' }, 'text', 'customData.cisco_id'))).toMatchObject({ field: 'customData.cisco_id.value' });
  });
});

describe('regex safety', () => {
  // The attack that froze both search workers: 40 alternatives under a star, on a 7-character value. With a
  // backtracking engine this runs for hours; RE2 answers at once (linear in the value).
  const catastrophic = `(${Array(40).fill('.').join('|')})*#`;
  it.each([catastrophic, '(a+)+$', '(a*)*b', '(\\w+\\s?)*$', '(x{2,}){3,}y', '((ab)+)+c', '([a-z]+)*$'])('runs %s in linear time', (p) => {
    const re = compileUserRegex(p);
    const started = performance.now();
    for (const value of ['abcdefg', 'a'.repeat(5000) + '!', 'ab'.repeat(2000) + 'x']) re.test(value);
    // Generous: linear work on 15,000 characters; the backtracking engine needed hours on 7.
    expect(performance.now() - started).toBeLessThan(5000);
  });
  it.each([
    ['(?<=a)b', 'lookaround'],
    ['(?!a)b', 'lookaround'],
    ['(?<x>a)', 'a named group'],
    ['a\\k<x>', 'a backreference'],
    ['(a)\\1', 'a backreference'],
    ['\\p{L}+', 'a Unicode class (\\p)'],
    ['\\x41', 'a hexadecimal escape (\\x)'],
    ['(?i)abc', 'inline flags'],
    ['(?P<n>a)', 'a named group'],
    ['\\Qa.b\\E', 'a quoted run (\\Q…\\E)'],
    ['\\012', 'an octal escape'],
  ])('refuses %s (%s)', (p, what) => {
    const r = refusal(() => compileUserRegex(p));
    expect(r.reason).toBe('UNSUPPORTED_REGEX');
    expect(r.message).toContain(`uses ${what}`);
  });
  it.each([
    ['^ABC-\\d+$', '^ABC-\\d+$'],
    ['\\bcx\\b', '\\ycx\\y'],
    ['a\\Bb\\z', 'a\\Yb\\Z'],
    ['[\\d.]', '[\\d.]'],
    ['[]b]+', '[]b]+'],
    ['[[:alpha:]]+\\d', '[[:alpha:]]+\\d'],
    ['(?:x|y)*z', '(?:x|y)*z'],
    ['\\(a+\\)+', '\\(a+\\)+'],
    ['[(?=]', '[(?=]'],
  ])('accepts %s, spelled %s for PostgreSQL', (p, postgres) => {
    expect(compileUserRegex(p).postgres).toBe(postgres);
  });
  it('accepts exactly 200 characters', () => {
    expect(compileUserRegex('a'.repeat(200)).test('A'.repeat(200))).toBe(true);
    expect(refusal(() => compileUserRegex('é'.repeat(201)))).toMatchObject({ reason: 'REGEX_TOO_LONG' });
  });
});

describe('matchesCustomValue: text operators ignore case', () => {
  const values = ['ABC-123', 'abc-999', 'XABC', 'Zürich', 'ZÜRICH-2', null, ''];
  it('starts with, contains, ends with', () => {
    expect(keep({ op: 'starts_with', value: 'abc' }, values)).toEqual(['ABC-123', 'abc-999']);
    expect(keep({ op: 'contains', value: 'ABC' }, values)).toEqual(['ABC-123', 'abc-999', 'XABC']);
    expect(keep({ op: 'contains', value: 'zür' }, values)).toEqual(['Zürich', 'ZÜRICH-2']);
    expect(keep({ op: 'ends_with', value: '-2' }, values)).toEqual(['ZÜRICH-2']);
    expect(keep({ op: 'starts_with', value: '  abc ' }, values)).toEqual(['ABC-123', 'abc-999']);
  });
  it('matches composed and decomposed accents alike', () => {
    expect(matchesCustomValue({ op: 'equals', value: 'Zu\u0308rich' }, 'Zürich', NOW)).toBe(true);
  });
  it('equal and not equal; not equal includes conversations without a value', () => {
    expect(keep({ op: 'equals', value: 'abc-123' }, values)).toEqual(['ABC-123']);
    expect(keep({ op: 'not_equals', value: 'abc-123' }, values)).toEqual(['abc-999', 'XABC', 'Zürich', 'ZÜRICH-2', null, '']);
  });
  it('checklist of values (IN)', () => {
    expect(keep({ op: 'in', values: ['xabc', 'Zürich', 'nothing'] }, values)).toEqual(['XABC', 'Zürich']);
  });
  it('is empty, not empty (blank counts as empty)', () => {
    expect(keep({ op: 'is_empty' }, [...values, '  '])).toEqual([null, '', '  ']);
    expect(keep({ op: 'not_empty' }, [...values, '  '])).toEqual(['ABC-123', 'abc-999', 'XABC', 'Zürich', 'ZÜRICH-2']);
    expect(matchesCustomValue({ op: 'is_empty' }, undefined, NOW)).toBe(true);
  });
  it('every other operator never matches an empty value', () => {
    for (const op of [
      { op: 'contains', value: 'a' },
      { op: 'lt', value: 'zzz' },
      { op: 'pattern', pattern: '*' },
      { op: 'regex', pattern: '.*' },
      { op: 'before', date: '9999-12-31' },
    ] as CustomDataOp[]) {
      expect(keep(op, [null, '', ' ']), JSON.stringify(op)).toEqual([]);
    }
  });
});

describe('matchesCustomValue: <, ≤, ≥, >', () => {
  it('compares numerically when both sides are numbers', () => {
    const values = ['9', '10', '100', '-5', '3.5', '007', '10.0'];
    expect(keep({ op: 'lt', value: '10' }, values)).toEqual(['9', '-5', '3.5', '007']);
    expect(keep({ op: 'lte', value: '10' }, values)).toEqual(['9', '10', '-5', '3.5', '007', '10.0']);
    expect(keep({ op: 'gte', value: '10' }, values)).toEqual(['10', '100', '10.0']);
    expect(keep({ op: 'gt', value: '7' }, values)).toEqual(['9', '10', '100', '10.0']);
    expect(keep({ op: 'gt', value: '-10' }, ['-5', '-20'])).toEqual(['-5']);
  });
  it('compares as text otherwise (ignoring case, code point order)', () => {
    expect(keep({ op: 'lt', value: 'b' }, ['a', 'B', 'c', 'Apple', '9 kg'])).toEqual(['a', 'Apple', '9 kg']);
    expect(keep({ op: 'gt', value: '10 kg' }, ['9 kg', '100 kg', '10 kg'])).toEqual(['9 kg', '100 kg']);
    expect(keep({ op: 'gte', value: 'abc' }, ['ABC', 'abd', 'ab'])).toEqual(['ABC', 'abd']);
    // A number against text: text order ("10" < "95" < "9x" < "a").
    expect(keep({ op: 'lt', value: '9x' }, ['10', '95', 'A'])).toEqual(['10', '95']);
    // Dates written YYYY-MM-DD compare in calendar order.
    expect(keep({ op: 'lte', value: '2024-06-15' }, ['2024-06-14', '2024-06-15', '2024-06-16'])).toEqual(['2024-06-14', '2024-06-15']);
  });
  it('numericValue takes plain decimals only', () => {
    expect(['12', '-12', '+3', '3.5', '.5', '007', ' 42 '].map(numericValue)).toEqual([12, -12, 3, 3.5, 0.5, 7, 42]);
    expect(['1e3', '1,000', '0x10', '3.', '', 'Infinity', 'NaN', '1 000'].map(numericValue)).toEqual([null, null, null, null, null, null, null, null]);
    expect(compareCustomValues('10', '9')).toBe(1);
    expect(compareCustomValues('10', '9a')).toBe(-1);
    expect(compareCustomValues('ABC', 'abc')).toBe(0);
  });
});

describe('matchesCustomValue: simple pattern and regex', () => {
  it('pattern: * any run, ? one character, whole value, ignoring case', () => {
    const values = ['ABC-123', 'ABC-12', 'abc-1234', 'XABC-123', 'A%C_1', 'AB', 'ABC\n123'];
    expect(keep({ op: 'pattern', pattern: 'abc-???' }, values)).toEqual(['ABC-123']);
    expect(keep({ op: 'pattern', pattern: 'ABC-*' }, values)).toEqual(['ABC-123', 'ABC-12', 'abc-1234']);
    expect(keep({ op: 'pattern', pattern: '*ABC*' }, values)).toEqual(['ABC-123', 'ABC-12', 'abc-1234', 'XABC-123', 'ABC\n123']);
    expect(keep({ op: 'pattern', pattern: 'A%C_*' }, values)).toEqual(['A%C_1']);
    expect(keep({ op: 'pattern', pattern: 'AB' }, values)).toEqual(['AB']);
    expect(keep({ op: 'pattern', pattern: 'a.c*' }, values)).toEqual([]);
    expect(keep({ op: 'pattern', pattern: '??' }, ['AB', 'é1', '😀x', 'ABC'])).toEqual(['AB', 'é1', '😀x']);
  });
  it('pattern: LIKE translation escapes % and _ (ESCAPE \\)', () => {
    expect(simplePatternToLike('ABC-*')).toBe('abc-%');
    expect(simplePatternToLike('A%C_?')).toBe('a\\%c\\__');
    expect(simplePatternToLike('C:\\dir\\*')).toBe('c:\\\\dir\\\\%');
    expect(simplePatternToRegExp('a.c*').source).toBe('^a\\.c.*$');
    expect(simplePatternToRegExp('(x)?').test('(x)!')).toBe(true);
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
  it('LIKE patterns for starts with, contains, ends with and pattern; none for the others', () => {
    expect(likePattern({ op: 'starts_with', value: 'Ab%' })).toBe('ab\\%%');
    expect(likePattern({ op: 'contains', value: ' x_y ' })).toBe('%x\\_y%');
    expect(likePattern({ op: 'ends_with', value: 'Z' })).toBe('%z');
    expect(likePattern({ op: 'pattern', pattern: '*-?' })).toBe('%-_');
    expect(likePattern({ op: 'equals', value: 'x' })).toBeNull();
  });
  it('regex: found anywhere, ignoring case', () => {
    expect(keep({ op: 'regex', pattern: '^abc-\\d{3}$' }, ['ABC-123', 'abc-1234', 'xabc-123'])).toEqual(['ABC-123']);
    expect(keep({ op: 'regex', pattern: '\\d{4}' }, ['ABC-123', 'abc-1234'])).toEqual(['abc-1234']);
    expect(keep({ op: 'regex', pattern: 'zür' }, ['ZÜRICH'])).toEqual(['ZÜRICH']);
  });
  it('regex: . matches any character, \\b is a word boundary', () => {
    expect(keep({ op: 'regex', pattern: 'a.c' }, ['A\nC', 'ac'])).toEqual(['A\nC']);
    expect(keep({ op: 'regex', pattern: '\\bcx\\b' }, ['the CX-1', 'acx'])).toEqual(['the CX-1']);
  });
  it('regex: refuses to evaluate one the engine cannot run in linear time', () => {
    expect(() => matchesCustomValue({ op: 'regex', pattern: '(a)\\1' }, 'aa', NOW)).toThrow(DomainError);
  });
});

describe('matchesCustomValue: dates', () => {
  const days = ['2024-06-10', '2024-06-11', '2024-06-12', '2024-06-13', '2024-06-14', '2024-06-15', '2024-06-16', 'soon', '2024-02-30'];
  it('before and after are strict; between includes both days', () => {
    expect(keep({ op: 'before', date: '2024-06-12' }, days)).toEqual(['2024-06-10', '2024-06-11']);
    expect(keep({ op: 'after', date: '2024-06-14' }, days)).toEqual(['2024-06-15', '2024-06-16']);
    expect(keep({ op: 'between', from: '2024-06-11', to: '2024-06-13' }, days)).toEqual(['2024-06-11', '2024-06-12', '2024-06-13']);
    expect(keep({ op: 'between', from: '2024-06-11', to: '2024-06-11' }, days)).toEqual(['2024-06-11']);
  });
  it('older than N days: before the day N days ago; newer than N days: that day or later (future included)', () => {
    // Today is 2024-06-15 (UTC).
    expect(relativeDateCutoff(3, NOW, 'UTC')).toBe('2024-06-12');
    expect(keep({ op: 'older_than_days', days: 3 }, days)).toEqual(['2024-06-10', '2024-06-11']);
    expect(keep({ op: 'newer_than_days', days: 3 }, days)).toEqual(['2024-06-12', '2024-06-13', '2024-06-14', '2024-06-15', '2024-06-16']);
    expect(keep({ op: 'older_than_days', days: 0 }, days)).toEqual(['2024-06-10', '2024-06-11', '2024-06-12', '2024-06-13', '2024-06-14']);
    expect(keep({ op: 'newer_than_days', days: 0 }, days)).toEqual(['2024-06-15', '2024-06-16']);
    // Older and newer than the same N split every real date in two.
    for (const n of [0, 1, 3, 30]) {
      const older = keep({ op: 'older_than_days', days: n }, days);
      const newer = keep({ op: 'newer_than_days', days: n }, days);
      expect([...older, ...newer].sort()).toEqual(days.slice(0, 7));
    }
  });
  it('today is the date in the given time zone', () => {
    const lateEvening = new Date('2024-06-15T23:30:00Z'); // already 16 June in Paris, still 15 June in New York
    expect(relativeDateCutoff(0, lateEvening, 'Europe/Paris')).toBe('2024-06-16');
    expect(relativeDateCutoff(0, lateEvening, 'America/New_York')).toBe('2024-06-15');
    expect(matchesCustomValue({ op: 'older_than_days', days: 0 }, '2024-06-15', lateEvening, 'Europe/Paris')).toBe(true);
    expect(matchesCustomValue({ op: 'older_than_days', days: 0 }, '2024-06-15', lateEvening, 'America/New_York')).toBe(false);
    expect(() => matchesCustomValue({ op: 'older_than_days', days: 0 }, '2024-06-15', lateEvening, 'Atlantis/Capital')).toThrow(DomainError);
  });
  it('values that are not real days never match a date operator', () => {
    expect(keep({ op: 'after', date: '2000-01-01' }, ['soon', '2024-02-30', '2024-6-1', '2024-06-01T10:00:00Z'])).toEqual([]);
  });
});

describe('shared normalisations', () => {
  it('foldCase: NFC then lower case', () => {
    expect(foldCase('ÉCOLE')).toBe('école');
    expect(foldCase('E\u0301cole')).toBe('école');
  });
});
