// Indicators (Call Outs): a tenant's categories → indicators → keywords, found in every conversation's lines by the
// analytics.insights job, and again over the whole history when a definition changes (analytics.mentions.reanalyse,
// progress on the Jobs page and the administration screen), so mentions are retroactive. Definitions are
// organisation-wide: changing them needs insights.manage and a tenant-wide scope; anyone who can view conversations
// may list them. Every change is audited in its transaction.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import * as convRepo from '../../conversations/repository.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { IndicatorCategoriesTable, IndicatorKeywordsTable, IndicatorsTable } from '../../platform/db/schema.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as topicRepo from '../topics/repository.ts';
import { DEFAULT_TOPICS } from '../topics/defaults.ts';
import { DEFAULT_INDICATORS } from './defaults.ts';
import { keywordTerms, type IndicatorSpeaker } from './matching.ts';
import { tenantLanguage } from './analysis.ts';
import * as repo from './repository.ts';
import {
  KEYWORD_MAX,
  KEYWORDS_MAX,
  MAX_INDICATORS,
  NAME_MAX,
  type Category,
  type CategoryCreate,
  type CategoryPatch,
  type Indicator,
  type IndicatorCreate,
  type IndicatorPatch,
} from './schemas.ts';

const VIEW = ['conversations.view', 'conversations.view_own', 'insights.manage'] as const;

/** Definitions are the tenant's (every conversation is analysed with them): changing one is organisation-wide. */
const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);

export function cleanName(raw: string, what: string) {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid(`The ${what} needs a name`, { reason: 'NAME_REQUIRED', field: 'name' });
  const length = [...name].length;
  if (length > NAME_MAX)
    throw invalid(`A ${what} name may have at most ${NAME_MAX} characters; this one has ${length}`, {
      reason: 'NAME_TOO_LONG',
      field: 'name',
      limit: NAME_MAX,
      length,
    });
  return name;
}

