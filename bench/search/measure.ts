// The query classes of the search benchmark and their measurement: the whole searchConversations call (filter,
// compile, SQL, summaries, highlights) and, separately, its steps on the same plan and the same read pool (the
// service's own planSearch, searchPage, countCapped, loadRows + summaries, rowHighlights), so the figures show where
// time goes.
import { PerformanceObserver } from 'node:perf_hooks';
import type { AppContext } from '../../src/context.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { actorFor } from '../../src/auth/session-service.ts';
import type { SearchFilterInput } from '../../src/search/filter.ts';
import type { ReadOptions } from '../../src/platform/db/read-pool.ts';
import * as repo from '../../src/search/repository.ts';
import { rowHighlights } from '../../src/search/highlights.ts';
import { decodeCursor, loadRows, planSearch, searchConversations, searchReads } from '../../src/search/service.ts';
import { summaries } from '../../src/conversations/service.ts';
import { RARE_TERM } from './vocabulary.ts';

export const PAGE = 50;
export const WARMUP = 3;
/** Searches of every class before the first is measured (warmUp): the first class no longer pays the process's warm-up. */
export const WARMUP_PASS = 10;

export interface QueryClass {
  name: string;
  input: SearchFilterInput;
  /** Follow nextCursor this many pages first (fewer when there are fewer) and measure the page after them. */
  deep?: number;
}

export const CLASSES: QueryClass[] = [
  { name: 'common term: billing', input: { q: 'billing' } },
  { name: 'common term: billing, all time', input: { q: 'billing', period: null } },
  { name: `rare term: ${RARE_TERM}`, input: { q: RARE_TERM } },
  { name: 'phrase: "cancel my subscription"', input: { q: '"cancel my subscription"' } },
  { name: 'said by the customer: "cancel my subscription"', input: { q: '"cancel my subscription"', saidBy: 'customer' } },
  { name: 'boolean: (problem OR issue) AND billing -refund', input: { q: '(problem OR issue) AND billing -refund' } },
  {
    name: 'refund + call, inbound, long; relevance, highlights',
    input: { q: 'refund', channels: ['call'], direction: 'inbound', duration: 'long', sort: 'relevance' },
  },
  { name: 'filters only (call, inbound, long): page 1', input: { channels: ['call'], direction: 'inbound', duration: 'long' } },
  { name: 'filters only (call, inbound, long): page {page}', input: { channels: ['call'], direction: 'inbound', duration: 'long' }, deep: 20 },
  { name: 'phone prefix: +44 20', input: { phone: '+44 20' } },
  { name: 'custom data: cisco_id contains 4233', input: { customData: [{ fieldKey: 'cisco_id', op: { op: 'contains', value: '4233' } }] } },
  { name: 'custom data: cisco_id starts with CX-10', input: { customData: [{ fieldKey: 'cisco_id', op: { op: 'starts_with', value: 'CX-10' } }] } },
];

/**
 * The dedicated engine's p95 per class (issue 18): Sphinx Search 2.2 on this machine, the same 1 M conversations
 * without transcripts, English stemming, BM25 over the 1,000 newest matches, snippets; timed through its client protocol
 * on loopback. Fixed reference figures, not measured by this bench.
 */
export const REFERENCE_P95: Record<string, number> = {
  'common term: billing': 51.9,
  'common term: billing, all time': 93.4,
  [`rare term: ${RARE_TERM}`]: 2.4,
  'phrase: "cancel my subscription"': 99.8,
  'boolean: (problem OR issue) AND billing -refund': 66.4,
  'refund + call, inbound, long; relevance, highlights': 28.1,
  'filters only (call, inbound, long): page 1': 15.3,
  'filters only (call, inbound, long): page 21': 14.6,
  'phone prefix: +44 20': 12.6,
  'custom data: cisco_id contains 4233': 3.2,
  'custom data: cisco_id starts with CX-10': 8.9,
};

/** The search that finds nothing (a word in no document): what every search pays before it has rows to show. */
export const EMPTY_CLASS: QueryClass = { name: 'fixed overhead: a word in no document', input: { q: 'qqqzzzyx' } };

