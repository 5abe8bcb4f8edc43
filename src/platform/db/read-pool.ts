// Where heavy read queries (searches) run, and the fences around them.
// - Off the event loop: better-sqlite3 is synchronous, so on SQLite a long search would stall every other request;
//   queries run on worker threads, each with its own read-only connection (WAL lets them read while the main
//   connection writes). On PostgreSQL (and an in-memory SQLite) queries run on the normal pool.
// - A time budget: a query still running at its deadline is cancelled with SEARCH_TIMEOUT. A running better-sqlite3
//   statement cannot be interrupted, so its worker thread is terminated (and a fresh one started for the next
//   query); PostgreSQL gets SET LOCAL statement_timeout.
// - Fair shares: one owner (a user) runs at most `perOwner` queries at once and queues the rest, so a user's heavy
//   searches never take every worker; beyond `maxWaitingPerOwner` queued queries, SEARCH_BUSY.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql, type Compilable } from 'kysely';
import type { Executor } from './index.ts';
import { DomainError } from '../errors.ts';
import type { Db } from './index.ts';
import type { SqliteFunctionOptions } from './sqlite-functions.ts';

export interface ReadOptions {
  /**
   * PostgreSQL only: plan with nested loops (no hash or merge joins). A full-text match joined to conversations
   * under a time period is misestimated (the per-zone period conditions multiply), and the hash join it then picks
   * reads the whole period; the nested loop walks the newest documents and stops at the page (docs/search.md).
   */
  nestedLoops?: boolean;
  /**
   * PostgreSQL only: runs in the statement's transaction just before it, for settings that depend on the data
   * (e.g. the full-text backend's plan choice from the planner's own estimate of a match).
   */
  prepare?: (trx: Executor) => Promise<void>;
  /** Whose query this is (tenant and user): the unit of the fair share. Queries without an owner share one. */
  owner?: string;
  /** Epoch milliseconds after which the query is cancelled (waiting or running); default: now + the pool's timeout. */
  deadline?: number;
  /**
   * Called once with the first `rows` rows (or all of them, if fewer) as soon as they are read, while the statement
   * goes on: a search's page is the head of the rows its capped count reads, so the caller can build the page while
   * the count finishes. On SQLite the worker posts them mid-statement; elsewhere they come with the result.
   */
  early?: { rows: number; receive(rows: unknown[]): void };
  /** Cancels the query (waiting or running) with SEARCH_CANCELLED: the caller no longer wants it (a closed request). */
  signal?: AbortSignal;
}

export interface ReadPoolStats {
  /** Queries that can run at once (worker threads on SQLite). */
  capacity: number;
  running: number;
  waiting: number;
  /** How long the oldest waiting query has waited, and the shortest-running of the running ones has run (ms). */
  oldestWaitMs: number;
  shortestRunMs: number;
  /** Worker threads terminated at a deadline or a cancel since start. */
  terminated: number;
}

export interface ReadPool {
  all<R>(query: Compilable<R>, options?: ReadOptions): Promise<R[]>;
  stats(): ReadPoolStats;
  close(): Promise<void>;
}

export interface ReadPoolOptions {
  /** Queries at once: worker threads on SQLite (default min(2, CPUs)); connections taken on PostgreSQL (default 4). */
  size?: number;
  /** A query's budget when the caller gives no deadline. */
  timeoutMs?: number;
  /** Queries of one owner running at once; default half the size, at least 1. */
  perOwner?: number;
  /** Queries of one owner waiting at once before SEARCH_BUSY. */
  maxWaitingPerOwner?: number;
  /** Tests only: functions registered on the workers' connections. */
  workerFunctions?: SqliteFunctionOptions;
}

export const DEFAULT_READ_TIMEOUT_MS = 5_000;

export const searchTimeout = () =>
  new DomainError('SEARCH_TIMEOUT', 'The search took too long and was stopped; narrow it down (a shorter time period, fewer or simpler filters) and try again');