/** Trimmed, spaces collapsed, duplicates (regardless of case) dropped; each must have a word the analyzer keeps. */
async function cleanKeywords(ctx: AppContext, tenantId: string, raw: readonly string[]) {
  const seen = new Set<string>();
  const out: string[] = [];
  const lang = await tenantLanguage(ctx, ctx.db, tenantId);
  for (const k of raw) {
    const text = k.trim().replace(/\s+/g, ' ');
    if (!text) continue;
    const length = [...text].length;
    if (length > KEYWORD_MAX)
      throw invalid(`A keyword may have at most ${KEYWORD_MAX} characters; "${text.slice(0, 30)}…" has ${length}`, {
        reason: 'KEYWORD_TOO_LONG',
        field: 'keywords',
        limit: KEYWORD_MAX,
      });
    if (keywordTerms(text, lang).length === 0)
      throw invalid(`The keyword "${text}" has no word to look for (letters or digits)`, { reason: 'KEYWORD_NO_WORDS', field: 'keywords' });
    if (seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push(text);
  }
  if (out.length === 0) throw invalid('An indicator needs at least one keyword or phrase', { reason: 'KEYWORD_REQUIRED', field: 'keywords' });
  if (out.length > KEYWORDS_MAX)
    throw invalid(`An indicator may have at most ${KEYWORDS_MAX} keywords; this one has ${out.length}`, {
      reason: 'TOO_MANY_KEYWORDS',
      field: 'keywords',
      limit: KEYWORDS_MAX,
    });
  return out;
}

// Views

async function jobView(ctx: AppContext, jobId: string | null) {
  const job = jobId ? await ctx.jobs.get(jobId) : undefined;
  return job
    ? { jobId: job.id, status: job.status, progress: job.progress, note: job.progressNote, error: job.status === 'dead' ? job.lastError : null }
    : null;
}

async function indicatorViews(ctx: AppContext, actor: Actor, rows: IndicatorsTable[]): Promise<Indicator[]> {
  const tenantId = actor.tenantId;
  const keywords = await repo.keywordsOf(
    ctx.db,
    tenantId,
    rows.map((r) => r.id),
  );
  const counts = await repo.mentionCounts(ctx.db, actor);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      categoryId: r.category_id,
      name: r.name,
      speaker: r.speaker as IndicatorSpeaker,
      builtinKey: r.builtin_key,
      // Alphabetical: ids made in one millisecond do not keep the order they were typed in.
      keywords: keywords
        .filter((k) => k.indicator_id === r.id)
        .map((k) => ({ id: k.id, text: k.text }))
        .sort((a, b) => a.text.localeCompare(b.text)),
      conversations: counts.get(r.id)?.conversations ?? 0,
      mentions: counts.get(r.id)?.mentions ?? 0,
      analysis: await jobView(ctx, r.analysis_job_id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
  );
}

const categoryView = (c: IndicatorCategoriesTable, indicators: Indicator[]): Category => ({
  id: c.id,
  name: c.name,
  position: c.position,
  builtinKey: c.builtin_key,
  indicators: indicators.filter((i) => i.categoryId === c.id),
  createdAt: c.created_at,
  updatedAt: c.updated_at,
});

/** The tenant's categories in their order, each with its indicators and keywords. */
export async function listCategories(ctx: AppContext, actor: Actor) {
  requirePermission(actor, ...VIEW);
  const cats = await repo.listCategories(ctx.db, actor.tenantId);
  const indicators = await indicatorViews(ctx, actor, await repo.listIndicators(ctx.db, actor.tenantId));
  return { items: cats.map((c) => categoryView(c, indicators)), limit: MAX_INDICATORS };
}

export async function listIndicators(ctx: AppContext, actor: Actor) {
  requirePermission(actor, ...VIEW);
  return { items: await indicatorViews(ctx, actor, await repo.listIndicators(ctx.db, actor.tenantId)), limit: MAX_INDICATORS };
}

// Re-analysis

/** Queues finding these indicators (and the topics, when they changed) over every stored conversation of the tenant. */
export function queueReanalysis(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, what: { indicatorIds: string[]; topics: boolean }) {
  return ctx.jobs.enqueue(uow, 'analytics.mentions.reanalyse', { tenantId, indicatorIds: what.indicatorIds, topics: what.topics }, { tenantId });
}

// Categories

async function checkCategoryName(ctx: AppContext, tenantId: string, name: string, selfId: string | null) {
  const same = await repo.findCategoryByName(ctx.db, tenantId, name);
  if (same && same.id !== selfId) throw new DomainError('ALREADY_EXISTS', `A category named "${same.name}" already exists`, { field: 'name' });
}

async function loadCategory(ctx: AppContext, actor: Actor, id: string) {
  const c = await repo.getCategory(ctx.db, actor.tenantId, id);
  if (!c) throw notFound('Indicator category', id);
  return c;
}

export async function createCategory(ctx: AppContext, actor: Actor, input: CategoryCreate): Promise<Category> {
  requirePermission(actor, 'insights.manage');
  assertTenantWide(actor, 'Creating an indicator category');
  const name = cleanName(input.name, 'category');
  await checkCategoryName(ctx, actor.tenantId, name, null);
  const now = nowIso();
  const row: IndicatorCategoriesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    position: input.position ?? (await repo.nextCategoryPosition(ctx.db, actor.tenantId)),
    builtin_key: null,
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertCategory(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'indicator_category',
        resourceId: row.id,
        action: 'INDICATOR_CATEGORY_CREATE',
        details: `Created indicator category ${name}`,
        changes: [{ field: 'name', old: null, new: name }],
      },
      tx,
    );
  });
  return categoryView(row, []);
}

