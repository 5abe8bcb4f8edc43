// The Conversations search: a filter (query string or JSON) in, a page of list rows with highlights out.
import type { Compilable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Actor } from '../auth/actor.ts';
import { requireViewer } from '../conversations/access.ts';
import { loadVisible, summaries } from '../conversations/service.ts';
import * as conversationsRepo from '../conversations/repository.ts';
import { DomainError, forbidden, invalid } from '../platform/errors.ts';
import type { ReadOptions, ReadPool } from '../platform/db/read-pool.ts';
import { analyze, highlighter, isPrimary, type Language } from './analyzer/index.ts';
import { rowHighlights, speechHit, spokenBy } from './highlights.ts';
import { describeFilter, normalizeFilter, type SearchFilter, type SearchFilterInput } from './filter.ts';
import { periodBoundsPerZone, periodHull, type CustomFieldType } from './filters/index.ts';
import { searchLanguageIn, searchLanguageOf } from './index/indexer.ts';
import { docKeyRange, unpackFields, type Speaker } from './index/document.ts';
import { fullTextFor, type FullTextBackend } from './fulltext/index.ts';
import type { TermsFor } from './query/compile.ts';
import { collectPositiveTerms, parseQuery, type QueryNode } from './query/parse.ts';
import * as repo from './repository.ts';
import { filterLookups } from './saved/service.ts';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

// ---- the query's words -----------------------------------------------------------------------------------------------

/** A typed word the analyzer cuts in several tokens (`check-in`) must match them in a row: it becomes a phrase. */
function splitCompoundWords(node: QueryNode, lang: Language): QueryNode {
  const tokens = (w: string) =>
    analyze(w, lang)
      .filter(isPrimary)
      .map((t) => t.surface);
  switch (node.type) {
    case 'term': {
      const parts = tokens(node.text);
      return parts.length > 1 ? { type: 'phrase', words: parts, position: node.position } : node;
    }
    case 'phrase':
      return Object.assign({}, node, {
        words: node.words.flatMap((w) => {
          const p = tokens(w);
          return p.length ? p : [w];
        }),
      });
    case 'and':
    case 'or':
      return Object.assign({}, node, { children: node.children.map((c) => splitCompoundWords(c, lang)) });
    case 'not':
      return Object.assign({}, node, { child: splitCompoundWords(node.child, lang) });
    case 'all':
      return node;
  }
}

function everyTermIsStopWord(node: QueryNode, lang: Language): boolean {
  switch (node.type) {
    case 'term': {
      const p = analyze(node.text, lang).filter(isPrimary);
      return p.length > 0 && p.every((t) => t.kind === 'stop');
    }
    case 'phrase':
      return true;
    case 'and':
    case 'or':
      return node.children.every((c) => everyTermIsStopWord(c, lang));
    case 'not':
      return everyTermIsStopWord(node.child, lang);
    case 'all':
      return true;
  }
}

/**
 * The analyzer's side of the query compiler: a word means its primary term (stem, stop word or special token).
 * Single stop words are dropped outside phrases unless the query has nothing else.
 */
export function termsForLanguage(lang: Language, keepStopWords: boolean): TermsFor {
  return (word, { inPhrase }) => {
    const p = analyze(word, lang).filter(isPrimary)[0];
    if (!p) return [];
    if (!inPhrase && p.kind === 'stop' && !keepStopWords) return [];
    return [p.term];
  };
}

export interface PreparedQuery {
  ast: QueryNode | null;
  text: repo.TextCondition;
  none: boolean;
  ignored: string[];
  /** Words and phrases to highlight. */
  highlightTerms: string[];
}

/** `saidBy`: the words must be in that speaker's part of the documents (filter.saidBy). */
export function prepareQuery(q: string | undefined, lang: Language, fullText: FullTextBackend, saidBy: Speaker | null = null): PreparedQuery {
  const parsed = q ? parseQuery(q) : null;
  if (!parsed) return { ast: null, text: null, none: false, ignored: [], highlightTerms: [] };
  const ast = splitCompoundWords(parsed, lang);
  const termsFor = termsForLanguage(lang, everyTermIsStopWord(ast, lang));
  const compiled = fullText.compile(ast, termsFor, saidBy);
  const positive = collectPositiveTerms(ast);
  const highlightTerms = [...positive.terms, ...positive.phrases.map((p) => p.join(' '))];
  switch (compiled.kind) {
    case 'match':
    case 'allExcept':
      return { ast, text: { kind: compiled.kind, query: compiled.query }, none: false, ignored: compiled.ignored, highlightTerms };
    case 'all':
      return { ast, text: null, none: false, ignored: compiled.ignored, highlightTerms };
    case 'none':
      return { ast, text: null, none: true, ignored: compiled.ignored, highlightTerms };
  }
}

