// SQLite's prefix condition is an index range alone (no LIKE on each entry): it must select exactly the strings that
// start with the prefix, code point by code point, whatever the characters (non-ASCII, the surrogate gap, U+10FFFF).
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAdapter, prefixSuccessor, sqliteAdapter } from './adapter.ts';

describe('prefix ranges', () => {
  const raw = new BetterSqlite3(':memory:');
  const db = new Kysely<{ v: { s: string } }>({ dialect: new SqliteDialect({ database: raw }) });
  afterAll(() => db.destroy());

  it('prefixSuccessor is the first string after every string with the prefix', () => {
    expect(prefixSuccessor('cx-10')).toBe('cx-11');
    expect(prefixSuccessor('a\u{10FFFF}')).toBe('b');
    expect(prefixSuccessor('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixSuccessor('é😀')).toBe('é😁');
    expect(prefixSuccessor('\u{10FFFF}\u{10FFFF}')).toBeNull();
    expect(prefixSuccessor('')).toBeNull();
  });

  it('selects on SQLite exactly the values that start with the prefix', async () => {
    const alphabet = ['a', 'b', 'z', '-', '0', '9', 'é', 'ß', '\u{D7FF}', '\u{E000}', '\u{FFFF}', '😀', '\u{10FFFF}', '%', '_'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (max: number) => Array.from({ length: rnd(max + 1) }, () => alphabet[rnd(alphabet.length)]).join('');
    const values = [...new Set(Array.from({ length: 3000 }, () => word(5)))];
    raw.exec('CREATE TABLE v (s TEXT NOT NULL)');
    raw.exec('CREATE INDEX v_s ON v (s)');
    const insert = raw.prepare('INSERT INTO v (s) VALUES (?)');
    for (const s of values) insert.run(s);
    const prefixes = [...new Set([...Array.from({ length: 200 }, () => word(3)), '\u{10FFFF}', 'a\u{10FFFF}', '\u{D7FF}'])];
    for (const prefix of prefixes) {
      const rows = await db
        .selectFrom('v')
        .select('s')
        .where(sqliteAdapter.prefixRange(sql.ref('s'), prefix)!)
        .execute();
      const want = values.filter((s) => s.startsWith(prefix)).sort();
      expect(rows.map((r) => r.s).sort(), JSON.stringify(prefix)).toEqual(want);
    }
    // Served by the index, as a range.
    const plan = raw.prepare(
      `EXPLAIN QUERY PLAN ${
        db
          .selectFrom('v')
          .select('s')
          .where(sqliteAdapter.prefixRange(sql.ref('s'), 'ab')!)
          .compile().sql
      }`,
    );
    expect(plan.all('ab', 'ac').map((r) => (r as { detail: string }).detail)).toEqual(['SEARCH v USING COVERING INDEX v_s (s>? AND s<?)']);
  });

  it('leaves the prefix to the LIKE on PostgreSQL', () => {
    expect(postgresAdapter.prefixRange(sql.ref('s'), 'ab')).toBeNull();
  });
});