export interface Stat {
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function stat(ms: number[]): Stat {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}

export interface ClassResult {
  name: string;
  /** The class measured, and the cursor of the page measured (deep pages). */
  queryClass: QueryClass;
  cursor: string | undefined;
  /** p50 and p95: the medians of the rounds' (measureRounds). */
  search: Stat;
  rounds: Stat[];
  /** Runs that a main-thread garbage collection pause fell in (measureRounds). */
  gc: Searched['gc'];
  page: Stat;
  count: Stat;
  /** Loading the page's rows and their list summaries (participants, tags, comments, custom fields). */
  rows: Stat;
  /** Reading the page's searched texts and highlighting the query in them. */
  highlights: Stat | null;
  total: number;
  totalExact: boolean;
  items: number;
  highlighted: number;
}

export const adminActor = (ctx: AppContext, userId: string) =>
  actorFor(ctx, userId, { ip: '127.0.0.1', application: 'api' }).then((a) => {
    if (!a) throw new Error(`no actor for the bench admin ${userId}`);
    return a;
  });

/** The plan searchConversations runs its statements on (src/search/service.ts planSearch), for timing its parts alone. */
export async function planOf(ctx: AppContext, actor: Actor, input: SearchFilterInput, now: Date): Promise<{ plan: repo.SearchPlan; highlightTerms: string[] }> {
  const { plan, prepared } = await planSearch(ctx, actor, input, now);
  if (!plan) throw new Error(`the query ${JSON.stringify(input.q)} can match nothing: no statements to measure`);
  return { plan, highlightTerms: prepared.highlightTerms };
}

/** loadRows + summaries, as searchConversations does them. */
const rowsAndSummaries = async (ctx: AppContext, actor: Actor, ids: string[]) => summaries(ctx, actor, await loadRows(ctx, ids));

async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ times: number[]; starts: number[]; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < WARMUP; i++) last = await f();
  const times: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await f();
    times.push(performance.now() - t);
    starts.push(t);
  }
  return { times, starts, last: last! };
}

/**
 * The main thread's garbage collection pauses while `f` runs (PerformanceObserver "gc" entries: scavenges, mark-compacts
 * and their incremental finishing; not the marking V8 does beside the thread). A run's time includes any that fell in it.
 */
async function gcPausesDuring(f: () => Promise<void>): Promise<Array<{ start: number; ms: number }>> {
  const pauses: Array<{ start: number; ms: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await f();
    // Entries are delivered asynchronously: one turn of the event loop lets the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return pauses;
  } finally {
    observer.disconnect();
  }
}

/** How many of the runs (start, time) overlapped a pause, and the pauses' time inside them. */
export function runsWithPauses(starts: readonly number[], times: readonly number[], pauses: ReadonlyArray<{ start: number; ms: number }>) {
  let runs = 0;
  let ms = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = from + times[i]!;
    let inRun = 0;
    for (const p of pauses) inRun += Math.max(0, Math.min(to, p.start + p.ms) - Math.max(from, p.start));
    if (inRun > 0) runs++;
    ms += inRun;
  }
  return { runs, ms };
}

/**
 * The machine's speed now: the median time of a fixed loop of arithmetic (no allocation, no I/O), in ms. The same tree
 * measured a minute apart on this 2-core VM ran up to 1.5x slower throughout, and this loop itself 1.4 to 5.5 ms within one session; printed before and after the classes so
 * that two runs' figures can be compared with the speed they were taken at.
 */
export function machineSpeed(): number {
  const a = new Float64Array(20_000).map((_, i) => i % 7);
  const loop = () => {
    let s = 0;
    for (let k = 0; k < 80; k++) for (let i = 0; i < a.length; i++) s += a[i]! * i + k;
    return s;
  };
  for (let i = 0; i < 20; i++) loop();
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    sink += loop();
    times.push(performance.now() - t);
  }
  if (sink === -1) console.log(sink); // keeps the loop's result alive
  return stat(times).p50;
}

/**
 * Every class's search WARMUP_PASS times, before any class is measured: the code's compilation, the prepared
 * statements and the database pages the searches read are then warm for the first class measured as for the last
 * (before, the first class of a run carried them: a rare term measured alone had p95 10.3 ms against 3.3 in the whole
 * bench). Each class still has its WARMUP runs right before its own measurement.
 */
export async function warmUp(ctx: AppContext, actor: Actor, classes: QueryClass[], now: Date) {
  for (let i = 0; i < WARMUP_PASS; i++) {
    for (const qc of [...classes, EMPTY_CLASS]) await searchConversations(ctx, actor, qc.input, { limit: PAGE, now });
  }
}

