// Regular expressions that people type, run in linear time: RE2 semantics through re2js (pure JavaScript), so no
// pattern can make a match backtrack for hours. Case-insensitive and `.` matching newlines, as users expect of a
// search; validation and error messages belong to the feature that accepts the pattern.
import { RE2JS } from 're2js';

const FLAGS = RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL;

export interface LinearRegex {
  test(value: string): boolean;
}

/** Compiles `pattern` with RE2 syntax or throws re2js's error (its message starts "error parsing regexp: "). */
export function compileLinearRegex(pattern: string): LinearRegex {
  const re = RE2JS.compile(pattern, FLAGS);
  return { test: (value) => re.test(value) };
}