// ---- cursors ---------------------------------------------------------------------------------------------------------

function encodeCursor(c: repo.Cursor) {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string, filter: SearchFilter, hasMatch: boolean): repo.Cursor {
  const bad = () =>
    new DomainError('VALIDATION_FAILED', 'The cursor is not one this server gave out for this search; start again from the first page', {
      field: 'cursor',
      reason: 'INVALID_CURSOR',
    });
  let c: repo.Cursor;
  try {
    c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as repo.Cursor;
  } catch {
    throw bad();
  }
  const want = hasMatch ? (filter.sort === 'relevance' ? 'r' : 'k') : 't';
  if (!c || c.m !== want) throw bad();
  if (c.m === 't' && (typeof c.s !== 'string' || typeof c.id !== 'string')) throw bad();
  if (c.m === 'k' && !Number.isSafeInteger(c.k)) throw bad();
  if (c.m === 'r' && (!Number.isSafeInteger(c.h) || !Number.isInteger(c.o) || c.o < 0)) throw bad();
  return c;
}

// ---- search ------------------------------------------------------------------------------------------------------------

export interface SearchPageOptions {
  cursor?: string;
  limit?: number;
  now?: Date;
}

async function checkedFilter(ctx: AppContext, actor: Actor, input: unknown) {
  // Only a custom-data condition needs the field definitions (their types check it; the plan maps keys to ids).
  const wantsFields = typeof input === 'object' && input !== null && (input as { customData?: unknown }).customData != null;
  const fields = wantsFields ? await repo.customFieldDefinitions(ctx.db, actor.tenantId) : [];
  const filter = normalizeFilter(input, { customFields: new Map(fields.map((f) => [f.key, f.type as CustomFieldType])) });
  if (filter.view === 'unassigned' && !actor.permissions.has('users.manage')) {
    throw forbidden('Only administrators (permission "users.manage") can list conversations not assigned to a user');
  }
  // A group filter within the caller's scope only (scope.groupIds holds the subgroups too); the statement keeps the rest.
  if (filter.groupId && !actor.scope.all && !actor.scope.groupIds.includes(filter.groupId)) throw forbidden('This group is outside your scope');
  return { filter, fields };
}

/**
 * What a search runs, from its input: the checked filter and its chips, the prepared text query, and the plan of the
 * page and count statements (null when the query can match nothing). bench/search times the steps on this plan.
 */
export async function planSearch(ctx: AppContext, actor: Actor, input: SearchFilterInput | unknown, now: Date) {
  requireViewer(actor);
  const { filter, fields } = await checkedFilter(ctx, actor, input);
  // The tenant's language and its sites' zones come in one statement (the zones are used only with a period).
  const tenant = await repo.tenantForSearch(ctx.db, actor.tenantId);
  const lang = searchLanguageIn(ctx.adapter, tenant.settings);
  const zones = filter.period ? tenant.zones : [];
  const prepared = prepareQuery(filter.q, lang, fullTextFor(ctx.adapter), filter.saidBy ?? null);
  // Each lookup only when the filter needs it: a plain text search pays for none.
  const wantsTags = filter.tags || (typeof filter.view === 'object' && 'tagId' in filter.view);
  const [tags, speechTags, names] = await Promise.all([
    wantsTags ? repo.tagDefinitions(ctx.db, actor.tenantId) : Promise.resolve([]),
    filter.speechTags ? repo.speechTagDefinitions(ctx.db, actor.tenantId) : Promise.resolve([]),
    // The custom fields' labels for the chips are the definitions the filter was checked with.
    filterLookups(ctx, actor.tenantId, [filter], filter.customData ? { customFields: fields } : undefined),
  ]);
  const chips = describeFilter(filter, Object.assign({}, names, { speechTags: new Map(speechTags.map((t) => [t.id, t.name])) }));
  if (prepared.none) return { filter, chips, prepared, plan: null };

  let period: repo.SearchPlan['period'] = null;
  if (filter.period) {
    const bounds = periodBoundsPerZone(
      filter.period,
      now,
      zones.map((z) => z.timeZone),
    );
    const hull = periodHull(bounds);
    period = {
      zones: bounds.map((b, i) => ({ timeZone: b.timeZone, from: b.from, to: b.to, siteIds: zones[i]!.siteIds, withoutSite: zones[i]!.withoutSite })),
      from: hull.from,
      to: hull.to,
    };
  }
  const plan: repo.SearchPlan = {
    actor,
    filter,
    now,
    period,
    text: prepared.text,
    dataTags: new Map(tags.filter((t) => t.data_key && t.data_value).map((t) => [t.id, { key: t.data_key!, value: t.data_value! }])),
    customFields: new Map(fields.map((f) => [f.key, { id: f.id, type: f.type }])),
    timeZone: zones.find((z) => z.siteIds.length)?.timeZone ?? 'UTC',
  };
  return { filter, chips, prepared, plan };
}

