// JavaScript functions that SQL calls on SQLite (PostgreSQL has them built in), registered on every connection:
// the main one and the read workers' ones.
import type BetterSqlite3 from 'better-sqlite3';
import { compileLinearRegex, type LinearRegex } from '../text/linear-regex.ts';

export interface SqliteFunctionOptions {
  /** Tests only: each regex evaluation first blocks this long, to make a search deterministically slow. */
  slowRegexMs?: number;
}

export function registerSqliteFunctions(sqlite: BetterSqlite3.Database, opts: SqliteFunctionOptions = {}) {
  const cache = new Map<string, LinearRegex | null>();
  const pause = opts.slowRegexMs ? new Int32Array(new SharedArrayBuffer(4)) : null;
  // The custom data "regex" filter, with the filter's own semantics (RE2: linear time, case-insensitive). The
  // pattern was validated with the request; one that no longer compiles matches nothing.
  sqlite.function('earshot_regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    if (pause) Atomics.wait(pause, 0, 0, opts.slowRegexMs);
    let re = cache.get(pattern);
    if (re === undefined) {
      try {
        re = compileLinearRegex(pattern);
      } catch {
        re = null;
      }
      if (cache.size > 200) cache.clear();
      cache.set(pattern, re);
    }
    return re?.test(value) ? 1 : 0;
  });
}
