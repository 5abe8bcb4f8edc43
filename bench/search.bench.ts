// `npm run bench:search`: Conversations search latency at N seeded conversations (default 1,000,000) on SQLite and
// PostgreSQL. p50 / p95 over warm runs per query class (the medians of 5 rounds, the classes taking turns, as the
// reference engine's figures were taken), with the SQL of the page and of the capped count timed alone.
//
//   npm run bench:search -- --n 20000 --engines sqlite --runs 30
//   options (environment fallbacks): --n (EARSHOT_BENCH_SEARCH_N), --engines sqlite,postgres (EARSHOT_BENCH_SEARCH_ENGINES),
//   --runs (EARSHOT_BENCH_SEARCH_RUNS, at least 30), --rounds (EARSHOT_BENCH_SEARCH_ROUNDS, default 5),
//   --seed (EARSHOT_BENCH_SEARCH_SEED), --workers (generator threads),
//   --spoken (EARSHOT_BENCH_SEARCH_SPOKEN: transcript words per call, default 500; 0 = the short transcripts of before),
//   --rebuild (ignore the cache), --explain (print the query plans of every class; by default only of classes that miss),
//   --classes a,b (only the classes whose name contains one of these words, e.g. --classes phone,custom)
//
// The data sets are cached in bench/.cache (SQLite file; PostgreSQL data directory), keyed by N, seed and generator
// version, so only the first run pays for generation. Targets: p95 ≤ 100 ms on SQLite and ≤ 150 ms on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { DAY_MS } from '../src/search/filters/zoned-time.ts';
import { findPgBin } from '../test/postgres.ts';
import {
  adminActor,
  CLASSES,
  measureClass,
  machineSpeed,
  measureRounds,
  measureExactCounts,
  measureOverhead,
  printComparison,
  printTable,
  statementsOf,
  warmUp,
  type ClassResult,
} from './search/measure.ts';
import { inline, postgresPlan, sqlitePlan } from './search/explain.ts';
import { buildPostgres, databaseUrl, openPostgres, PG_SETTINGS, type PgServer } from './search/postgres.ts';
import { benchContext } from './search/setup.ts';
import { buildSqlite, type Meta } from './search/sqlite.ts';

/** Bump when the generated data changes, so stale caches are not reused. */
const GENERATOR_VERSION = 2;
const TARGETS = { sqlite: 100, postgres: 150 } as const;
type Engine = keyof typeof TARGETS;

const CACHE = path.join(path.dirname(fileURLToPath(import.meta.url)), '.cache');

interface Options {
  n: number;
  engines: Engine[];
  runs: number;
  /** Rounds of `runs` per class (measureRounds): the reported p50/p95 are the medians of the rounds'. */
  rounds: number;
  seed: number;
  workers: number;
  spoken: number;
  rebuild: boolean;
}

