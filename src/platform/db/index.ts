import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect, PostgresDialect, type Transaction } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './schema.ts';
import { postgresAdapter, sqliteAdapter, type DialectAdapter } from './adapter.ts';
import { registerSqliteFunctions } from './sqlite-functions.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A repository takes either the database or an open transaction. */
export type Executor = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  adapter: DialectAdapter;
  close(): Promise<void>;
}

export function openDatabase(url: string, opts: { poolSize?: number; onIdleError?: (err: Error) => void } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    registerSqliteFunctions(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, adapter: sqliteAdapter, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: {
      getTypeParser: (oid: number, format?: any) => {
        if (oid === 1184 || oid === 1114) return (v: string) => new Date(oid === 1114 ? v + 'Z' : v).toISOString();
        if (oid === 20) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format);
      },
    } as any,
  });
  // An idle connection dropped by the server (restart, failover) must not take the process down; the pool reconnects.
  pool.on('error', (err) => opts.onIdleError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, adapter: postgresAdapter, close: () => db.destroy() };
}

/**
 * better-sqlite3 reusing prepared statements by SQL text (at most `limit`, oldest dropped first): a search runs a
 * dozen small statements (filter lookups, list summaries) whose preparation cost about as much as running them. A
 * statement still being iterated (a streamed query) is never handed out again: the caller gets a fresh one.
 */
export function withStatementCache(db: BetterSqlite3.Database, limit = 500) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit && !hit.busy) return hit;
      const st = db.prepare(text);
      if (!hit) {
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(text, st);
      }
      return st;
    },
  };
}
