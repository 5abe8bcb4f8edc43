// Query plans of the classes that miss their target: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on
// PostgreSQL, for the page statement and the count statement exactly as searchConversations sends them.
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/index.ts';
import { applyPostgresOptions, type ReadOptions } from '../../src/platform/db/read-pool.ts';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

export function sqlitePlan(file: string, st: Statement): string {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${st.sql}`).all(...(st.parameters as unknown[])) as Array<{ id: number; parent: number; detail: string }>;
    const depth = new Map<number, number>([[0, -1]]);
    return rows
      .map((r) => {
        const d = (depth.get(r.parent) ?? -1) + 1;
        depth.set(r.id, d);
        return `${'  '.repeat(d)}${r.detail}`;
      })
      .join('\n');
  } finally {
    db.close();
  }
}

/** EXPLAIN ANALYZE under the settings the read pool runs the statement with (its ReadOptions: plan options, prepare). */
export async function postgresPlan(db: Db, st: Statement & { options?: ReadOptions }): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await applyPostgresOptions(trx, st.options ?? {}, Date.now() + 600_000);
    const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS) ${sql.raw(inline(st))}`.execute(trx);
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  });
}

/** The statement with its parameters inlined (for reading; not for running). */
export function inline(st: Statement): string {
  let i = 0;
  const lit = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  return st.sql.replace(/\$\d+|\?/g, (m) => lit(st.parameters[m === '?' ? i++ : Number(m.slice(1)) - 1]));
}