export async function updateCategory(ctx: AppContext, actor: Actor, id: string, patch: CategoryPatch): Promise<Category> {
  requirePermission(actor, 'insights.manage');
  const cat = await loadCategory(ctx, actor, id);
  assertTenantWide(actor, `Changing the indicator category ${cat.name}`);
  const next: Partial<IndicatorCategoriesTable> = {};
  if (patch.name !== undefined) next.name = cleanName(patch.name, 'category');
  if (patch.position !== undefined) next.position = patch.position;
  const changes: FieldChange[] = [];
  if (next.name !== undefined && next.name !== cat.name) changes.push({ field: 'name', old: cat.name, new: next.name });
  if (next.position !== undefined && next.position !== cat.position) changes.push({ field: 'position', old: cat.position, new: next.position });
  if (changes.length) {
    if (next.name !== undefined && next.name !== cat.name) await checkCategoryName(ctx, actor.tenantId, next.name, id);
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateCategory(tx, id, { ...next, updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'indicator_category',
          resourceId: id,
          action: 'INDICATOR_CATEGORY_UPDATE',
          details: `Updated indicator category ${cat.name}: ${changes.map((c) => c.field).join(', ')}`,
          changes,
        },
        tx,
      );
    });
  }
  const row = (await repo.getCategory(ctx.db, actor.tenantId, id))!;
  const indicators = await indicatorViews(
    ctx,
    actor,
    (await repo.listIndicators(ctx.db, actor.tenantId)).filter((i) => i.category_id === id),
  );
  return categoryView(row, indicators);
}

/** A category with indicators is refused (409 IN_USE): deleting one must not silently drop its indicators' history. */
export async function deleteCategory(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'insights.manage');
  const cat = await loadCategory(ctx, actor, id);
  assertTenantWide(actor, `Deleting the indicator category ${cat.name}`);
  const n = await repo.countIndicators(ctx.db, actor.tenantId, id);
  if (n > 0)
    throw new DomainError('IN_USE', `The category ${cat.name} still has ${n} indicator${n === 1 ? '' : 's'}; move or delete them first`, { indicators: n });
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteCategory(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'indicator_category',
        resourceId: id,
        action: 'INDICATOR_CATEGORY_DELETE',
        details: `Deleted indicator category ${cat.name}`,
        changes: [{ field: 'name', old: cat.name, new: null }],
      },
      tx,
    );
  });
}

// Indicators

async function checkIndicatorName(ctx: AppContext, tenantId: string, name: string, selfId: string | null) {
  const same = await repo.findIndicatorByName(ctx.db, tenantId, name);
  if (same && same.id !== selfId) throw new DomainError('ALREADY_EXISTS', `An indicator named "${same.name}" already exists`, { field: 'name' });
}

async function loadIndicator(ctx: AppContext, actor: Actor, id: string) {
  const i = await repo.getIndicator(ctx.db, actor.tenantId, id);
  if (!i) throw notFound('Indicator', id);
  return i;
}

const describeIndicator = (speaker: string, keywords: readonly string[]) =>
  `said by ${speaker === 'both' ? 'agent or customer' : `the ${speaker}`}: ${keywords.map((k) => `“${k}”`).join(', ')}`;

export async function createIndicator(ctx: AppContext, actor: Actor, input: IndicatorCreate): Promise<Indicator> {
  requirePermission(actor, 'insights.manage');
  assertTenantWide(actor, 'Creating an indicator');
  const name = cleanName(input.name, 'indicator');
  const keywords = await cleanKeywords(ctx, actor.tenantId, input.keywords);
  const cat = await repo.getCategory(ctx.db, actor.tenantId, input.categoryId);
  if (!cat) throw notFound('Indicator category', input.categoryId);
  await checkIndicatorName(ctx, actor.tenantId, name, null);
  const now = nowIso();
  const row: IndicatorsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    category_id: cat.id,
    name,
    speaker: input.speaker ?? 'both',
    builtin_key: null,
    analysis_job_id: null,
    created_at: now,
    updated_at: now,
  };
  const kwRows: IndicatorKeywordsTable[] = keywords.map((text) => ({ id: newId(), tenant_id: actor.tenantId, indicator_id: row.id, text }));
  await inTransaction(ctx.db, async (uow) => {
    // Counted under the tenant's lock in the transaction that inserts, so two creations cannot both pass at 249.
    await repo.lockTenant(uow.tx, ctx.adapter, actor.tenantId);
    const n = await repo.countIndicators(uow.tx, actor.tenantId);
    if (n >= MAX_INDICATORS)
      throw new DomainError('INDICATOR_LIMIT', `An organisation may have at most ${MAX_INDICATORS} indicators; delete one before adding another`, {
        limit: MAX_INDICATORS,
      });
    row.analysis_job_id = await queueReanalysis(ctx, uow, actor.tenantId, { indicatorIds: [row.id], topics: false });
    await repo.insertIndicator(uow.tx, row);
    await repo.insertKeywords(uow.tx, kwRows);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'indicator',
        resourceId: row.id,
        action: 'INDICATOR_CREATE',
        details: `Created indicator ${name} in ${cat.name}, ${describeIndicator(row.speaker, keywords)}`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'category', old: null, new: cat.name },
          { field: 'speaker', old: null, new: row.speaker },
          { field: 'keywords', old: null, new: keywords },
        ],
      },
      uow.tx,
    );
  });
  return (await indicatorViews(ctx, actor, [row]))[0]!;
}