export const searchCancelled = () => new DomainError('SEARCH_CANCELLED', 'The search was cancelled');
const searchBusy = () => new DomainError('SEARCH_BUSY', 'You already have several searches running; wait for them to finish and try again');

export function createReadPool(databaseUrl: string, db: Db, opts: ReadPoolOptions = {}): ReadPool {
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : null;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  if (!file || file === ':memory:') {
    const postgres = !file;
    const size = opts.size ?? (postgres ? 4 : 1);
    const scheduler = new FairScheduler(size, opts, timeoutMs);
    const runOn = async <R>(q: Compilable<R>, o: ReadOptions, deadline: number): Promise<R[]> => {
      if (!postgres) return (await db.executeQuery(q.compile())).rows as R[];
      let cancel: (() => void) | null = null;
      try {
        return await db.transaction().execute(async (trx) => {
          await applyPostgresOptions(trx, o, deadline);
          if (o.signal) {
            // A cancelled caller stops the statement through another connection, as psql's Ctrl-C does.
            const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
            const pid = rows[0]!.pid;
            cancel = () => void sql`SELECT pg_cancel_backend(${pid})`.execute(db).catch(() => {});
            o.signal.addEventListener('abort', cancel, { once: true });
            if (o.signal.aborted) throw searchCancelled();
          }
          return (await trx.executeQuery(q.compile())).rows as R[];
        });
      } catch (err) {
        // 57014 query_canceled: the statement_timeout above, or the caller's signal.
        if ((err as { code?: string }).code === '57014') throw o.signal?.aborted ? searchCancelled() : searchTimeout();
        throw err;
      } finally {
        if (cancel) o.signal?.removeEventListener('abort', cancel);
      }
    };
    const withEarly = async <R>(q: Compilable<R>, o: ReadOptions, deadline: number) => {
      const rows = await runOn(q, o, deadline);
      o.early?.receive(rows.slice(0, o.early.rows));
      return rows;
    };
    return {
      all: <R>(q: Compilable<R>, o: ReadOptions = {}) => scheduler.submit<R[]>(o, (deadline) => withEarly(q, o, deadline)),
      stats: () => scheduler.stats(0),
      close: async () => {},
    };
  }
  return new SqliteReadPool(file, opts, timeoutMs);
}

/**
 * The settings a read runs under on PostgreSQL, in its transaction (SET LOCAL): the budget left, no JIT, the plan
 * options. Exported for the search benchmark, which explains statements under the same settings.
 */
export async function applyPostgresOptions(trx: Executor, o: ReadOptions, deadline: number) {
  const settings: Array<[string, string]> = [
    // The budget left, enforced by the server (PostgreSQL's regex engine backtracks, docs/search.md).
    ['statement_timeout', String(Math.max(1, Math.ceil(deadline - Date.now())))],
    // JIT compiles a costly plan for tens of milliseconds before running it: more than most searches take.
    ['jit', 'off'],
    // A search stops at its page: parallel workers cost their start-up (measured 90–160 ms under load at 1 M) and
    // save little; concurrent users are the parallelism.
    ['max_parallel_workers_per_gather', '0'],
    ...(o.nestedLoops
      ? ([
          ['enable_hashjoin', 'off'],
          ['enable_mergejoin', 'off'],
        ] as Array<[string, string]>)
      : []),
  ];
  // One round trip for all of them (set_config(…, true) is SET LOCAL).
  await sql`SELECT ${sql.join(settings.map(([k, v]) => sql`set_config(${k}, ${v}, true)`))}`.execute(trx);
  if (o.prepare) await o.prepare(trx);
}

// ---- fair scheduling --------------------------------------------------------------------------------------------

interface Job {
  owner: string;
  enqueuedAt: number;
  deadline: number;
  startedAt?: number;
  timer?: NodeJS.Timeout;
  start(release: () => void): void;
  fail(err: Error): void;
  /** Stops listening to the caller's signal. */
  unlisten?: () => void;
}

