// All SQL of the insights reports. Everything is counted per day of the agent's site calendar (conversations.local_date,
// set at ingest for both engines), restricted to what the actor may see (the conversation list's visibility rule) and
// to the report's filters; the service folds days into weeks or months. A conversation has one day, so per-day
// distinct counts add up exactly.
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

export interface ReportFilter {
  /** YYYY-MM-DD, both inclusive, on the agent's site calendar. */
  from: string;
  to: string;
  /** A group and the groups below it; null: every group the actor sees. */
  groupIds: readonly string[] | null;
  userId: string | null;
}

type ConvEb = ExpressionBuilder<Database & { c: Database['conversations'] }, 'c'>;

/** The conversations the report counts: visible to the actor, in the period, of the group and agent chosen. */
function conversationsOf(actor: Actor, f: ReportFilter) {
  return (eb: ConvEb): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [visibleTo(actor)(eb), eb('c.local_date', '>=', f.from), eb('c.local_date', '<=', f.to)];
    if (f.groupIds) parts.push(f.groupIds.length ? eb('c.group_id', 'in', f.groupIds) : sql<SqlBool>`1 = 0`);
    if (f.userId) parts.push(eb('c.agent_user_id', '=', f.userId));
    return eb.and(parts);
  };
}

/** Mentions carry the conversation's UTC start: a day of slack either side keeps the (tenant, indicator, started_at) index useful. */
const startBounds = (f: ReportFilter) => ({
  from: new Date(Date.parse(`${f.from}T00:00:00Z`) - 86_400_000).toISOString(),
  to: new Date(Date.parse(`${f.to}T00:00:00Z`) + 2 * 86_400_000).toISOString(),
});

export interface MentionTarget {
  categoryId?: string | null;
  indicatorId?: string | null;
  keywordId?: string | null;
}

function mentionsBase(db: Executor, actor: Actor, f: ReportFilter, target: MentionTarget) {
  const b = startBounds(f);
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .where('m.tenant_id', '=', actor.tenantId)
    .where('m.started_at', '>=', b.from)
    .where('m.started_at', '<', b.to)
    .where(conversationsOf(actor, f));
  if (target.categoryId) q = q.where('i.category_id', '=', target.categoryId);
  if (target.indicatorId) q = q.where('m.indicator_id', '=', target.indicatorId);
  if (target.keywordId) q = q.where('m.keyword_id', '=', target.keywordId);
  return q;
}

/**
 * Every mention in the period (its conversation's day, keyword, indicator and category), unsorted and ungrouped: the
 * service counts mentions and distinct interactions per keyword, indicator and category in one pass, which costs
 * less than grouping in SQL (a temporary B-tree over the same rows).
 */
export function mentionRows(db: Executor, actor: Actor, f: ReportFilter, target: MentionTarget) {
  return mentionsBase(db, actor, f, target)
    .select([sql<string>`c.local_date`.as('day'), 'm.conversation_id', 'm.keyword_id', 'm.indicator_id', 'i.category_id'])
    .execute();
}

/** Per day: the interactions counted (the denominator of "% of interactions"). */
export function interactionsByDay(db: Executor, actor: Actor, f: ReportFilter) {
  return db
    .selectFrom('conversations as c')
    .select([sql<string>`c.local_date`.as('day')])
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.tenant_id', '=', actor.tenantId)
    .where(conversationsOf(actor, f))
    .groupBy('c.local_date')
    .execute();
}

/** The tenant's indicator definitions, to name and order the rows (and show those never mentioned). */
export function definitions(db: Executor, tenantId: string) {
  return db
    .selectFrom('indicator_keywords as k')
    .innerJoin('indicators as i', 'i.id', 'k.indicator_id')
    .innerJoin('indicator_categories as cat', 'cat.id', 'i.category_id')
    .select([
      'k.id as keyword_id',
      'k.text as keyword',
      'i.id as indicator_id',
      'i.name as indicator',
      'cat.id as category_id',
      'cat.name as category',
      'cat.position',
    ])
    .where('k.tenant_id', '=', tenantId)
    .orderBy('cat.position')
    .orderBy('cat.name')
    .orderBy('i.name')
    .orderBy('k.text')
    .execute();
}