/** A text query that matches at most this many documents of the period runs in process (searchReads). */
export const IN_PROCESS_MATCHES = 200;
/** A custom-data "contains" with at most this many candidate value rows runs in process (searchReads). */
export const IN_PROCESS_CANDIDATES = 500;

/**
 * Where a search's statements run, and the plan they run (with what was read to decide). On the read pool by default:
 * they share one time budget (`deadline`) and count against the user's share of it. In process, on the main
 * connection, when the full-text engine tells cheaply that the statement visits few rows, since the read worker's
 * round trip and wake-up then cost more than the statement (a fifth of a rare word's search):
 * - a text query that matches at most IN_PROCESS_MATCHES documents of the period (a rare word): the statement visits
 *   at most that many documents with a few index probes each. Not with custom-data conditions, whose value lists are
 *   read whatever the text matches.
 * - without a text query, custom-data conditions that are all "contains" with at most IN_PROCESS_CANDIDATES candidate
 *   value rows each: the candidates read to decide go into the plan (SearchPlan.containsRows), so the statement reads
 *   those value rows by row id and looks up only their conversations, without reading the substring index again.
 */
export async function searchReads(
  ctx: AppContext,
  actor: Actor,
  plan: repo.SearchPlan,
  deadline: number,
): Promise<{ reads: Pick<ReadPool, 'all'>; plan: repo.SearchPlan }> {
  const owner = `${actor.tenantId}:${actor.userId}`;
  const pooled = { reads: { all: (q, o) => ctx.reads.all(q, Object.assign({}, o, { owner, deadline })) } satisfies Pick<ReadPool, 'all'>, plan };
  const inProcess = (p: repo.SearchPlan) => ({
    reads: {
      all: async <R>(q: Compilable<R>, o: ReadOptions = {}) => {
        const rows = (await ctx.db.executeQuery(q.compile())).rows as R[];
        o.early?.receive(rows.slice(0, o.early.rows));
        return rows;
      },
    },
    plan: p,
  });
  const fullText = fullTextFor(ctx.adapter);
  if (plan.text === null && fullText.containsRows) {
    const needles = repo.containsNeedles(plan);
    if (!needles) return pooled;
    const known = new Map<string, number[]>();
    for (const needle of needles) {
      const rows = known.get(needle) ?? (await fullText.containsRows(ctx.db, needle, repo.valuePeriod(plan), IN_PROCESS_CANDIDATES));
      if (!rows) return pooled;
      known.set(needle, rows);
    }
    return inProcess(Object.assign({}, plan, { containsRows: known }));
  }
  if (plan.text?.kind !== 'match' || plan.filter.customData?.length || !fullText.fewMatches) return pooled;
  const keys = docKeyRange(plan.period?.from ?? null, plan.period?.to ?? null);
  if (!(await fullText.fewMatches(ctx.db, plan.text.query, keys, IN_PROCESS_MATCHES))) return pooled;
  return inProcess(plan);
}