/** FIFO over every owner, skipping an owner that already has its share running. */
class FairScheduler {
  private readonly waiting: Job[] = [];
  private readonly running = new Set<Job>();
  private readonly runningBy = new Map<string, number>();
  private readonly perOwner: number;
  private readonly maxWaitingPerOwner: number;

  constructor(
    readonly capacity: number,
    opts: ReadPoolOptions,
    private readonly timeoutMs: number,
  ) {
    this.perOwner = opts.perOwner ?? Math.max(1, Math.floor(capacity / 2));
    this.maxWaitingPerOwner = opts.maxWaitingPerOwner ?? 8;
  }

  /** Runs `work` when a slot is free for the owner; `work` gets the deadline and must honour it itself once started. */
  submit<T>(o: ReadOptions, work: (deadline: number) => Promise<T>): Promise<T> {
    const owner = o.owner ?? '';
    const now = Date.now();
    const deadline = o.deadline ?? now + this.timeoutMs;
    if (deadline <= now) return Promise.reject(searchTimeout());
    if (o.signal?.aborted) return Promise.reject(searchCancelled());
    if (this.waiting.filter((j) => j.owner === owner).length >= this.maxWaitingPerOwner) return Promise.reject(searchBusy());
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        owner,
        enqueuedAt: now,
        deadline,
        start: (release) => {
          job.unlisten?.();
          // Released before the caller resumes, so what it does next sees the slot free.
          work(deadline).then(
            (v) => {
              release();
              resolve(v);
            },
            (e: unknown) => {
              release();
              reject(e as Error);
            },
          );
        },
        fail: (err) => {
          job.unlisten?.();
          reject(err);
        },
      };
      // Waiting counts against the budget too.
      job.timer = setTimeout(() => {
        const i = this.waiting.indexOf(job);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        job.fail(searchTimeout());
      }, deadline - now);
      job.timer.unref();
      if (o.signal) {
        // Cancelled while waiting: it leaves the queue. Once running, `work` honours the signal itself.
        const signal = o.signal;
        const onAbort = () => {
          const i = this.waiting.indexOf(job);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          clearTimeout(job.timer);
          job.fail(searchCancelled());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        job.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiting.push(job);
      this.pump();
    });
  }

  private pump() {
    for (let i = 0; i < this.waiting.length && this.running.size < this.capacity;) {
      const job = this.waiting[i]!;
      if ((this.runningBy.get(job.owner) ?? 0) >= this.perOwner) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      clearTimeout(job.timer);
      this.running.add(job);
      this.runningBy.set(job.owner, (this.runningBy.get(job.owner) ?? 0) + 1);
      job.startedAt = Date.now();
      let released = false;
      job.start(() => {
        if (released) return;
        released = true;
        this.running.delete(job);
        const n = (this.runningBy.get(job.owner) ?? 1) - 1;
        if (n > 0) this.runningBy.set(job.owner, n);
        else this.runningBy.delete(job.owner);
        this.pump();
      });
    }
  }

  stats(terminated: number): ReadPoolStats {
    const now = Date.now();
    const runs = [...this.running].map((j) => now - (j.startedAt ?? now));
    return {
      capacity: this.capacity,
      running: this.running.size,
      waiting: this.waiting.length,
      oldestWaitMs: this.waiting.length ? now - Math.min(...this.waiting.map((j) => j.enqueuedAt)) : 0,
      shortestRunMs: runs.length ? Math.min(...runs) : 0,
      terminated,
    };
  }

  /** Fails every waiting job (pool closing). */
  drain(err: Error) {
    for (const job of this.waiting.splice(0)) {
      clearTimeout(job.timer);
      job.fail(err);
    }
  }
}

// ---- SQLite worker threads --------------------------------------------------------------------------------------

const WORKER_URL = new URL('./read-worker.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  busy: { id: number; resolve(rows: unknown[]): void; reject(err: Error): void; early?: ReadOptions['early']; timer?: NodeJS.Timeout } | null;
  gone: boolean;
  /** Resolves when the thread has loaded and opened its connection. */
  ready: Promise<void>;
}