/** Drill-down: the interactions with a mention of the target, most recent first, and how many there are. */
export async function mentioningInteractions(db: Executor, actor: Actor, f: ReportFilter, target: MentionTarget, limit: number, offset: number) {
  const rows = await mentionsBase(db, actor, f, target)
    .leftJoin('users as u', 'u.id', 'c.agent_user_id')
    .select(['c.id', 'c.title', 'c.started_at', 'c.has_call', 'c.has_chat', 'c.has_email', 'u.name as agent_name'])
    .select((eb) => eb.fn.countAll<number | string>().as('mentions'))
    .groupBy(['c.id', 'c.title', 'c.started_at', 'c.has_call', 'c.has_chat', 'c.has_email', 'u.name'])
    .orderBy('c.started_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await db
    .selectFrom(mentionsBase(db, actor, f, target).select('m.conversation_id').distinct().as('x'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** The mentions of the target in some conversations, with the keyword and where it was said. */
export function mentionsIn(db: Executor, tenantId: string, conversationIds: readonly string[], target: MentionTarget) {
  let q = db
    .selectFrom('indicator_mentions as m')
    .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
    .innerJoin('indicator_keywords as k', 'k.id', 'm.keyword_id')
    .select([
      'm.conversation_id',
      'm.indicator_id',
      'i.name as indicator',
      'm.keyword_id',
      'k.text as keyword',
      'm.line_id',
      'm.role',
      'm.start_ms',
      'm.range_start',
      'm.range_end',
    ])
    .where('m.tenant_id', '=', tenantId)
    .where('m.conversation_id', 'in', conversationIds.length ? conversationIds : [''])
    .orderBy('m.conversation_id')
    .orderBy('m.start_ms')
    .orderBy('m.range_start');
  if (target.categoryId) q = q.where('i.category_id', '=', target.categoryId);
  if (target.indicatorId) q = q.where('m.indicator_id', '=', target.indicatorId);
  if (target.keywordId) q = q.where('m.keyword_id', '=', target.keywordId);
  return q.execute();
}

// ---- speaker metrics ---------------------------------------------------------------------------------------------

const METRIC_COLUMNS = {
  talkListenRatio: 'ci.talk_listen_ratio',
  wordsPerMinute: 'ci.words_per_minute',
  fillersPerMinute: 'ci.fillers_per_minute',
  longestMonologueMs: 'ci.longest_monologue_ms',
  // Calls answer in seconds, chats and e-mails in minutes to hours: two averages, never one. Only a call's summary
  // has a talk-to-listen ratio (text has none), and a call with a response time always has one (both need the customer
  // to speak and the agent to answer), so the ratio tells which kind of response time a row holds.
  avgResponseMs: sql<number | null>`CASE WHEN ci.talk_listen_ratio IS NOT NULL THEN ci.avg_response_ms END`,
  textResponseMs: sql<number | null>`CASE WHEN ci.talk_listen_ratio IS NULL THEN ci.avg_response_ms END`,
  sentiment: 'ci.sentiment_score',
  engagement: 'ci.engagement_score',
} as const;
export type MetricKey = keyof typeof METRIC_COLUMNS;
export const METRIC_KEYS = Object.keys(METRIC_COLUMNS) as MetricKey[];

/**
 * Per day and agent (or group): the sum and count of each metric over the analysed interactions, so the service can
 * average any set of days exactly. Interactions never analysed have no conversation_insights row and are not counted.
 */
export function metricSumsByDay(db: Executor, actor: Actor, f: ReportFilter, by: 'agent' | 'group') {
  const key = by === 'agent' ? 'c.agent_user_id' : 'c.group_id';
  let q = db
    .selectFrom('conversation_insights as ci')
    .innerJoin('conversations as c', 'c.id', 'ci.conversation_id')
    .select([sql<string>`c.local_date`.as('day'), sql<string | null>`${sql.ref(key)}`.as('id')])
    .select((eb) => [eb.fn.countAll<number | string>().as('interactions'), eb.fn.sum<number | string>('c.has_call').as('calls')])
    .where('ci.tenant_id', '=', actor.tenantId)
    .where('ci.status', '=', 'done')
    .where(conversationsOf(actor, f));
  for (const [name, col] of Object.entries(METRIC_COLUMNS)) {
    q = q.select((eb) => [eb.fn.sum<number | string | null>(col).as(`${name}_sum`), eb.fn.count<number | string>(col).as(`${name}_n`)]);
  }
  return q.groupBy(['c.local_date', key]).execute() as Promise<
    Array<Record<string, unknown> & { day: string; id: string | null; interactions: number | string; calls: number | string | null }>
  >;
}

/** Per day and agent (or group): speech events by type, over the analysed interactions. */
export function speechEventsByDay(db: Executor, actor: Actor, f: ReportFilter, by: 'agent' | 'group') {
  const key = by === 'agent' ? 'c.agent_user_id' : 'c.group_id';
  return db
    .selectFrom('speech_events as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('conversation_insights as ci', 'ci.conversation_id', 'c.id')
    .select([sql<string>`c.local_date`.as('day'), sql<string | null>`${sql.ref(key)}`.as('id'), 'e.type'])
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('ci.tenant_id', '=', actor.tenantId)
    .where('ci.status', '=', 'done')
    .where('e.type', 'in', ['silence', 'crosstalk', 'hold'])
    .where(conversationsOf(actor, f))
    .groupBy(['c.local_date', key, 'e.type'])
    .execute();
}

export const usersByIds = (db: Executor, tenantId: string, ids: readonly string[]) =>
  db
    .selectFrom('users')
    .select(['id', 'name', 'group_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids.length ? ids : [''])
    .execute();

export const groupsOf = (db: Executor, tenantId: string) =>
  db.selectFrom('groups').select(['id', 'name', 'parent_id']).where('tenant_id', '=', tenantId).execute();