export async function searchConversations(ctx: AppContext, actor: Actor, input: SearchFilterInput | unknown, opts: SearchPageOptions = {}) {
  requireViewer(actor);
  const started = Date.now();
  const now = opts.now ?? new Date();
  const limit = Math.min(Math.max(opts.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
  const { filter, chips, prepared, plan } = await planSearch(ctx, actor, input, now);
  if (!plan) return { filter, chips, ignored: prepared.ignored, total: 0, totalExact: true, items: [], nextCursor: null };
  const cursor = opts.cursor ? decodeCursor(opts.cursor, filter, prepared.text?.kind === 'match') : null;
  const { reads, plan: run } = await searchReads(ctx, actor, plan, started + ctx.config.searchTimeoutMs);
  // The first page comes with its count from one statement, and is ready before the count is: its rows and
  // highlights are built here while the read worker finishes counting.
  const first = cursor
    ? { page: repo.searchPage(ctx.db, ctx.adapter, run, limit, cursor, reads), count: repo.countCapped(ctx.db, ctx.adapter, run, repo.COUNT_CAP, reads) }
    : repo.searchFirstPage(ctx.db, ctx.adapter, run, limit, reads);
  first.count.catch(() => {}); // awaited below; a failure is reported once, by whichever await comes first
  const page = await first.page;
  // With words to highlight, the page's texts come with its rows (one statement less).
  const highlighting = prepared.highlightTerms.length > 0;
  const rows = await loadRows(ctx, page.ids, highlighting);
  const items = await summaries(ctx, actor, rows);
  const highlights = highlighting ? await rowHighlights(ctx, page.ids, prepared.highlightTerms, filter.saidBy ?? null, textsOf(rows)) : new Map();
  const count = await first.count;
  return {
    filter,
    chips,
    ignored: prepared.ignored,
    total: count.n,
    totalExact: count.exact,
    items: items.map((item) => Object.assign(item, { highlight: highlights.get(item.id) ?? null })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}

/** How long an exact count is reused for the same user and filter: the list asks again when the user comes back. */
export const COUNT_CACHE_MS = 60_000;
const COUNT_CACHE_SIZE = 1_000;
const countCaches = new WeakMap<AppContext, Map<string, { at: number; total: number }>>();

/**
 * The exact number of conversations a search finds (the list shows the capped count of searchConversations at once,
 * then this). Counted under the search's time budget; `signal` cancels it when the caller goes away (the user typed
 * on). The same user's same filter is answered from a cache for COUNT_CACHE_MS.
 */
export async function countConversations(
  ctx: AppContext,
  actor: Actor,
  input: SearchFilterInput | unknown,
  opts: { now?: Date; signal?: AbortSignal } = {},
): Promise<{ total: number; totalExact: true }> {
  requireViewer(actor);
  const started = Date.now();
  const { filter, plan } = await planSearch(ctx, actor, input, opts.now ?? new Date());
  if (!plan) return { total: 0, totalExact: true };
  let cache = countCaches.get(ctx);
  if (!cache) countCaches.set(ctx, (cache = new Map()));
  // Who may see what is part of the key: a changed role or group scope is a different count.
  const scope = actor.scope.all ? '*' : [...actor.scope.groupIds].sort().join(',');
  const key = JSON.stringify([actor.tenantId, actor.userId, [...actor.permissions].sort(), scope, filter]);
  const hit = cache.get(key);
  if (hit && started - hit.at < COUNT_CACHE_MS) return { total: hit.total, totalExact: true };
  const owner = `${actor.tenantId}:${actor.userId}`;
  const deadline = started + ctx.config.searchTimeoutMs;
  const reads: Pick<ReadPool, 'all'> = { all: (q, o) => ctx.reads.all(q, Object.assign({}, o, { owner, deadline, signal: opts.signal })) };
  const { n } = await repo.countCapped(ctx.db, ctx.adapter, plan, Infinity, reads);
  cache.delete(key);
  cache.set(key, { at: started, total: n });
  // Oldest first in a Map: drop from the front.
  for (const k of cache.keys()) {
    if (cache.size <= COUNT_CACHE_SIZE) break;
    cache.delete(k);
  }
  return { total: n, totalExact: true };
}

/** A page's list rows; with `texts`, each with its searched texts (for rowHighlights) from the same statement. */
type RowTexts = { texts?: Buffer | null; language?: string | null };
export async function loadRows(ctx: AppContext, ids: string[], texts = false): Promise<Array<conversationsRepo.ListRow & RowTexts>> {
  return texts && ids.length ? repo.listRowsWithTexts(ctx.db, ctx.adapter, ids) : conversationsRepo.listRows(ctx.db, ctx.adapter, ids);
}

/** The searched texts that came with list rows (loadRows with texts), as rowHighlights reads them. */
const textsOf = (rows: Array<{ id: string } & RowTexts>): repo.SearchTexts[] =>
  rows.flatMap((r) => (r.texts && r.language ? [{ conversation_id: r.id, texts: r.texts, language: r.language }] : []));

/** Where the query's words are in one conversation's texts, for marking them in the opened conversation. */
export async function conversationHighlights(ctx: AppContext, actor: Actor, conversationId: string, q: string, saidBy: Speaker | null = null) {
  await loadVisible(ctx, actor, conversationId);
  const lang = await searchLanguageOf(ctx.db, ctx.adapter, actor.tenantId);
  const prepared = prepareQuery(q.trim() || undefined, lang, fullTextFor(ctx.adapter));
  const [doc] = await repo.searchTexts(ctx.db, [conversationId]);
  if (!doc || prepared.highlightTerms.length === 0) return { items: [] };
  const items = [];
  const hl = highlighter(doc.language as Language, prepared.highlightTerms);
  for (const f of unpackFields(doc.texts)) {
    if (f.where === 'conversation_id' || f.where === 'external_id' || f.where === 'email_address' || !spokenBy(f, saidBy)) continue;
    const ranges = hl.ranges(f.text);
    if (!ranges.length) continue;
    const speech = speechHit(f, ranges[0]);
    items.push({ where: f.where, segmentId: f.segmentId, seq: f.seq, tagId: f.tagId, ranges, ...(speech ? { speech } : {}) });
  }
  return { items };
}

// ---- what the filter pane offers ---------------------------------------------------------------------------------------

export async function searchOptions(ctx: AppContext, actor: Actor) {
  requireViewer(actor);
  const [tags, speechTags, fields] = await Promise.all([
    repo.tagDefinitions(ctx.db, actor.tenantId),
    repo.speechTagDefinitions(ctx.db, actor.tenantId),
    repo.customFieldDefinitions(ctx.db, actor.tenantId),
  ]);
  return {
    tags: tags.map((t) => ({ id: t.id, name: t.name, color: t.color, dataKey: t.data_key, dataValue: t.data_value })),
    speechTags: speechTags.map((t) => ({ id: t.id, name: t.name })),
    customFields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: ctx.adapter.fromJson<string[] | null>(f.options) ?? [] })),
    views: { unassigned: actor.permissions.has('users.manage') },
  };
}

export const AGENT_SUGGESTION_MIN = 2;

/**
 * The people an actor may look up: as far as they may see conversations. Tenant-wide viewers see every user; a
 * group-scoped viewer the users of their groups; one who sees only their own conversations (an agent) the people
 * they shared a conversation with; everyone themselves.
 */
function directoryScope(actor: Actor): repo.DirectoryScope {
  const view = actor.permissions.has('conversations.view');
  if (view && actor.scope.all) return { all: true };
  return {
    all: false,
    selfId: actor.userId,
    groupIds: view && !actor.scope.all ? actor.scope.groupIds : [],
    sharingWith: actor.permissions.has('conversations.view_own') ? actor.userId : null,
  };
}

export async function agentSuggestions(ctx: AppContext, actor: Actor, q: string) {
  requireViewer(actor);
  const text = q.trim();
  if (text.length < AGENT_SUGGESTION_MIN) {
    throw invalid(`Type at least ${AGENT_SUGGESTION_MIN} characters of a name, extension or email`, { field: 'q', reason: 'TOO_SHORT' });
  }
  const rows = await repo.agentSuggestions(ctx.db, ctx.adapter, actor.tenantId, text, 20, directoryScope(actor));
  return { items: rows.map((u) => ({ id: u.id, name: u.name, email: u.email, extension: u.extension })) };
}

/** GET /api/conversations: the query string form (q, filter as JSON) of the same search. */
export function filterFromQueryString(qs: { q?: string; filter?: string }): SearchFilterInput {
  let filter: Record<string, unknown> = {};
  if (qs.filter) {
    try {
      filter = JSON.parse(qs.filter) as Record<string, unknown>;
    } catch {
      throw invalid('The "filter" parameter must be a search filter in JSON', { field: 'filter', reason: 'INVALID_FILTER' });
    }
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter))
      throw invalid('The "filter" parameter must be a JSON object', { field: 'filter', reason: 'INVALID_FILTER' });
  }
  return qs.q !== undefined ? Object.assign({}, filter, { q: qs.q }) : filter;
}