/** The page a class measures: the first, or the one `deep` pages on (its cursor). */
async function pageOf(ctx: AppContext, actor: Actor, qc: QueryClass, now: Date) {
  let cursor: string | undefined;
  let pageNo = 1;
  for (let i = 0; i < (qc.deep ?? 0); i++) {
    const r = await searchConversations(ctx, actor, qc.input, { cursor, limit: PAGE, now });
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
    pageNo++;
  }
  return { cursor, pageNo };
}

export type Searched = {
  search: Stat;
  rounds: Stat[];
  last: Awaited<ReturnType<typeof searchConversations>>;
  /** Runs (of all rounds') that a garbage collection pause of the main thread fell in, and the pauses' ms in them. */
  gc: { runs: number; of: number; ms: number };
};

/**
 * The whole search of each class in `rounds` rounds, the classes taking turns within a round (WARMUP searches, then
 * `runs` timed), as the reference figures were taken (medians of 5 rounds of 30 warm runs): a class's p50 and p95 are
 * the medians of its rounds' (a round that met a pause of the machine moves them less than one run of 30 would).
 */
export async function measureRounds(ctx: AppContext, actor: Actor, classes: QueryClass[], now: Date, runs: number, rounds: number) {
  const pages = new Map<QueryClass, Awaited<ReturnType<typeof pageOf>>>();
  for (const qc of classes) pages.set(qc, await pageOf(ctx, actor, qc, now));
  const out = new Map<QueryClass, Searched>();
  const timedRuns = new Map<QueryClass, { starts: number[]; times: number[] }>();
  const pauses = await gcPausesDuring(async () => {
    for (let round = 0; round < rounds; round++) {
      for (const qc of classes) {
        const { cursor } = pages.get(qc)!;
        const t = await timed(runs, () => searchConversations(ctx, actor, qc.input, { cursor, limit: PAGE, now }));
        const seen = out.get(qc) ?? { search: stat(t.times), rounds: [], last: t.last, gc: { runs: 0, of: 0, ms: 0 } };
        seen.rounds.push(stat(t.times));
        seen.last = t.last;
        out.set(qc, seen);
        const all = timedRuns.get(qc) ?? { starts: [], times: [] };
        all.starts.push(...t.starts);
        all.times.push(...t.times);
        timedRuns.set(qc, all);
      }
    }
  });
  for (const [qc, seen] of out) {
    const { starts, times } = timedRuns.get(qc)!;
    seen.gc = { ...runsWithPauses(starts, times, pauses), of: times.length };
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  for (const seen of out.values()) {
    seen.search = { p50: median(seen.rounds.map((r) => r.p50)), p95: median(seen.rounds.map((r) => r.p95)), max: Math.max(...seen.rounds.map((r) => r.max)) };
  }
  return out;
}

export async function measureClass(ctx: AppContext, actor: Actor, qc: QueryClass, now: Date, runs: number, searched: Searched): Promise<ClassResult> {
  const { cursor, pageNo } = await pageOf(ctx, actor, qc, now);
  const search = { times: [] as number[], last: searched.last };
  const { plan, highlightTerms } = await planOf(ctx, actor, qc.input, now);
  const rawCursor = cursor ? decodeCursor(cursor, plan.filter, plan.text?.kind === 'match') : null;
  // As searchConversations runs them: where searchReads puts them (the read pool — worker threads on SQLite, the pg
  // pool on PostgreSQL — or in process on SQLite for a rare word or a contains with few candidates; the bounded read
  // that decides it is in the search's time, not in these steps'). A first page is one statement whose head is the
  // page (timed to its arrival) and whose whole is the count; a later page is a page statement and a count statement.
  const { reads, plan: run } = await searchReads(ctx, actor, plan, Date.now() + 600_000);
  let page: { times: number[]; last: repo.PageResult };
  let count: { times: number[]; last: { n: number; exact: boolean } };
  if (rawCursor) {
    page = await timed(runs, () => repo.searchPage(ctx.db, ctx.adapter, run, PAGE, rawCursor, reads));
    count = await timed(runs, () => repo.countCapped(ctx.db, ctx.adapter, run, repo.COUNT_CAP, reads));
  } else {
    const pageTimes: number[] = [];
    let lastPage: repo.PageResult | undefined;
    count = await timed(runs, async () => {
      const t = performance.now();
      const first = repo.searchFirstPage(ctx.db, ctx.adapter, run, PAGE, reads);
      lastPage = await first.page;
      pageTimes.push(performance.now() - t);
      return first.count;
    });
    page = { times: pageTimes.slice(WARMUP), last: lastPage! };
  }
  const ids = page.last.ids;
  const rows = await timed(runs, () => rowsAndSummaries(ctx, actor, ids));
  const hl = highlightTerms.length ? await timed(runs, () => rowHighlights(ctx, ids, highlightTerms)) : null;
  const r = search.last;
  if (count.last.n !== r.total) throw new Error(`${qc.name}: countCapped says ${count.last.n}, the search ${r.total}`);
  if (ids.join() !== r.items.map((i) => i.id).join()) throw new Error(`${qc.name}: searchPage and the search returned different pages`);
  return {
    name: qc.name.replace('{page}', String(pageNo)),
    queryClass: qc,
    cursor,
    search: searched.search,
    rounds: searched.rounds,
    gc: searched.gc,
    page: stat(page.times),
    count: stat(count.times),
    rows: stat(rows.times),
    highlights: hl && stat(hl.times),
    total: r.total,
    totalExact: r.totalExact,
    items: r.items.length,
    highlighted: r.items.filter((i) => i.highlight).length,
  };
}

/**
 * The exact count the list asks for after its first page (POST /api/conversations/search/count, uncached here): the
 * classes whose first page stopped counting, one warm-up and EXACT_RUNS runs each, without the search's time budget.
 */
export const EXACT_RUNS = 3;
export async function measureExactCounts(ctx: AppContext, actor: Actor, results: ClassResult[], now: Date) {
  const out: Array<{ name: string; total: number; p50: number; max: number }> = [];
  for (const r of results.filter((x) => !x.totalExact && !x.cursor)) {
    const { plan } = await planOf(ctx, actor, r.queryClass.input, now);
    const count = () => repo.countCapped(ctx.db, ctx.adapter, plan, Infinity, { all: (q, o) => ctx.reads.all(q, { ...o, deadline: Date.now() + 600_000 }) });
    let total = (await count()).n;
    const times: number[] = [];
    for (let i = 0; i < EXACT_RUNS; i++) {
      const t = performance.now();
      total = (await count()).n;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({ name: r.name, total, p50: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! });
  }
  console.log(`\nexact counts (the list's background count; ${EXACT_RUNS} runs after one warm-up; ms)`);
  for (const x of out)
    console.log(`  ${x.name.padEnd(52)} ${x.total.toLocaleString('en').padStart(9)}  p50 ${x.p50.toFixed(0).padStart(6)}  max ${x.max.toFixed(0).padStart(6)}`);
  return out;
}

/** The whole search for a word in no document: filter checks, lookups, compilation, one statement, an empty page. */
export async function measureOverhead(ctx: AppContext, actor: Actor, now: Date, runs: number): Promise<Stat> {
  const r = await timed(runs, () => searchConversations(ctx, actor, EMPTY_CLASS.input, { limit: PAGE, now }));
  if (r.last.total !== 0) throw new Error(`${EMPTY_CLASS.name}: found ${r.last.total} conversations`);
  return stat(r.times);
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function printTable(engine: string, results: ClassResult[], targetMs: number, runs: number) {
  const head = ['class', 'p50', 'p95', 'target', '', 'total', 'rows', 'page SQL p50/p95', 'count SQL p50/p95', 'summaries p50', 'highlights p50'];
  const rows = results.map((r) => [
    r.name,
    ms(r.search.p50),
    ms(r.search.p95),
    `≤ ${targetMs}`,
    r.search.p95 <= targetMs ? 'met' : 'MISSED',
    r.totalExact ? r.total.toLocaleString('en') : `> ${r.total.toLocaleString('en')}`,
    r.highlighted ? `${r.items} (${r.highlighted} hl)` : String(r.items),
    `${ms(r.page.p50)} / ${ms(r.page.p95)}`,
    `${ms(r.count.p50)} / ${ms(r.count.p95)}`,
    ms(r.rows.p50),
    r.highlights ? ms(r.highlights.p50) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\n${engine}: searchConversations, page of ${PAGE}, ${results[0]?.rounds.length ?? 1} rounds of ${runs} warm runs per class after ${WARMUP} warm-ups each (and ${WARMUP_PASS} searches of every class before the first), p50/p95 the medians of the rounds'; times in ms`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const missed = results.filter((r) => r.search.p95 > targetMs).length;
  console.log(missed ? `${missed} of ${results.length} classes MISSED p95 ≤ ${targetMs} ms` : `every class met p95 ≤ ${targetMs} ms`);
  console.log('total: the capped count the search returned ("> 10,000" = more than COUNT_CAP); rows: items on the page (hl: with a highlight).');
  console.log('page SQL / count SQL: a first page is one statement (searchFirstPage): "page" is when its head (the page) arrived, "count" when');
  console.log("the whole (the capped count) did; an administrator's custom-data class counts from the values in a second statement, after the page");
  console.log('on the read pool (one statement at a time per user); a later page (page 21) is searchPage and countCapped one after the other, timed alone;');
  console.log("summaries: loading the page's rows and list summaries; highlights: reading the page's texts and highlighting the query.");
}

/** The SQL statements of a class (compiled, with parameters), captured through a recording runner: the first page with
 * its count, or a later page and its count. */
export async function statementsOf(ctx: AppContext, actor: Actor, qc: QueryClass, now: Date, cursor: string | undefined) {
  const { plan } = await planOf(ctx, actor, qc.input, now);
  const captured: Array<{ sql: string; parameters: readonly unknown[]; options: ReadOptions }> = [];
  const recorder = (rows: unknown[]) => ({
    all: async <R>(q: { compile(): { sql: string; parameters: readonly unknown[] } }, options: ReadOptions = {}) => {
      const c = q.compile();
      captured.push({ sql: c.sql, parameters: c.parameters, options });
      return rows as R[];
    },
  });
  const rawCursor = cursor ? decodeCursor(cursor, plan.filter, plan.text?.kind === 'match') : null;
  if (!rawCursor) {
    const first = repo.searchFirstPage(ctx.db, ctx.adapter, plan, PAGE, recorder([]) as never);
    await Promise.all([first.page, first.count]);
    return [['first page and count', captured[0]!]] as const;
  }
  await repo.searchPage(ctx.db, ctx.adapter, plan, PAGE, rawCursor, recorder([]) as never);
  await repo.countCapped(ctx.db, ctx.adapter, plan, repo.COUNT_CAP, recorder([{ n: 0 }]) as never);
  return [
    ['page', captured[0]!],
    ['count', captured[1]!],
  ] as const;
}

/**
 * Earshot beside the dedicated engine's reference p95 (REFERENCE_P95), class by class, with the steps' shares. With
 * transcripts the reference figures (measured without) are shown for context and the target is the flat `flatTarget`.
 */
export function printComparison(results: ClassResult[], overhead: Stat | null, withTranscripts: boolean, flatTarget: number) {
  const head = ['class', 'p50', 'p95', withTranscripts ? 'target' : 'Sphinx p95', 'ratio', '', 'page', 'count', 'summaries', 'highlights'];
  const share = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(whole, 1e-9))} %`;
  const rows = results.map((r) => {
    const ref = REFERENCE_P95[r.name];
    const target = withTranscripts ? flatTarget : ref;
    const whole = r.search.p50;
    return [
      r.name,
      ms(r.search.p50),
      ms(r.search.p95),
      target === undefined ? '-' : withTranscripts ? `≤ ${target}` : ms(target),
      ref === undefined || withTranscripts ? '-' : `${(r.search.p95 / ref).toFixed(2)}×`,
      target === undefined ? '' : r.search.p95 <= target ? 'met' : 'MISSED',
      share(r.page.p50, whole),
      share(Math.max(0, r.count.p50 - (r.queryClass.deep ? 0 : r.page.p50)), whole),
      share(r.rows.p50, whole),
      r.highlights ? share(r.highlights.p50, whole) : '-',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    withTranscripts
      ? `\nWith transcripts: every class p95 ≤ ${flatTarget} ms (Sphinx's figures were measured without transcripts and are not compared)`
      : '\nAgainst a dedicated engine (Sphinx Search 2.2, same data, this machine; fixed reference p95 figures, docs/search.md)',
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const geo = results.filter((r) => REFERENCE_P95[r.name] !== undefined);
  if (!withTranscripts && geo.length) {
    const mean = Math.exp(geo.reduce((a, r) => a + Math.log(r.search.p95 / REFERENCE_P95[r.name]!), 0) / geo.length);
    console.log(`geometric mean of the p95 ratios: ${mean.toFixed(2)}× (below 1: faster than the reference)`);
  }
  if (overhead) console.log(`fixed overhead per query (a word in no document): p50 ${ms(overhead.p50)} ms, p95 ${ms(overhead.p95)} ms`);
  console.log(
    "shares of the p50: page = until the page was read; count = the rest of the count (a first page: one statement, or the values' count after the page); summaries; highlights.",
  );
}
