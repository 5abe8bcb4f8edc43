// JavaScript functions that SQL calls on SQLite (PostgreSQL has them built in), registered on every connection:
// the main one and the read workers' ones.
import type BetterSqlite3 from 'better-sqlite3';

export function registerSqliteFunctions(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, RegExp | null>();
  // The custom data "regex" filter: JavaScript syntax, case-insensitive (like PostgreSQL's ~*).
  sqlite.function('earshot_regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    let re = cache.get(pattern);
    if (re === undefined) {
      try {
        re = new RegExp(pattern, 'iu');
      } catch {
        re = null;
      }
      if (cache.size > 200) cache.clear();
      cache.set(pattern, re);
    }
    return re?.test(value) ? 1 : 0;
  });
}