export async function updateIndicator(ctx: AppContext, actor: Actor, id: string, patch: IndicatorPatch): Promise<Indicator> {
  requirePermission(actor, 'insights.manage');
  const ind = await loadIndicator(ctx, actor, id);
  assertTenantWide(actor, `Changing the indicator ${ind.name}`);
  const next: Partial<IndicatorsTable> = {};
  const changes: FieldChange[] = [];
  if (patch.name !== undefined) {
    const name = cleanName(patch.name, 'indicator');
    if (name !== ind.name) {
      await checkIndicatorName(ctx, actor.tenantId, name, id);
      next.name = name;
      changes.push({ field: 'name', old: ind.name, new: name });
    }
  }
  let categoryName: string | null = null;
  if (patch.categoryId !== undefined && patch.categoryId !== ind.category_id) {
    const cat = await repo.getCategory(ctx.db, actor.tenantId, patch.categoryId);
    if (!cat) throw notFound('Indicator category', patch.categoryId);
    const old = await repo.getCategory(ctx.db, actor.tenantId, ind.category_id);
    next.category_id = cat.id;
    categoryName = cat.name;
    changes.push({ field: 'category', old: old?.name ?? null, new: cat.name });
  }
  if (patch.speaker !== undefined && patch.speaker !== ind.speaker) {
    next.speaker = patch.speaker;
    changes.push({ field: 'speaker', old: ind.speaker, new: patch.speaker });
  }
  const current = await repo.keywordsOf(ctx.db, actor.tenantId, [id]);
  let added: IndicatorKeywordsTable[] = [];
  let removed: string[] = [];
  if (patch.keywords !== undefined) {
    const wanted = await cleanKeywords(ctx, actor.tenantId, patch.keywords);
    // Unchanged keywords keep their id (and their mentions); removed ones lose theirs at once (cascade).
    removed = current.filter((k) => !wanted.includes(k.text)).map((k) => k.id);
    added = wanted.filter((w) => !current.some((k) => k.text === w)).map((text) => ({ id: newId(), tenant_id: actor.tenantId, indicator_id: id, text }));
    if (removed.length || added.length)
      changes.push({
        field: 'keywords',
        old: current.map((k) => k.text).sort((a, b) => a.localeCompare(b)),
        new: wanted,
      });
  }
  if (changes.length) {
    const reanalyse = added.length > 0 || removed.length > 0 || next.speaker !== undefined;
    await inTransaction(ctx.db, async (uow) => {
      const jobId = reanalyse ? await queueReanalysis(ctx, uow, actor.tenantId, { indicatorIds: [id], topics: false }) : undefined;
      await repo.deleteKeywords(uow.tx, removed);
      await repo.insertKeywords(uow.tx, added);
      await repo.updateIndicator(uow.tx, id, { ...next, ...(jobId ? { analysis_job_id: jobId } : {}), updated_at: nowIso() });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'indicator',
          resourceId: id,
          action: 'INDICATOR_UPDATE',
          details: `Updated indicator ${ind.name}: ${changes.map((c) => c.field).join(', ')}${categoryName ? ` (now in ${categoryName})` : ''}${reanalyse ? ' (stored conversations are analysed again)' : ''}`,
          changes,
        },
        uow.tx,
      );
    });
  }
  return (await indicatorViews(ctx, actor, [(await repo.getIndicator(ctx.db, actor.tenantId, id))!]))[0]!;
}

