// SQL snapshots of the Conversations search: the statements each search class sends to each full-text engine
// (SQLite FTS5, PostgreSQL tsvector), committed beside the code and reviewed like it (as Immich commits its generated
// SQL), so that a change to a plan shows up as a diff in review instead of as a surprise in the benchmark.
//
// The classes are the search benchmark's (bench/search/measure.ts CLASSES) plus the paths it does not time (a text
// keyset page, a relevance page, an exclusion-only query, a "contains" too short for the trigram index, an agent's own
// conversations) and the index writes.
// Statements are compiled by each engine's real Kysely compiler without a database, from a fixed actor, clock, sites
// and custom fields, so the files are deterministic; parameters are listed under each statement.
//
// After an intended change, regenerate and review the diff:  npx vitest run src/search/sql-snapshots.test.ts -u
// (CI=true never writes snapshots: a stale file fails there.)
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseIntrospector,
  type DialectAdapter as KyselyAdapter,
  type QueryCompiler,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLASSES } from '../../bench/search/measure.ts';
import type { Actor } from '../auth/actor.ts';
import type { Permission } from '../auth/permissions.ts';
import { postgresAdapter, sqliteAdapter, type DialectAdapter } from '../platform/db/adapter.ts';
import type { Database } from '../platform/db/schema.ts';
import { normalizeFilter, type SearchFilterInput } from './filter.ts';
import { periodBoundsPerZone, periodHull, type CustomFieldType } from './filters/index.ts';
import { fullTextFor } from './fulltext/index.ts';
import { indexTerms, packFields, type SearchField } from './index/document.ts';
import { writeDoc } from './index/repository.ts';
import * as repo from './repository.ts';
import { prepareQuery } from './service.ts';

const NOW = new Date('2026-06-15T10:30:00.000Z');
const TENANT = 'tenant-1';

const actor = (userId: string, permissions: Permission[]): Actor => ({
  tenantId: TENANT,
  userId,
  name: userId,
  email: `${userId}@example.com`,
  permissions: new Set(permissions),
  scope: { all: true },
  ip: null,
  application: 'api',
});
const ADMIN = actor('user-admin', ['conversations.view', 'users.manage']);
const AGENT = actor('user-agent', ['conversations.view_own']);

/** What repo.siteZones returns for a tenant with two sites in two zones. */
const ZONES: repo.ZoneSites[] = [
  { timeZone: 'Europe/Paris', siteIds: ['site-paris'], withoutSite: false },
  { timeZone: 'America/New_York', siteIds: ['site-new-york'], withoutSite: false },
  { timeZone: 'UTC', siteIds: [], withoutSite: true },
];
const FIELDS = [{ id: 'field-cisco-id', key: 'cisco_id', type: 'text' }];

interface SnapshotClass {
  name: string;
  input: SearchFilterInput;
  cursor?: repo.Cursor;
  actor?: Actor;
}

// A deep page is measured in the bench by following cursors; here it is a fixed cursor of the kind the page gives out.
const benchClasses: SnapshotClass[] = CLASSES.map((c) => ({
  name: c.name.replace('{page}', String((c.deep ?? 0) + 1)),
  input: c.input,
  ...(c.deep ? { cursor: { m: 't', s: '2026-05-02T08:15:00.000Z', id: 'conv-0001' } as const } : {}),
}));

const CLASSES_SNAPSHOT: SnapshotClass[] = [
  ...benchClasses,
  { name: 'common term: billing, page 2 (keyset on the document key)', input: { q: 'billing' }, cursor: { m: 'k', k: 178_000_000_012_345 } },
  {
    name: 'refund + call, inbound, long; relevance, page 2',
    input: { q: 'refund', channels: ['call'], direction: 'inbound', duration: 'long', sort: 'relevance' },
    cursor: { m: 'r', h: 178_000_000_012_345, o: 50 },
  },
  { name: 'exclusion only: -refund', input: { q: '-refund' } },
  {
    name: 'custom data: cisco_id contains 42 (shorter than a trigram)',
    input: { customData: [{ fieldKey: 'cisco_id', op: { op: 'contains', value: '42' } }] },
  },
  { name: 'agent, own conversations: billing', input: { q: 'billing' }, actor: AGENT },
];