class SqliteReadPool implements ReadPool {
  private readonly slots: Slot[] = [];
  private readonly scheduler: FairScheduler;
  private nextId = 1;
  private terminated = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly opts: ReadPoolOptions,
    timeoutMs: number,
  ) {
    this.scheduler = new FairScheduler(opts.size ?? Math.min(2, os.availableParallelism()), opts, timeoutMs);
  }

  private spawn(): Slot {
    // read-worker.mjs loads the TypeScript worker through tsx.
    const worker = new Worker(WORKER_URL, { workerData: { file: this.file, functions: this.opts.workerFunctions ?? {} } });
    let markReady!: () => void;
    const slot: Slot = { worker, busy: null, gone: false, ready: new Promise<void>((r) => (markReady = r)) };
    worker.on('message', (m: { ready?: true; id: number; rows?: unknown[]; early?: unknown[]; error?: { message: string; code?: string } }) => {
      if (m.ready) return markReady();
      const job = slot.busy;
      if (!job || job.id !== m.id) return;
      if (m.early) {
        job.early?.receive(m.early);
        return;
      }
      clearTimeout(job.timer);
      slot.busy = null;
      // Idle workers must not keep the process alive; a busy one must (a script awaiting a search would exit otherwise).
      worker.unref();
      if (m.error) job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else job.resolve(m.rows ?? []);
    });
    const lost = (err: Error) => {
      if (slot.gone) return;
      slot.gone = true;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.busy;
      slot.busy = null;
      markReady();
      if (job) {
        clearTimeout(job.timer);
        job.reject(err);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`search worker stopped (exit code ${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  all<R>(query: Compilable<R>, options: ReadOptions = {}): Promise<R[]> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    const { sql: text, parameters } = query.compile();
    return this.scheduler.submit(options, (deadline) => this.runOnWorker<R>(text, parameters, deadline, options.early, options.signal));
  }

  /** The scheduler starts at most `capacity` of these at once, so an idle slot exists or one can be started. */
  private async runOnWorker<R>(
    text: string,
    parameters: readonly unknown[],
    deadline: number,
    early?: ReadOptions['early'],
    signal?: AbortSignal,
  ): Promise<R[]> {
    const slot = this.slots.find((s) => !s.busy && !s.gone) ?? this.spawn();
    const id = this.nextId++;
    const rows = new Promise<R[]>((resolve, reject) => {
      slot.busy = { id, resolve: resolve as (rows: unknown[]) => void, reject, early };
    });
    slot.worker.ref();
    const waitedFrom = Date.now();
    await slot.ready;
    if (slot.busy?.id !== id) return rows; // the thread died while starting: rows is rejected
    // A thread's start-up does not count against the query's budget.
    const budget = Math.max(0, deadline - waitedFrom);
    // At the deadline (or the caller's cancel) the statement cannot be interrupted: the thread goes, the next query
    // gets a fresh one.
    const stop = (err: Error) => {
      const job = slot.busy;
      if (job?.id !== id) return;
      this.terminated++;
      clearTimeout(job.timer);
      slot.busy = null;
      slot.gone = true;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      void slot.worker.terminate();
      // Start the replacement now, so the next query does not pay the thread's start-up.
      if (!this.closed) this.spawn();
      job.reject(err);
    };
    slot.busy.timer = setTimeout(() => stop(searchTimeout()), budget);
    const onAbort = () => stop(searchCancelled());
    if (signal?.aborted) onAbort();
    else {
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.worker.postMessage({ id, sql: text, parameters, early: early?.rows });
    }
    return signal ? rows.finally(() => signal.removeEventListener('abort', onAbort)) : rows;
  }

  stats() {
    return this.scheduler.stats(this.terminated);
  }

  async close() {
    this.closed = true;
    this.scheduler.drain(new Error('the read pool is closed'));
    const all = this.slots.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}
