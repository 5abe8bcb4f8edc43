// Operators of the "Custom data" filter (fields an administrator defines: text, date, option), as stored JSON,
// their validation, and a JS evaluator that states the exact semantics the SQL must reproduce.
//
// Semantics (value = the conversation's value for the field; "empty" = no value, which the custom-fields service
// stores as null — values are trimmed and an all-blank value is none):
// - Text comparisons ignore case: both sides go through foldCase (NFC, then toLowerCase). SQLite's lower() only
//   folds ASCII, so the SQL compares a folded copy of the value computed in JS when it is written (value_folded)
//   with the folded needle; never lower() in SQL.
// - starts_with, contains, ends_with, equals, in (the checklist), pattern: on the folded value. Needles are trimmed.
// - not_equals is the negation of equals, so it also matches conversations with no value ("not ABC" includes
//   "no Cisco ID"); every other operator except is_empty never matches an empty value.
// - lt, lte, gte, gt: numerically when both the value and the needle are plain decimal numbers (-12, 3.5, 007;
//   no exponent, no thousands separators — see numericValue), else by comparing the folded strings code point
//   by code point (SQLite's BINARY collation; PostgreSQL needs COLLATE "C"). So 9 < 10, but "9 kg" > "10 kg".
//   The SQL keeps a numeric copy (value_number, null when not a number) beside value_folded. Dates (YYYY-MM-DD)
//   compare correctly as strings.
// - pattern: `*` = any run of characters (also none), `?` = exactly one character, everything else literal; the
//   whole value must match. likePattern() gives the LIKE pattern (with ESCAPE '\' on both databases).
// - regex: searched anywhere in the (unfolded) value, ignoring case, `.` matching any character; RE2 syntax (linear
//   time: no lookaround, no backreferences) minus what PostgreSQL reads differently (compileUserRegex); at most 200
//   characters; refused when it does not compile.
// - before / after: strictly before / after the day. between: both days included, `to` >= `from`.
//   older_than_days N: before the day N days ago (value < today − N; 0 = before today).
//   newer_than_days N: on or after the day N days ago (value >= today − N; 0 = today or later, future days included).
//   The two are complements over dates. "today" is the date at `now` in the time zone given (the tenant's site).
//   Date operators only apply to date fields; a value that is not a real YYYY-MM-DD day never matches them.
import { Compile } from 'typebox/compile';
import { Type, type Static } from 'typebox';
import { filterError } from './errors.ts';
import { compileUserRegex, REGEX_MAX_LENGTH } from './user-regex.ts';

export { compileUserRegex, REGEX_MAX_LENGTH, type UserRegex } from './user-regex.ts';
import { addDays, assertTimeZone, formatIsoDate, localDate, parseIsoDate, requireIsoDate } from './zoned-time.ts';

export const CUSTOM_DATA_NEEDLE_MAX = 1000;
export const CUSTOM_DATA_CHECKLIST_MAX = 200;
export const CUSTOM_DATA_MAX_DAYS = 36_600;

const Needle = Type.String({ minLength: 1, maxLength: CUSTOM_DATA_NEEDLE_MAX });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar day, YYYY-MM-DD' });
const Days = Type.Integer({ minimum: 0, maximum: CUSTOM_DATA_MAX_DAYS });
const strict = (description: string) => ({ additionalProperties: false, description }) as const;