/** The plan searchConversations builds (src/search/service.ts), from fixed lookups instead of the database. */
function planOf(adapter: DialectAdapter, c: SnapshotClass): repo.SearchPlan | null {
  const filter = normalizeFilter(c.input, { customFields: new Map(FIELDS.map((f) => [f.key, f.type as CustomFieldType])) });
  const prepared = prepareQuery(filter.q, 'en', fullTextFor(adapter), filter.saidBy ?? null);
  if (prepared.none) return null;
  const zones = filter.period ? ZONES : [];
  let period: repo.SearchPlan['period'] = null;
  if (filter.period) {
    const bounds = periodBoundsPerZone(
      filter.period,
      NOW,
      zones.map((z) => z.timeZone),
    );
    const hull = periodHull(bounds);
    period = { zones: bounds.map((b, i) => ({ ...b, siteIds: zones[i]!.siteIds, withoutSite: zones[i]!.withoutSite })), from: hull.from, to: hull.to };
  }
  return {
    actor: c.actor ?? ADMIN,
    filter,
    now: NOW,
    period,
    text: prepared.text,
    dataTags: new Map(),
    customFields: new Map(FIELDS.map((f) => [f.key, { id: f.id, type: f.type }])),
    timeZone: zones.find((z) => z.siteIds.length)?.timeZone ?? 'UTC',
  };
}

// ---- compile-only databases --------------------------------------------------------------------------------------------

const ENGINES: Array<{
  name: string;
  adapter: DialectAdapter;
  kysely: { adapter: () => KyselyAdapter; compiler: () => QueryCompiler; introspector: (db: Kysely<unknown>) => DatabaseIntrospector };
}> = [
  {
    name: 'sqlite',
    adapter: sqliteAdapter,
    kysely: { adapter: () => new SqliteAdapter(), compiler: () => new SqliteQueryCompiler(), introspector: (db) => new SqliteIntrospector(db) },
  },
  {
    name: 'postgres',
    adapter: postgresAdapter,
    kysely: { adapter: () => new PostgresAdapter(), compiler: () => new PostgresQueryCompiler(), introspector: (db) => new PostgresIntrospector(db) },
  },
];

/** The engine's own compiler (as openDatabase builds it: no plugins) over a driver that never connects; `log` sees what runs. */
function compileOnly(engine: (typeof ENGINES)[number], log: CompiledQuery[] = []) {
  return new Kysely<Database>({
    dialect: {
      createAdapter: engine.kysely.adapter,
      createDriver: () => new DummyDriver(),
      createIntrospector: engine.kysely.introspector,
      createQueryCompiler: engine.kysely.compiler,
    },
    log: (e) => {
      if (e.level === 'query') log.push(e.query);
    },
  });
}

// ---- formatting ------------------------------------------------------------------------------------------------------------

const BREAK_BEFORE = new Set(['select', 'from', 'where', 'and', 'or', 'order', 'limit', 'inner', 'cross', 'left', 'group', 'values', 'set', 'on']);

/** One clause or condition per line, indented by parentheses, so a changed condition is a changed line in review. */
export function formatSql(text: string): string {
  const tokens = text.match(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\w+|\s+|./gsu) ?? [];
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let lineDepth = 0;
  const flush = () => {
    if (line.trim()) lines.push('  '.repeat(lineDepth) + line.trim());
    line = '';
    lineDepth = depth;
  };
  for (const t of tokens) {
    if (/^\s+$/.test(t)) {
      if (line && !line.endsWith(' ') && !line.endsWith('(')) line += ' ';
      continue;
    }
    if (/^\w+$/.test(t) && BREAK_BEFORE.has(t.toLowerCase())) flush();
    if (t === ')') {
      depth--;
      if (!line.trim()) lineDepth = depth;
    }
    line += t;
    if (t === '(') depth++;
  }
  flush();
  return lines.join('\n');
}

const param = (p: unknown) => (Buffer.isBuffer(p) || p instanceof Uint8Array ? `<${p.length} bytes>` : JSON.stringify(p));

function render(title: string, q: { sql: string; parameters: readonly unknown[] }, options?: object) {
  // ReadOptions.early is shown as the number of rows sent ahead.
  const shown = options && 'early' in options ? { ...options, early: (options.early as { rows: number }).rows } : options;
  const head = [`-- ${title}${shown && Object.keys(shown).length ? ` ${JSON.stringify(shown)}` : ''}`];
  const params = q.parameters.map((p, i) => `--   ${i + 1}: ${param(p)}`);
  return [...head, `${formatSql(q.sql)};`, ...(params.length ? ['-- parameters:', ...params] : [])].join('\n');
}

// ---- the statements ------------------------------------------------------------------------------------------------------

