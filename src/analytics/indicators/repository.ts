// SQL of indicators: categories, indicators and their keywords, and the mentions found in conversations.
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { IndicatorCategoriesTable, IndicatorKeywordsTable, IndicatorMentionsTable, IndicatorsTable } from '../../platform/db/schema.ts';

// Categories

export const listCategories = (db: Executor, tenantId: string) =>
  db
    .selectFrom('indicator_categories')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('position')
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

export const getCategory = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('indicator_categories').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

/** Names are unique per tenant regardless of case (ASCII case: SQLite's lower()). */
export const findCategoryByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('indicator_categories')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

export async function nextCategoryPosition(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('indicator_categories')
    .select(sql<number | null>`max(position)`.as('p'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

export const insertCategory = (db: Executor, row: IndicatorCategoriesTable) => db.insertInto('indicator_categories').values(row).execute();
export const updateCategory = (db: Executor, id: string, patch: Partial<IndicatorCategoriesTable>) =>
  db.updateTable('indicator_categories').set(patch).where('id', '=', id).execute();
export const deleteCategory = (db: Executor, id: string) => db.deleteFrom('indicator_categories').where('id', '=', id).execute();

// Indicators and keywords

export const listIndicators = (db: Executor, tenantId: string) =>
  db
    .selectFrom('indicators')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

export const getIndicator = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('indicators').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const indicatorsByIds = (db: Executor, tenantId: string, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([] as IndicatorsTable[])
    : db
        .selectFrom('indicators')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute();

export const findIndicatorByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('indicators')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

export async function countIndicators(db: Executor, tenantId: string, categoryId?: string) {
  let q = db
    .selectFrom('indicators')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId);
  if (categoryId) q = q.where('category_id', '=', categoryId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export const insertIndicator = (db: Executor, row: IndicatorsTable) => db.insertInto('indicators').values(row).execute();
export const updateIndicator = (db: Executor, id: string, patch: Partial<IndicatorsTable>) =>
  db.updateTable('indicators').set(patch).where('id', '=', id).execute();
export const deleteIndicator = (db: Executor, id: string) => db.deleteFrom('indicators').where('id', '=', id).execute();

/** The keywords of the tenant's indicators (all, or those of the given indicators), in the order they were added. */
export function keywordsOf(db: Executor, tenantId: string, indicatorIds?: readonly string[]) {
  if (indicatorIds && indicatorIds.length === 0) return Promise.resolve([] as IndicatorKeywordsTable[]);
  let q = db.selectFrom('indicator_keywords').selectAll().where('tenant_id', '=', tenantId);
  if (indicatorIds) q = q.where('indicator_id', 'in', [...indicatorIds]);
  return q.orderBy('indicator_id').orderBy('id').execute();
}

export async function insertKeywords(db: Executor, rows: IndicatorKeywordsTable[]) {
  if (rows.length) await db.insertInto('indicator_keywords').values(rows).execute();
}
/** Their mentions go with them (cascade). */
export async function deleteKeywords(db: Executor, ids: string[]) {
  if (ids.length) await db.deleteFrom('indicator_keywords').where('id', 'in', ids).execute();
}

// Mentions

/** Replaces the mentions of these indicators (all of the tenant's when null) on these conversations (callers pass a transaction). */
export async function replaceMentions(
  db: Executor,
  conversationIds: readonly string[],
  indicatorIds: readonly string[] | null,
  rows: IndicatorMentionsTable[],
) {
  if (conversationIds.length === 0 || (indicatorIds && indicatorIds.length === 0)) return;
  let del = db.deleteFrom('indicator_mentions').where('conversation_id', 'in', [...conversationIds]);
  if (indicatorIds) del = del.where('indicator_id', 'in', [...indicatorIds]);
  await del.execute();
  // 12 columns a row: 80 rows stay under SQLite's 999 bound parameters.
  for (let i = 0; i < rows.length; i += 80)
    await db
      .insertInto('indicator_mentions')
      .values(rows.slice(i, i + 80))
      .execute();
}

/** The mentions on one conversation with their indicator, category and keyword, in time then text order. */
export const mentionsOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('indicator_mentions as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .innerJoin('indicator_categories as c', 'c.id', 'i.category_id')
    .innerJoin('indicator_keywords as k', 'k.id', 'm.keyword_id')
    .select([
      'm.id',
      'm.indicator_id',
      'm.keyword_id',
      'm.line_id',
      'm.role',
      'm.start_ms',
      'm.range_start',
      'm.range_end',
      'i.name as indicator_name',
      'i.speaker',
      'i.category_id',
      'c.name as category_name',
      'k.text as keyword',
    ])
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.start_ms')
    .orderBy('m.line_id')
    .orderBy('m.range_start')
    .orderBy('m.id')
    .execute();

/**
 * Conversations with mentions, and mentions, per indicator, of the conversations the actor can see: from the report
 * index alone for a tenant-wide viewer, through the conversations' visibility otherwise.
 */
export async function mentionCounts(db: Executor, actor: Actor) {
  const counts = [sql<number>`count(distinct m.conversation_id)`.as('conversations'), sql<number>`count(*)`.as('mentions')];
  const rows =
    actor.permissions.has('conversations.view') && actor.scope.all
      ? await db
          .selectFrom('indicator_mentions as m')
          .select('m.indicator_id')
          .select(counts)
          .where('m.tenant_id', '=', actor.tenantId)
          .groupBy('m.indicator_id')
          .execute()
      : await db
          .selectFrom('indicator_mentions as m')
          .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
          .select('m.indicator_id')
          .select(counts)
          .where('m.tenant_id', '=', actor.tenantId)
          .where(visibleTo(actor))
          .groupBy('m.indicator_id')
          .execute();
  return new Map(rows.map((r) => [r.indicator_id, { conversations: Number(r.conversations), mentions: Number(r.mentions) }]));
}

// Conversations to analyse

/** A page of the tenant's conversations by id (keyset: after `afterId`), with their start for the report rows. */
export const conversationsPage = (db: Executor, tenantId: string, afterId: string | null, limit: number) => {
  let q = db.selectFrom('conversations').select(['id', 'started_at', 'has_chat', 'has_email']).where('tenant_id', '=', tenantId).orderBy('id').limit(limit);
  if (afterId) q = q.where('id', '>', afterId);
  return q.execute();
};

/**
 * The current transcripts' utterances of several conversations in one query (the re-analysis reads a page of calls at
 * once), only what matching needs: the redacted text, who spoke and when. In conversation, then time order.
 */
export const currentUtterancesOf = (db: Executor, conversationIds: readonly string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('transcript_utterances as u')
        .innerJoin('transcripts as t', 't.id', 'u.transcript_id')
        .select(['u.id', 'u.conversation_id', 'u.segment_id', 'u.role', 'u.start_ms', 'u.end_ms', 'u.redacted_text'])
        .where('u.conversation_id', 'in', [...conversationIds])
        .where('t.is_current', '=', 1)
        .orderBy('u.conversation_id')
        .orderBy('u.start_ms')
        .orderBy('u.seq')
        .execute();

export async function countConversations(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('conversations')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The tenant's search language setting (raw; the service checks it). */
export const tenantSettings = (db: Executor, tenantId: string) => db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();

/** Locks the tenant row for the transaction (PostgreSQL), so two creations cannot both pass a per-tenant limit. */
export const lockTenant = (db: Executor, a: DialectAdapter, tenantId: string) =>
  a.lockForUpdate(db.selectFrom('tenants').select('id').where('id', '=', tenantId)).executeTakeFirst();

// Defaults

export const defaultsSeeded = (db: Executor, tenantId: string) =>
  db.selectFrom('insight_defaults').select('tenant_id').where('tenant_id', '=', tenantId).executeTakeFirst();
export const markDefaultsSeeded = (db: Executor, tenantId: string, at: string) =>
  db.insertInto('insight_defaults').values({ tenant_id: tenantId, seeded_at: at }).execute();