/** The stored shape of one custom-data condition's operator. The `op` values are part of saved searches. */
export const CustomDataOp = Type.Union([
  Type.Object({ op: Type.Literal('starts_with'), value: Needle }, strict('Starts with (ignoring case)')),
  Type.Object({ op: Type.Literal('contains'), value: Needle }, strict('Contains (ignoring case)')),
  Type.Object({ op: Type.Literal('ends_with'), value: Needle }, strict('Ends with (ignoring case)')),
  Type.Object({ op: Type.Literal('equals'), value: Needle }, strict('Equal (ignoring case)')),
  Type.Object({ op: Type.Literal('not_equals'), value: Needle }, strict('Not equal (ignoring case); conversations without a value match')),
  Type.Object({ op: Type.Literal('lt'), value: Needle }, strict('<: numeric when both sides are numbers, else by text')),
  Type.Object({ op: Type.Literal('lte'), value: Needle }, strict('≤')),
  Type.Object({ op: Type.Literal('gte'), value: Needle }, strict('≥')),
  Type.Object({ op: Type.Literal('gt'), value: Needle }, strict('>')),
  Type.Object(
    { op: Type.Literal('in'), values: Type.Array(Needle, { minItems: 1, maxItems: CUSTOM_DATA_CHECKLIST_MAX }) },
    strict('One of the checked values (ignoring case)'),
  ),
  Type.Object({ op: Type.Literal('is_empty') }, strict('Has no value')),
  Type.Object({ op: Type.Literal('not_empty') }, strict('Has a value')),
  Type.Object({ op: Type.Literal('pattern'), pattern: Needle }, strict('Simple pattern over the whole value: * any characters, ? one character')),
  Type.Object(
    { op: Type.Literal('regex'), pattern: Type.String({ minLength: 1, maxLength: REGEX_MAX_LENGTH }) },
    strict('Regular expression found anywhere in the value, ignoring case'),
  ),
  Type.Object({ op: Type.Literal('before'), date: IsoDate }, strict('A date strictly before this day')),
  Type.Object({ op: Type.Literal('after'), date: IsoDate }, strict('A date strictly after this day')),
  Type.Object({ op: Type.Literal('between'), from: IsoDate, to: IsoDate }, strict('A date from `from` to `to`, both included')),
  Type.Object({ op: Type.Literal('older_than_days'), days: Days }, strict('A date before the day N days ago')),
  Type.Object({ op: Type.Literal('newer_than_days'), days: Days }, strict('A date on or after the day N days ago (future dates included)')),
]);
export type CustomDataOp = Static<typeof CustomDataOp>;
export type CustomDataOpName = CustomDataOp['op'];

/** The operators offered directly in the chip, in order; the rest are under "Advanced". */
export const BASIC_OPERATORS = ['starts_with', 'contains', 'lt', 'lte', 'gte', 'gt', 'in'] as const satisfies readonly CustomDataOpName[];
export const ADVANCED_OPERATORS = [
  'equals',
  'not_equals',
  'ends_with',
  'is_empty',
  'not_empty',
  'pattern',
  'regex',
  'before',
  'after',
  'between',
  'older_than_days',
  'newer_than_days',
] as const satisfies readonly CustomDataOpName[];
export const DATE_OPERATORS = ['before', 'after', 'between', 'older_than_days', 'newer_than_days'] as const satisfies readonly CustomDataOpName[];
const ALL_OPERATORS: readonly CustomDataOpName[] = [...BASIC_OPERATORS, ...ADVANCED_OPERATORS];

export type CustomFieldType = 'text' | 'date' | 'option';

/** Operators that apply to a field type: date fields take them all, text and option fields all but the date ones. */
export const operatorsFor = (type: CustomFieldType): readonly CustomDataOpName[] =>
  type === 'date' ? ALL_OPERATORS : ALL_OPERATORS.filter((o) => !(DATE_OPERATORS as readonly string[]).includes(o));

// ---- shared normalisations (the SQL side must store the same) -----------------------------------------------------

