// The main SQLite connection reuses prepared statements, and never hands out one that is still being iterated.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './index.ts';

describe('SQLite statement cache', () => {
  it('reuses a statement by its text, and drops the oldest past its limit', () => {
    const raw = new BetterSqlite3(':memory:');
    const db = withStatementCache(raw, 2);
    const a = db.prepare('SELECT 1 AS x');
    expect(db.prepare('SELECT 1 AS x')).toBe(a);
    db.prepare('SELECT 2 AS x');
    db.prepare('SELECT 3 AS x');
    expect(db.prepare('SELECT 1 AS x')).not.toBe(a);
    db.close();
  });

  it('gives a fresh statement while the cached one is being iterated', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'));
    const text = "SELECT value AS i FROM json_each('[1,2,3]')";
    const seen: number[] = [];
    for (const row of db.prepare(text).iterate() as Iterable<{ i: number }>) {
      seen.push(row.i);
      // The same text mid-iteration (better-sqlite3 refuses a busy statement): a statement of its own.
      expect((db.prepare(text).all() as Array<{ i: number }>).map((r) => r.i)).toEqual([1, 2, 3]);
    }
    expect(seen).toEqual([1, 2, 3]);
    db.close();
  });
});
