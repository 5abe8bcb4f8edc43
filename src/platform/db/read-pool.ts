// Where heavy read queries run. better-sqlite3 is synchronous, so on SQLite a long search would stall every other
// request: the pool runs compiled queries on worker threads, each with its own read-only connection (WAL lets them
// read while the main connection writes). On PostgreSQL (and an in-memory SQLite) queries run on the normal pool.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql, type Compilable } from 'kysely';
import type { Db } from './index.ts';

export interface ReadOptions {
  /**
   * PostgreSQL only: plan with nested loops (no hash or merge joins). A full-text match joined to conversations
   * under a time period is misestimated (the per-zone period conditions multiply), and the hash join it then picks
   * reads the whole period; the nested loop walks the newest documents and stops at the page (docs/search.md).
   */
  nestedLoops?: boolean;
}

export interface ReadPool {
  all<R>(query: Compilable<R>, options?: ReadOptions): Promise<R[]>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./read-worker.mjs', import.meta.url);

export function createReadPool(databaseUrl: string, db: Db, size = Math.min(2, os.availableParallelism())): ReadPool {
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;
  if (!file || file === ':memory:') {
    const postgres = !file;
    return {
      async all<R>(q: Compilable<R>, options: ReadOptions = {}) {
        if (!postgres || !options.nestedLoops) return (await db.executeQuery(q.compile())).rows as R[];
        return db.transaction().execute(async (trx) => {
          await sql`SET LOCAL enable_hashjoin = off`.execute(trx);
          await sql`SET LOCAL enable_mergejoin = off`.execute(trx);
          return (await trx.executeQuery(q.compile())).rows as R[];
        });
      },
      close: async () => {},
    };
  }
  return new SqliteReadPool(file, size);
}

interface Pending {
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

class SqliteReadPool implements ReadPool {
  private readonly workers: Array<{ worker: Worker; pending: Map<number, Pending> }> = [];
  private nextId = 1;

  constructor(private readonly file: string, private readonly size: number) {}

  private spawn() {
    // read-worker.mjs loads the TypeScript worker through tsx.
    const worker = new Worker(WORKER_URL, { workerData: { file: this.file } });
    const slot = { worker, pending: new Map<number, Pending>() };
    worker.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve(m.rows ?? []);
    });
    const fail = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`search worker stopped (exit code ${code})`)));
    // Idle workers must not keep the process alive; a busy one must (a script awaiting a search would exit otherwise).
    worker.unref();
    this.workers.push(slot);
    return slot;
  }

  all<R>(query: Compilable<R>): Promise<R[]> {
    const { sql, parameters } = query.compile();
    let slot = this.workers.reduce<(typeof this.workers)[number] | undefined>((best, w) => (!best || w.pending.size < best.pending.size ? w : best), undefined);
    if (!slot || (slot.pending.size > 0 && this.workers.length < this.size)) slot = this.spawn();
    const id = this.nextId++;
    return new Promise<R[]>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      slot.worker.postMessage({ id, sql, parameters });
    });
  }

  async close() {
    const all = this.workers.splice(0);
    await Promise.all(all.map((w) => w.worker.terminate()));
  }
}