/** Case-insensitive form of a value or needle: NFC, then lower case. Store it with the value for SQL comparisons. */
export const foldCase = (s: string) => s.normalize('NFC').toLowerCase();

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
/** The value as a number when it is a plain decimal (-12, 3.5, .5, 007), else null. Store it with the value. */
export function numericValue(s: string): number | null {
  const t = s.trim();
  if (!NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Escapes LIKE's own wildcards and the escape character; use with ESCAPE '\'. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A simple pattern (* and ?) as a LIKE pattern over the folded value, with ESCAPE '\'. */
export const simplePatternToLike = (pattern: string) => escapeLike(foldCase(pattern.trim())).replace(/[*?]/g, (c) => (c === '*' ? '%' : '_'));

/** A simple pattern (* and ?) as an anchored RegExp over the folded value (one ? = one code point). */
export const simplePatternToRegExp = (pattern: string) =>
  new RegExp(`^${[...foldCase(pattern.trim())].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, 'su');

/** The LIKE pattern (over value_folded, ESCAPE '\') for the operators that are LIKE-shaped, else null. */
export function likePattern(op: CustomDataOp): string | null {
  switch (op.op) {
    case 'starts_with':
      return `${escapeLike(foldCase(op.value.trim()))}%`;
    case 'contains':
      return `%${escapeLike(foldCase(op.value.trim()))}%`;
    case 'ends_with':
      return `%${escapeLike(foldCase(op.value.trim()))}`;
    case 'pattern':
      return simplePatternToLike(op.pattern);
    default:
      return null;
  }
}

/** The day (YYYY-MM-DD) that older_than_days / newer_than_days compare with: today − N in `timeZone` at `now`. */
export function relativeDateCutoff(days: number, now: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  return formatIsoDate(addDays(localDate(now.getTime(), timeZone), -days));
}

// ---- validation and evaluation -------------------------------------------------------------------------------------

const compiled = Compile(CustomDataOp);

/**
 * Checks an untrusted operator object (request body, stored saved search), optionally against the field's type,
 * and returns it typed; throws VALIDATION_FAILED with a message a person can act on.
 */
export function checkCustomDataOp(value: unknown, fieldType?: CustomFieldType, field = 'customData'): CustomDataOp {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const name = v.op;
  if (typeof name !== 'string' || !(ALL_OPERATORS as readonly string[]).includes(name)) {
    throw filterError('INVALID_FILTER', `This custom data operator is not understood: use one of ${ALL_OPERATORS.join(', ')}`, `${field}.op`);
  }
  if (fieldType && !operatorsFor(fieldType).includes(name as CustomDataOpName)) {
    throw filterError('OPERATOR_NOT_ALLOWED', `The operator ${name} only applies to date fields`, `${field}.op`);
  }
  if (!compiled.Check(value)) throw shapeError(name as CustomDataOpName, v, field);
  const op = value;
  switch (op.op) {
    case 'starts_with':
    case 'contains':
    case 'ends_with':
    case 'equals':
    case 'not_equals':
    case 'lt':
    case 'lte':
    case 'gte':
    case 'gt':
      needle(op.value, `${field}.value`);
      break;
    case 'in':
      op.values.forEach((x, i) => needle(x, `${field}.values.${i}`));
      break;
    case 'pattern':
      needle(op.pattern, `${field}.pattern`);
      break;
    case 'regex':
      compileUserRegex(op.pattern, `${field}.pattern`);
      break;
    case 'before':
    case 'after':
      requireIsoDate(op.date, `${field}.date`);
      break;
    case 'between':
      requireIsoDate(op.from, `${field}.from`);
      requireIsoDate(op.to, `${field}.to`);
      if (op.to < op.from) throw filterError('DATE_RANGE_REVERSED', `The end date (${op.to}) must be on or after the start date (${op.from})`, `${field}.to`);
      break;
    default:
      break;
  }
  return op;
}

function needle(s: string, field: string): string {
  const t = s.trim();
  if (t === '') throw filterError('EMPTY_VALUE', 'Type the value to compare with', field);
  return t;
}

function shapeError(name: CustomDataOpName, v: Record<string, unknown>, field: string) {
  const key =
    ['value', 'values', 'pattern', 'date', 'from', 'to', 'days'].find((k) => k in v && !expectedKeys(name).includes(k)) ??
    Object.keys(v).find((k) => k !== 'op' && !expectedKeys(name).includes(k));
  if (key) return filterError('INVALID_FILTER', `The operator ${name} does not take "${key}"`, `${field}.${key}`);
  const missing = expectedKeys(name).find((k) => v[k] === undefined);
  if (missing) return filterError('INVALID_FILTER', `The operator ${name} needs "${missing}"`, `${field}.${missing}`);
  if (name === 'regex' && v.pattern === '') return filterError('EMPTY_VALUE', 'Type a regular expression', `${field}.pattern`);
  if (name === 'regex' && typeof v.pattern === 'string' && [...v.pattern].length > REGEX_MAX_LENGTH) {
    return filterError(
      'REGEX_TOO_LONG',
      `A regular expression can have at most ${REGEX_MAX_LENGTH} characters; this one has ${[...v.pattern].length}`,
      `${field}.pattern`,
    );
  }
  if (name === 'older_than_days' || name === 'newer_than_days') {
    return filterError('INVALID_DAYS', `The number of days must be a whole number from 0 to ${CUSTOM_DATA_MAX_DAYS}`, `${field}.days`);
  }
  if (name === 'in') {
    return filterError(
      'INVALID_FILTER',
      `Check from 1 to ${CUSTOM_DATA_CHECKLIST_MAX} values, each 1 to ${CUSTOM_DATA_NEEDLE_MAX} characters`,
      `${field}.values`,
    );
  }
  for (const k of ['date', 'from', 'to'] as const) {
    if (expectedKeys(name).includes(k)) requireIsoDate(String(v[k]), `${field}.${k}`);
  }
  const k = expectedKeys(name)[0] ?? 'op';
  const text = v[k];
  if (typeof text === 'string' && text.length > CUSTOM_DATA_NEEDLE_MAX) {
    return filterError('VALUE_TOO_LONG', `The value to compare with can have at most ${CUSTOM_DATA_NEEDLE_MAX} characters`, `${field}.${k}`);
  }
  if (typeof text === 'string' && text.length === 0) return filterError('EMPTY_VALUE', 'Type the value to compare with', `${field}.${k}`);
  return filterError('INVALID_FILTER', `The "${k}" of the operator ${name} must be text`, `${field}.${k}`);
}

function expectedKeys(name: CustomDataOpName): string[] {
  switch (name) {
    case 'in':
      return ['values'];
    case 'is_empty':
    case 'not_empty':
      return [];
    case 'pattern':
    case 'regex':
      return ['pattern'];
    case 'before':
    case 'after':
      return ['date'];
    case 'between':
      return ['from', 'to'];
    case 'older_than_days':
    case 'newer_than_days':
      return ['days'];
    default:
      return ['value'];
  }
}

/** Compares two non-empty strings the way lt/lte/gte/gt do: −1, 0 or 1. */
export function compareCustomValues(value: string, needleText: string): number {
  const a = numericValue(value);
  const b = numericValue(needleText);
  if (a !== null && b !== null) return Math.sign(a - b);
  return compareCodePoints(foldCase(value.trim()), foldCase(needleText.trim()));
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

export type CustomValuePredicate = (value: string | null | undefined) => boolean;

/**
 * Prepares `op` (validated first) once for many values: `now` and `timeZone` fix "today" for the relative date
 * operators (the tenant's site zone; UTC when not given).
 */
export function compileCustomDataOp(input: CustomDataOp, now: Date, timeZone = 'UTC'): CustomValuePredicate {
  const op = checkCustomDataOp(input);
  const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';
  const on =
    (test: (folded: string, raw: string) => boolean): CustomValuePredicate =>
    (v) =>
      present(v) && test(foldCase(v.trim()), v.trim());
  const onDate =
    (test: (isoDate: string) => boolean): CustomValuePredicate =>
    (v) =>
      present(v) && parseIsoDate(v.trim()) !== null && test(v.trim());
  switch (op.op) {
    case 'starts_with': {
      const n = foldCase(op.value.trim());
      return on((f) => f.startsWith(n));
    }
    case 'contains': {
      const n = foldCase(op.value.trim());
      return on((f) => f.includes(n));
    }
    case 'ends_with': {
      const n = foldCase(op.value.trim());
      return on((f) => f.endsWith(n));
    }
    case 'equals': {
      const n = foldCase(op.value.trim());
      return on((f) => f === n);
    }
    case 'not_equals': {
      const n = foldCase(op.value.trim());
      return (v) => !present(v) || foldCase(v.trim()) !== n;
    }
    case 'lt':
      return on((_, raw) => compareCustomValues(raw, op.value) < 0);
    case 'lte':
      return on((_, raw) => compareCustomValues(raw, op.value) <= 0);
    case 'gte':
      return on((_, raw) => compareCustomValues(raw, op.value) >= 0);
    case 'gt':
      return on((_, raw) => compareCustomValues(raw, op.value) > 0);
    case 'in': {
      const set = new Set(op.values.map((x) => foldCase(x.trim())));
      return on((f) => set.has(f));
    }
    case 'is_empty':
      return (v) => !present(v);
    case 'not_empty':
      return (v) => present(v);
    case 'pattern': {
      const re = simplePatternToRegExp(op.pattern);
      return on((f) => re.test(f));
    }
    case 'regex': {
      const re = compileUserRegex(op.pattern);
      return on((_, raw) => re.test(raw));
    }
    case 'before':
      return onDate((d) => d < op.date);
    case 'after':
      return onDate((d) => d > op.date);
    case 'between':
      return onDate((d) => d >= op.from && d <= op.to);
    case 'older_than_days': {
      const cutoff = relativeDateCutoff(op.days, now, timeZone);
      return onDate((d) => d < cutoff);
    }
    case 'newer_than_days': {
      const cutoff = relativeDateCutoff(op.days, now, timeZone);
      return onDate((d) => d >= cutoff);
    }
    default: {
      const never: never = op;
      throw filterError('INVALID_FILTER', `Unknown custom data operator ${JSON.stringify(never)}`, 'customData.op');
    }
  }
}

/** Whether a conversation's value for a field satisfies `op` (see the semantics at the top of this file). */
export const matchesCustomValue = (op: CustomDataOp, value: string | null | undefined, now: Date, timeZone = 'UTC'): boolean =>
  compileCustomDataOp(op, now, timeZone)(value);