export async function deleteIndicator(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'insights.manage');
  const ind = await loadIndicator(ctx, actor, id);
  assertTenantWide(actor, `Deleting the indicator ${ind.name}`);
  const keywords = (await repo.keywordsOf(ctx.db, actor.tenantId, [id])).map((k) => k.text).sort((a, b) => a.localeCompare(b));
  await inTransaction(ctx.db, async ({ tx }) => {
    // Keywords and mentions go with it (cascade); a re-analysis still queued finds no indicator and skips it.
    await repo.deleteIndicator(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'indicator',
        resourceId: id,
        action: 'INDICATOR_DELETE',
        details: `Deleted indicator ${ind.name}, ${describeIndicator(ind.speaker, keywords)}`,
        changes: [
          { field: 'name', old: ind.name, new: null },
          { field: 'keywords', old: keywords, new: null },
        ],
      },
      tx,
    );
  });
}

// Per conversation

/** The mentions and topic hits on a conversation the actor can see (404 otherwise), for the Analytics tab. */
export async function conversationMentions(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'conversations.view', 'conversations.view_own');
  if (!(await convRepo.getVisible(ctx.db, actor, conversationId))) throw notFound('Conversation', conversationId);
  const mentions = await repo.mentionsOf(ctx.db, conversationId);
  const topics = await topicRepo.topicHitsOf(ctx.db, conversationId);
  const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    mentions: mentions.map((m) => ({
      id: m.id,
      indicatorId: m.indicator_id,
      indicatorName: m.indicator_name,
      categoryId: m.category_id,
      categoryName: m.category_name,
      keywordId: m.keyword_id,
      keyword: m.keyword,
      lineId: m.line_id,
      role: m.role,
      startMs: int(m.start_ms),
      range: [Number(m.range_start), Number(m.range_end)] as [number, number],
    })),
    topics: topics.map((h) => ({
      id: h.id,
      topicId: h.topic_id,
      topicName: h.topic_name,
      lineId: h.line_id,
      role: h.role,
      startMs: int(h.start_ms),
      score: Number(h.score),
    })),
  };
}

// Defaults

/**
 * The default indicators and topics of a new tenant (FEATURES.tenantCreated; also run for every tenant at start-up,
 * which is how tenants created before this feature get them). Seeded once per tenant (insight_defaults): a tenant
 * that deletes a default does not get it back. No re-analysis is queued: conversations stored before are analysed by
 * the insights bulk run, new ones as they arrive.
 */
export async function ensureInsightDefaults(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string) {
  if (await repo.defaultsSeeded(exec, tenantId)) return;
  const now = nowIso();
  let position = await repo.nextCategoryPosition(exec, tenantId);
  for (const c of DEFAULT_INDICATORS) {
    const existing = await repo.findCategoryByName(exec, tenantId, c.name);
    const categoryId = existing?.id ?? newId();
    if (!existing)
      await repo.insertCategory(exec, {
        id: categoryId,
        tenant_id: tenantId,
        name: c.name,
        position: position++,
        builtin_key: c.key,
        created_at: now,
        updated_at: now,
      });
    for (const i of c.indicators) {
      if (await repo.findIndicatorByName(exec, tenantId, i.name)) continue;
      const id = newId();
      await repo.insertIndicator(exec, {
        id,
        tenant_id: tenantId,
        category_id: categoryId,
        name: i.name,
        speaker: i.speaker,
        builtin_key: i.key,
        analysis_job_id: null,
        created_at: now,
        updated_at: now,
      });
      await repo.insertKeywords(
        exec,
        i.keywords.map((text) => ({ id: newId(), tenant_id: tenantId, indicator_id: id, text })),
      );
    }
  }
  for (const t of DEFAULT_TOPICS) {
    if (await topicRepo.findTopicByName(exec, tenantId, t.name)) continue;
    await topicRepo.insertTopic(exec, {
      id: newId(),
      tenant_id: tenantId,
      name: t.name,
      builtin_key: t.key,
      sentences: ctx.adapter.json([...t.sentences]),
      analysis_job_id: null,
      created_at: now,
      updated_at: now,
    });
  }
  await repo.markDefaultsSeeded(exec, tenantId, now);
}
