// All SQL of indicator subscriptions: the subscriptions, what a continuous one already sent, and the mention counts a
// subscriber may see (restricted with the same visibility rule as the conversation list).
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { IndicatorSubscriptionsTable } from '../../platform/db/schema.ts';

export type SubscriptionRow = IndicatorSubscriptionsTable;

const withIndicator = (db: Executor) =>
  db
    .selectFrom('indicator_subscriptions as s')
    .innerJoin('indicators as i', 'i.id', 's.indicator_id')
    .innerJoin('indicator_categories as cat', 'cat.id', 'i.category_id')
    .selectAll('s')
    .select(['i.name as indicator_name', 'cat.name as category_name']);

export const listOfUser = (db: Executor, tenantId: string, userId: string) =>
  withIndicator(db).where('s.tenant_id', '=', tenantId).where('s.user_id', '=', userId).orderBy('cat.name').orderBy('i.name').execute();

export const getWithIndicator = (db: Executor, id: string) => withIndicator(db).where('s.id', '=', id).executeTakeFirst();

export const getSubscription = (db: Executor, id: string) => db.selectFrom('indicator_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();

export const insertSubscription = (db: Executor, row: SubscriptionRow) => db.insertInto('indicator_subscriptions').values(row).execute();

export const updateSubscription = (db: Executor, id: string, patch: Partial<SubscriptionRow>) =>
  db.updateTable('indicator_subscriptions').set(patch).where('id', '=', id).execute();

export const deleteSubscription = (db: Executor, id: string) => db.deleteFrom('indicator_subscriptions').where('id', '=', id).executeTakeFirst();

export const getIndicator = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('indicators as i')
    .innerJoin('indicator_categories as cat', 'cat.id', 'i.category_id')
    .select(['i.id', 'i.name', 'cat.name as category_name'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.id', '=', id)
    .executeTakeFirst();

export const keywordsOf = (db: Executor, indicatorId: string) =>
  db.selectFrom('indicator_keywords').select(['id', 'text']).where('indicator_id', '=', indicatorId).orderBy('text').execute();

// ---- continuous alerts -------------------------------------------------------------------------------------------

/** Whether any continuous subscription follows an indicator mentioned in the conversation: one probe per analysis. */
export async function hasContinuousFollowers(db: Executor, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('indicator_mentions as m')
    .innerJoin('indicator_subscriptions as s', (j) => j.onRef('s.indicator_id', '=', 'm.indicator_id').on('s.frequency', '=', 'continuous'))
    .select('s.id')
    .where('m.conversation_id', '=', conversationId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The continuous subscriptions to alert about a conversation: they follow an indicator mentioned in it, existed when
 * it arrived (re-analysing older history alerts no one) and have not been sent this conversation yet.
 */
export function pendingContinuous(db: Executor, conversationId: string, conversationCreatedAt: string) {
  return db
    .selectFrom('indicator_subscriptions as s')
    .selectAll('s')
    .where('s.frequency', '=', 'continuous')
    .where('s.created_at', '<=', conversationCreatedAt)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('indicator_mentions as m')
          .select('m.id')
          .whereRef('m.indicator_id', '=', 's.indicator_id')
          .where('m.conversation_id', '=', conversationId),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('subscription_deliveries as d')
            .select('d.subscription_id')
            .whereRef('d.subscription_id', '=', 's.id')
            .where('d.conversation_id', '=', conversationId),
        ),
      ),
    )
    .execute();
}

export const insertDelivery = (db: Executor, subscriptionId: string, conversationId: string, at: string) =>
  db.insertInto('subscription_deliveries').values({ subscription_id: subscriptionId, conversation_id: conversationId, sent_at: at }).execute();

export const getConversation = (db: Executor, id: string) =>
  db.selectFrom('conversations').select(['id', 'tenant_id', 'title', 'started_at', 'created_at', 'group_id']).where('id', '=', id).executeTakeFirst();

/** The conversation, if the actor may see it. */
export const visibleConversation = (db: Executor, actor: Actor, id: string) =>
  db.selectFrom('conversations as c').select('c.id').where('c.id', '=', id).where(visibleTo(actor)).executeTakeFirst();

/** A conversation's mentions of one indicator (optionally some keywords), with the keyword and where it was said. */
export function mentionsIn(db: Executor, conversationId: string, indicatorId: string, keywordIds: readonly string[] | null) {
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('indicator_keywords as k', 'k.id', 'm.keyword_id')
    .select(['m.keyword_id', 'k.text as keyword', 'm.role', 'm.start_ms', 'm.line_id'])
    .where('m.conversation_id', '=', conversationId)
    .where('m.indicator_id', '=', indicatorId);
  if (keywordIds) q = q.where('m.keyword_id', 'in', keywordIds.length ? keywordIds : ['']);
  return q.orderBy('m.start_ms').execute();
}

// ---- digests ------------------------------------------------------------------------------------------------------

/**
 * The zone a subscriber's digests follow: their site's; without one, the tenant's first site's (Earshot has no
 * tenant-wide zone; sites carry the zones); null when the tenant has no site (UTC).
 */
export async function subscriberZone(db: Executor, tenantId: string, userId: string): Promise<string | null> {
  const own = await db
    .selectFrom('users as u')
    .innerJoin('sites as s', 's.id', 'u.site_id')
    .select('s.time_zone')
    .where('u.tenant_id', '=', tenantId)
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (own) return own.time_zone;
  const first = await db
    .selectFrom('sites')
    .select('time_zone')
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return first?.time_zone ?? null;
}

export const dueDigests = (db: Executor, now: string, limit: number) =>
  db
    .selectFrom('indicator_subscriptions')
    .selectAll()
    .where('frequency', '!=', 'continuous')
    .where('next_due_at', '<=', now)
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(limit)
    .execute();

/** Moves a digest on, only if no one else did meanwhile (two schedulers never send the same period twice). */
export async function advanceDigest(db: Executor, id: string, expectedPeriodEnd: string | null, periodEnd: string, nextDueAt: string): Promise<boolean> {
  let q = db.updateTable('indicator_subscriptions').set({ period_end: periodEnd, next_due_at: nextDueAt }).where('id', '=', id);
  q = expectedPeriodEnd === null ? q.where('period_end', 'is', null) : q.where('period_end', '=', expectedPeriodEnd);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Per keyword: mentions and interactions in [from, to) the actor may see, for one indicator. */
export function digestCounts(db: Executor, actor: Actor, indicatorId: string, keywordIds: readonly string[] | null, from: string, to: string) {
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('indicator_keywords as k', 'k.id', 'm.keyword_id')
    .select(['m.keyword_id', 'k.text as keyword'])
    .select((eb) => [eb.fn.countAll<number | string>().as('mentions'), eb.fn.count<number | string>('m.conversation_id').distinct().as('interactions')])
    .where('m.tenant_id', '=', actor.tenantId)
    .where('m.indicator_id', '=', indicatorId)
    .where('m.started_at', '>=', from)
    .where('m.started_at', '<', to)
    .where(visibleTo(actor));
  if (keywordIds) q = q.where('m.keyword_id', 'in', keywordIds.length ? keywordIds : ['']);
  return q.groupBy(['m.keyword_id', 'k.text']).execute();
}

/** The interactions in [from, to) the actor may see that mention the indicator, most mentions first. */
export function digestInteractions(
  db: Executor,
  actor: Actor,
  indicatorId: string,
  keywordIds: readonly string[] | null,
  from: string,
  to: string,
  limit: number,
) {
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['c.id', 'c.title', 'c.started_at'])
    .select((eb) => [eb.fn.countAll<number | string>().as('mentions'), eb.fn.min<number | null>('m.start_ms').as('first_ms')])
    .where('m.tenant_id', '=', actor.tenantId)
    .where('m.indicator_id', '=', indicatorId)
    .where('m.started_at', '>=', from)
    .where('m.started_at', '<', to)
    .where(visibleTo(actor));
  if (keywordIds) q = q.where('m.keyword_id', 'in', keywordIds.length ? keywordIds : ['']);
  return q
    .groupBy(['c.id', 'c.title', 'c.started_at'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('c.started_at', 'desc')
    .limit(limit)
    .execute();
}

/** How many interactions in [from, to) the actor may see mention the indicator (those keywords). */
export async function countMentioningInteractions(
  db: Executor,
  actor: Actor,
  indicatorId: string,
  keywordIds: readonly string[] | null,
  from: string,
  to: string,
) {
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select((eb) => eb.fn.count<number | string>('m.conversation_id').distinct().as('n'))
    .where('m.tenant_id', '=', actor.tenantId)
    .where('m.indicator_id', '=', indicatorId)
    .where('m.started_at', '>=', from)
    .where('m.started_at', '<', to)
    .where(visibleTo(actor));
  if (keywordIds) q = q.where('m.keyword_id', 'in', keywordIds.length ? keywordIds : ['']);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Interactions in [from, to) the actor may see: the denominator of "% of interactions". */
export async function visibleInteractions(db: Executor, actor: Actor, from: string, to: string): Promise<number> {
  const r = await db
    .selectFrom('conversations as c')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.started_at', '>=', from)
    .where('c.started_at', '<', to)
    .where(visibleTo(actor))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