function options(argv: string[]): Options {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const num = (name: string, env: string, dflt: number) => {
    const raw = arg(name) ?? process.env[env];
    const v = raw === undefined ? dflt : Number(String(raw).replace(/[_,]/g, ''));
    if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`);
    return v;
  };
  const engines = (arg('engines') ?? process.env.EARSHOT_BENCH_SEARCH_ENGINES ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const e of engines) if (!(e in TARGETS)) throw new Error(`--engines: unknown engine "${e}" (sqlite, postgres)`);
  const runs = num('runs', 'EARSHOT_BENCH_SEARCH_RUNS', 30);
  if (runs < 30) throw new Error('--runs: at least 30 warm runs per class');
  return {
    n: num('n', 'EARSHOT_BENCH_SEARCH_N', 1_000_000),
    engines: engines as Engine[],
    runs,
    rounds: num('rounds', 'EARSHOT_BENCH_SEARCH_ROUNDS', 5),
    seed: num('seed', 'EARSHOT_BENCH_SEARCH_SEED', 42),
    workers: num('workers', 'EARSHOT_BENCH_SEARCH_WORKERS', 1),
    spoken: (arg('spoken') ?? process.env.EARSHOT_BENCH_SEARCH_SPOKEN) === '0' ? 0 : num('spoken', 'EARSHOT_BENCH_SEARCH_SPOKEN', 500),
    rebuild: argv.includes('--rebuild'),
  };
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function describeBuild(meta: Meta, fresh: boolean) {
  const b = meta.build;
  const when = fresh ? 'generated now' : `cached (generated ${new Date(meta.setup.now).toISOString().slice(0, 10)})`;
  return (
    `${when}: ${b.seconds.toFixed(0)} s in all, load ${b.loadSeconds.toFixed(0)} s at ${Math.round(b.rowsPerSecond).toLocaleString('en')} conversations/s, ` +
    `indexes/ANALYZE ${b.finishSeconds.toFixed(0)} s; ${b.sizeMb.toFixed(0)} MB; ${Math.round(b.spokenPerCall ?? 0)} transcript words per call; ` +
    `fast terms checked against indexTerms on ${b.verified} conversations`
  );
}

async function runClasses(engine: Engine, url: string, meta: Meta, runs: number, rounds: number): Promise<ClassResult[]> {
  const { ctx, close } = await benchContext(url);
  // The SQLite read pool's worker threads are unref'd: with a query pending on them and nothing else scheduled, Node
  // would exit mid-await (exit code 13). A server has its listening socket; the bench holds this timer instead.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const actor = await adminActor(ctx, meta.setup.adminId);
    const now = new Date(meta.setup.now);
    const inPeriod = await ctx.db
      .selectFrom('conversations')
      .select(sql<number>`count(*)`.as('n'))
      .where('started_at', '>=', new Date(meta.setup.now - 90 * DAY_MS).toISOString())
      .executeTakeFirstOrThrow();
    console.log(
      `  ${Number(inPeriod.n).toLocaleString('en')} conversations in the last 90 days (the default period) as of ${now.toISOString()}; load average ${load()}`,
    );
    const results: ClassResult[] = [];
    const classes = CLASSES.filter((c) => !onlyClasses || onlyClasses.some((w) => c.name.includes(w)));
    await warmUp(ctx, actor, classes, now);
    const speedBefore = machineSpeed();
    const searched = await measureRounds(ctx, actor, classes, now, runs, rounds);
    const speedAfter = machineSpeed();
    console.log(
      `  machine speed: a fixed arithmetic loop took ${speedBefore.toFixed(2)} ms (p50) before the rounds and ${speedAfter.toFixed(2)} ms after ` +
        '(higher is slower; compare runs at the same speed)',
    );
    for (const qc of classes) {
      const r = await measureClass(ctx, actor, qc, now, runs, searched.get(qc)!);
      results.push(r);
      const spread = (k: 'p50' | 'p95') => `${Math.min(...r.rounds.map((x) => x[k])).toFixed(1)}–${Math.max(...r.rounds.map((x) => x[k])).toFixed(1)}`;
      console.log(
        `  ${r.name}: p50 ${r.search.p50.toFixed(1)} ms, p95 ${r.search.p95.toFixed(1)} ms (rounds: p50 ${spread('p50')}, p95 ${spread('p95')}; ` +
          `page SQL ${r.page.p50.toFixed(1)}, count SQL ${r.count.p50.toFixed(1)}, ` +
          `summaries ${r.rows.p50.toFixed(1)}${r.highlights ? `, highlights ${r.highlights.p50.toFixed(1)}` : ''}; ` +
          `GC pauses in ${r.gc.runs} of ${r.gc.of} runs, ${r.gc.ms.toFixed(1)} ms)`,
      );
    }
    printTable(engine === 'sqlite' ? `SQLite ${sqliteVersion()}` : 'PostgreSQL', results, TARGETS[engine], runs);
    await measureExactCounts(ctx, actor, results, now);
    const overhead = await measureOverhead(ctx, actor, now, runs);
    if (engine === 'sqlite') printComparison(results, overhead, (meta.setup.spokenWords ?? 0) > 0, TARGETS.sqlite);
    else console.log(`fixed overhead per query (a word in no document): p50 ${overhead.p50.toFixed(1)} ms, p95 ${overhead.p95.toFixed(1)} ms`);
    for (const r of results.filter((x) => x.search.p95 > TARGETS[engine] || explainAll)) {
      const st = await statementsOf(ctx, actor, r.queryClass, now, r.cursor);
      console.log(`\n-- plans of "${r.name}" (${engine}; p95 ${r.search.p95.toFixed(0)} ms)`);
      for (const [what, s] of st) {
        console.log(`${what}: ${inline(s)}`);
        console.log(engine === 'sqlite' ? sqlitePlan(url.slice('sqlite:'.length), s) : await postgresPlan(ctx.db, s));
      }
    }
    return results;
  } finally {
    clearInterval(keepAlive);
    await close();
  }
}

function sqliteVersion() {
  const db = new BetterSqlite3(':memory:');
  const v = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return v;
}

async function benchSqlite(o: Options) {
  const file = path.join(CACHE, `search-v${GENERATOR_VERSION}-sqlite-${o.n}-${o.seed}-s${o.spoken}.sqlite`);
  const metaFile = `${file}.json`;
  let meta: Meta;
  const fresh = o.rebuild || !fs.existsSync(file) || !fs.existsSync(metaFile);
  if (fresh) {
    for (const f of [file, `${file}-wal`, `${file}-shm`, metaFile]) fs.rmSync(f, { force: true });
    meta = await buildSqlite(file, o.n, o.seed, Math.floor(Date.now() / DAY_MS) * DAY_MS, o.workers, o.spoken);
    fs.writeFileSync(metaFile, JSON.stringify(meta));
  } else {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Meta;
  }
  console.log(`  data set ${path.relative(process.cwd(), file)} ${describeBuild(meta, fresh)}`);
  return runClasses('sqlite', `sqlite:${file}`, meta, o.runs, o.rounds);
}

let pgServer: PgServer | null = null;
/** --explain: print the plans of every class, not only of those that miss the target. */
let explainAll = false;
/** --classes: the words naming the classes to run (all when absent). */
let onlyClasses: string[] | null = null;

async function benchPostgres(o: Options) {
  if (!findPgBin()) {
    console.log('  PostgreSQL binaries not found (apt-get install postgresql): skipped');
    return null;
  }
  const dir = path.join(CACHE, `search-v${GENERATOR_VERSION}-pg-${o.n}-${o.seed}-s${o.spoken}`);
  let opened = o.rebuild ? null : await openPostgres(dir);
  const fresh = !opened;
  if (!opened) opened = await buildPostgres(dir, o.n, o.seed, Math.floor(Date.now() / DAY_MS) * DAY_MS, o.workers, o.spoken);
  pgServer = opened.server;
  try {
    console.log(
      `  PostgreSQL ${opened.server.version}; settings ${Object.entries(PG_SETTINGS)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    console.log(`  data set ${path.relative(process.cwd(), dir)} ${describeBuild(opened.meta, fresh)}`);
    return await runClasses('postgres', databaseUrl(opened.server), opened.meta, o.runs, o.rounds);
  } finally {
    await opened.server.stop();
    pgServer = null;
  }
}

export async function runSearchBench(argv = process.argv.slice(2)) {
  const o = options(argv);
  explainAll = argv.includes('--explain');
  const ci = argv.indexOf('--classes');
  onlyClasses = ci >= 0 ? (argv[ci + 1] ?? '').split(',').filter(Boolean) : null;
  const started = performance.now();
  fs.mkdirSync(CACHE, { recursive: true });
  const cpu = os.cpus();
  console.log(
    `Conversations search benchmark: ${o.n.toLocaleString('en')} conversations (seed ${o.seed}), ~${o.spoken} transcript words per call, engines ${o.engines.join(', ')}`,
  );
  console.log(
    `Machine: ${cpu.length} cores (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, SQLite ${sqliteVersion()}, load average ${load()}`,
  );
  const all: Partial<Record<Engine, ClassResult[] | null>> = {};
  for (const engine of o.engines) {
    console.log(`\n== ${engine}`);
    all[engine] = engine === 'sqlite' ? await benchSqlite(o) : await benchPostgres(o);
  }
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return all;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stop = async () => {
    await pgServer?.stop();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runSearchBench();
}