/** The first page with its count (or, with a cursor, the page and count statements) of a class, captured through a read runner that records instead of running. */
async function searchStatements(engine: (typeof ENGINES)[number], c: SnapshotClass): Promise<string> {
  const plan = planOf(engine.adapter, c);
  if (!plan) return `-- (no statement: nothing can match)`;
  const db = compileOnly(engine);
  const out: string[] = [];
  const recorder = (rows: unknown[], what: string) => ({
    all: async <R>(q: { compile(): CompiledQuery }, options?: object) => {
      const compiled = q.compile();
      out.push(render(what, compiled, options));
      // A count statement answers its one row.
      return (/^select count\(\*\)/.test(compiled.sql) ? [{ n: 0 }] : rows) as R[];
    },
  });
  if (c.cursor) {
    await repo.searchPage(db, engine.adapter, plan, 50, c.cursor, recorder([], 'page') as never);
    await repo.countCapped(db, engine.adapter, plan, repo.COUNT_CAP, recorder([{ n: 0 }], 'count') as never);
  } else {
    const first = repo.searchFirstPage(db, engine.adapter, plan, 50, recorder([], 'first page and count') as never);
    await Promise.all([first.page, first.count]);
  }
  return out.join('\n\n');
}

const field = (where: SearchField['where'], text: string): SearchField => ({
  where,
  segmentId: where === 'conversation_id' ? null : 'seg-1',
  seq: where === 'chat_message' ? 0 : null,
  tagId: null,
  text,
});

/** Writing a new document and replacing one, as the indexer does (without its key probing, which is engine-free). */
async function indexStatements(engine: (typeof ENGINES)[number]): Promise<string> {
  const log: CompiledQuery[] = [];
  const db = compileOnly(engine, log);
  const fields = [
    field('conversation_id', 'conv-0001'),
    { ...field('chat_message', "Hello, I'd like a refund for my internet bill"), speaker: 'customer' as const },
    { ...field('chat_message', 'Refund issued'), speaker: 'agent' as const },
  ];
  const doc = {
    conversationId: 'conv-0001',
    tenantId: TENANT,
    docKey: 178_000_000_012_345,
    language: 'en',
    texts: packFields(fields),
    terms: indexTerms(fields, 'en'),
  };
  const out: string[] = [];
  await writeDoc(db, engine.adapter, doc, null);
  out.push(...log.splice(0).map((q) => render('new document', q)));
  await writeDoc(db, engine.adapter, { ...doc, docKey: 178_000_100_054_321 }, doc.docKey);
  out.push(...log.splice(0).map((q) => render('replaced document (new key)', q)));
  return out.join('\n\n');
}

describe('SQL snapshots of the search', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('formats statements one clause per line, leaving quoted text alone', () => {
    expect(formatSql(`select "a" from t where (x = 'and (or' and "y" in (select 1 from u)) order by "a" limit ?`)).toBe(
      ['select "a"', 'from t', "where (x = 'and (or'", '  and "y" in (', '    select 1', '    from u))', 'order by "a"', 'limit ?'].join('\n'),
    );
  });

  it('covers every class of the search benchmark', () => {
    const names = new Set(CLASSES_SNAPSHOT.map((c) => c.name));
    for (const c of CLASSES) expect(names.has(c.name.replace('{page}', String((c.deep ?? 0) + 1)))).toBe(true);
  });

  for (const engine of ENGINES) {
    it(`matches the committed SQL on ${engine.name}`, async () => {
      const sections: string[] = [
        `-- Generated by src/search/sql-snapshots.test.ts: the SQL of the Conversations search on ${engine.name}.\n` +
          '-- Review changes like code; regenerate with: npx vitest run src/search/sql-snapshots.test.ts -u',
      ];
      for (const c of CLASSES_SNAPSHOT) {
        sections.push(
          `-- ==== ${c.name} ====\n-- filter: ${JSON.stringify(c.input)}${c.cursor ? `\n-- cursor: ${JSON.stringify(c.cursor)}` : ''}${c.actor ? `\n-- actor: ${c.actor.userId} (${[...c.actor.permissions].join(', ')})` : ''}\n\n${await searchStatements(engine, c)}`,
        );
      }
      sections.push(`-- ==== indexing a conversation ====\n\n${await indexStatements(engine)}`);
      await expect(`${sections.join('\n\n')}\n`).toMatchFileSnapshot(`./__snapshots__/search.${engine.name}.sql`);
    });
  }
});
