// All SQL of the dashboard and the call reports. The dashboard and the per-day/group/user/enterprise reports read the
// daily counts (conversation_daily*, migration 0042), never `conversations`; only the refresh and the per-call CSV
// read conversations, the refresh a day at a time and the CSV page by page on its (started_at, id) order.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { visibleTo } from '../conversations/access.ts';
import type { Executor } from '../platform/db/index.ts';
import type { ConversationDailyTable, ConversationDailyTagsTable, Database } from '../platform/db/schema.ts';

/** '' stands for "no group" / "no agent" in the daily keys (a primary key column cannot be NULL). */
export const NONE = '';
/**
 * The agent key of a group's roll-up row: every agent of the group (and none) on that day, channel and direction. The
 * dashboard and the per-day/group/organisation reports read these (days × groups × 12 rows at most), the per-agent
 * report and an agent filter read the agents' rows.
 */
export const ALL_AGENTS = '*';

// ---- refresh -------------------------------------------------------------------------------------------------------

/** Conversations with what the daily counts need (sentiment from their insights, if analysed). */
const countedConversations = (db: Executor) =>
  db
    .selectFrom('conversations as c')
    .leftJoin('conversation_insights as ci', (j) => j.onRef('ci.conversation_id', '=', 'c.id').on('ci.status', '=', 'done'))
    .select([
      'c.id',
      'c.local_date',
      'c.direction',
      'c.group_id',
      'c.agent_user_id',
      'c.started_at',
      'c.ended_at',
      'c.talk_time_ms',
      'c.has_call',
      'c.has_chat',
      'c.has_email',
      'ci.sentiment_score',
    ]);

/** The conversations of some local days. */
export function conversationsOfDays(db: Executor, tenantId: string, days: readonly string[]) {
  return countedConversations(db)
    .where('c.tenant_id', '=', tenantId)
    .where('c.local_date', 'in', days.length ? [...days] : [''])
    .execute();
}

/**
 * The tags of some local days' conversations, one row per conversation and tag; the caller counts them by group with
 * the conversations it read. A join grouped by the conversation's group let SQLite walk the tenant's group index —
 * every conversation of the tenant for each day, which made the backfill quadratic — so the day is matched alone.
 */
export function tagsOfDays(db: Executor, tenantId: string, days: readonly string[]) {
  return db
    .selectFrom('conversation_tags')
    .select(['conversation_id', 'tag_id'])
    .where('conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversations')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('local_date', 'in', days.length ? [...days] : ['']),
    )
    .execute();
}

/** Where some conversations were last counted (their day and cell), by conversation id. */
export function membersOf(db: Executor, tenantId: string, conversationIds: readonly string[]) {
  return conversationIds.length
    ? db
        .selectFrom('conversation_daily_members')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('conversation_id', 'in', [...conversationIds])
        .execute()
    : Promise.resolve([]);
}

/** Some conversations as the daily counts key them (gone ones are absent). */
export function conversationKeys(db: Executor, tenantId: string, conversationIds: readonly string[]) {
  return conversationIds.length
    ? db
        .selectFrom('conversations')
        .select(['id', 'local_date', 'direction', 'group_id', 'agent_user_id', 'has_call', 'has_chat', 'has_email'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...conversationIds])
        .execute()
    : Promise.resolve([]);
}

export interface CellKey {
  day: string;
  channel: string;
  direction: string;
  group_key: string;
  agent_key: string;
}

/** A UTC range around a local day that holds it in any zone: keeps the (tenant, agent|group, started_at) indexes useful. */
const around = (day: string) => ({
  from: new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString(),
  to: new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000).toISOString(),
});

const CHANNEL_FLAGS: Record<string, [number, number, number]> = {
  call: [1, -1, -1],
  chat: [0, 1, -1],
  email: [0, 0, 1],
  other: [0, 0, 0],
};

/** The conversations of one cell (as conversationsOfDays reads them): an agent's or group's day, not the tenant's. */
export function conversationsOfCell(db: Executor, tenantId: string, k: CellKey) {
  const r = around(k.day);
  let q = countedConversations(db)
    .where('c.tenant_id', '=', tenantId)
    .where('c.local_date', '=', k.day)
    .where('c.started_at', '>=', r.from)
    .where('c.started_at', '<', r.to)
    .where('c.direction', '=', k.direction)
    .where('c.group_id', k.group_key ? '=' : 'is', k.group_key || null);
  if (k.agent_key !== ALL_AGENTS) q = q.where('c.agent_user_id', k.agent_key ? '=' : 'is', k.agent_key || null);
  const [call, chat, email] = CHANNEL_FLAGS[k.channel] ?? CHANNEL_FLAGS.other!;
  // -1: either (a call with a chat is a call); 0/1: must be without/with.
  if (call >= 0) q = q.where('c.has_call', '=', call);
  if (chat >= 0) q = q.where('c.has_chat', '=', chat);
  if (email >= 0) q = q.where('c.has_email', '=', email);
  return q.execute();
}

/** Per tag: how many conversations of a group's day carry it. */
export function tagCountsOfGroupDay(db: Executor, tenantId: string, day: string, groupKey: string) {
  const r = around(day);
  return db
    .selectFrom('conversation_tags as ct')
    .innerJoin('conversations as c', 'c.id', 'ct.conversation_id')
    .select('ct.tag_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.tenant_id', '=', tenantId)
    .where('c.group_id', groupKey ? '=' : 'is', groupKey || null)
    .where('c.started_at', '>=', r.from)
    .where('c.started_at', '<', r.to)
    .where('c.local_date', '=', day)
    .groupBy('ct.tag_id')
    .execute();
}

/** Replaces one cell's row (none when it is empty now). */
export async function replaceCell(tx: Executor, tenantId: string, k: CellKey, row: ConversationDailyTable | null) {
  await tx
    .deleteFrom('conversation_daily')
    .where('tenant_id', '=', tenantId)
    .where('day', '=', k.day)
    .where('channel', '=', k.channel)
    .where('direction', '=', k.direction)
    .where('group_key', '=', k.group_key)
    .where('agent_key', '=', k.agent_key)
    .execute();
  if (row) await tx.insertInto('conversation_daily').values(row).execute();
}

export async function replaceGroupDayTags(tx: Executor, tenantId: string, day: string, groupKey: string, rows: ConversationDailyTagsTable[]) {
  await tx.deleteFrom('conversation_daily_tags').where('tenant_id', '=', tenantId).where('day', '=', day).where('group_key', '=', groupKey).execute();
  for (let i = 0; i < rows.length; i += 400)
    await tx
      .insertInto('conversation_daily_tags')
      .values(rows.slice(i, i + 400))
      .execute();
}

/** Where some conversations are counted now (replacing what was recorded for them; gone ones are forgotten). */
export async function setMembers(tx: Executor, ids: readonly string[], rows: Database['conversation_daily_members'][]) {
  for (let i = 0; i < ids.length; i += 500) {
    await tx
      .deleteFrom('conversation_daily_members')
      .where('conversation_id', 'in', ids.slice(i, i + 500))
      .execute();
  }
  for (let i = 0; i < rows.length; i += 300)
    await tx
      .insertInto('conversation_daily_members')
      .values(rows.slice(i, i + 300))
      .execute();
}

/** Replaces one day's counts, tag counts and members (inside the caller's transaction). */
export async function replaceDay(
  tx: Executor,
  tenantId: string,
  day: string,
  rows: ConversationDailyTable[],
  tags: ConversationDailyTagsTable[],
  members: Database['conversation_daily_members'][],
) {
  await tx.deleteFrom('conversation_daily').where('tenant_id', '=', tenantId).where('day', '=', day).execute();
  await tx.deleteFrom('conversation_daily_tags').where('tenant_id', '=', tenantId).where('day', '=', day).execute();
  await tx.deleteFrom('conversation_daily_members').where('tenant_id', '=', tenantId).where('day', '=', day).execute();
  for (let i = 0; i < rows.length; i += 200)
    await tx
      .insertInto('conversation_daily')
      .values(rows.slice(i, i + 200))
      .execute();
  for (let i = 0; i < tags.length; i += 400)
    await tx
      .insertInto('conversation_daily_tags')
      .values(tags.slice(i, i + 400))
      .execute();
  // A conversation that moved here from another day leaves that day's member row: it is replaced, not duplicated.
  await setMembers(
    tx,
    members.map((m) => m.conversation_id),
    members,
  );
}

/** Every local day a tenant has conversations on (the backfill's list), oldest first. */
export async function allDays(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('local_date')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('local_date', 'is not', null)
    .orderBy('local_date')
    .execute();
  return rows.map((r) => r.local_date!);
}

/** Days counted once but without a conversation any more (all of them deleted): the backfill empties them. */
export async function countedDays(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db.selectFrom('conversation_daily').select('day').distinct().where('tenant_id', '=', tenantId).execute();
  return rows.map((r) => r.day);
}

/** Whether a tenant has conversations that were never counted (an upgrade from before 0042): the start-up backfill. */
export async function needsBackfill(db: Executor, tenantId: string): Promise<boolean> {
  const member = await db.selectFrom('conversation_daily_members').select('conversation_id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  if (member) return false;
  const conv = await db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  return !!conv;
}

export async function backfillQueued(db: Executor, tenantId: string): Promise<boolean> {
  const job = await db
    .selectFrom('jobs')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('type', '=', 'reports.backfill')
    .where('status', 'in', ['queued', 'running'])
    .limit(1)
    .executeTakeFirst();
  return !!job;
}

// ---- reading the daily counts ---------------------------------------------------------------------------------------

export interface DailyFilter {
  tenantId: string;
  from: string;
  to: string;
  /** Groups the rows may have (a scope or a chosen group's subtree); null: every group, and conversations without one. */
  groupIds: readonly string[] | null;
  /** One agent (a user id), or null. */
  agentId: string | null;
}

/** The rows of the groups (a scope or a chosen subtree); null: every row, conversations of no group included. */
function groupCondition(column: string, groupIds: readonly string[] | null): Expression<SqlBool> {
  if (groupIds === null) return sql<SqlBool>`1 = 1`;
  return groupIds.length ? sql<SqlBool>`${sql.ref(column)} in (${sql.join([...groupIds])})` : sql<SqlBool>`1 = 0`;
}

export type DailyKey = 'day' | 'channel' | 'direction' | 'group_key' | 'agent_key';

export interface DailyFigures {
  conversations: number | string;
  duration_ms: number | string;
  longest_ms: number | string;
  talk_ms: number | string;
  sentiment_sum: number | string | null;
  sentiment_n: number | string | null;
}

/**
 * Sums over the period by the keys asked (a report by group needs no day), from the groups' roll-ups or, with
 * `agents`, the agents' rows; one channel, or all. Summed in SQL: a 90-day report by agent of a million conversations
 * reads about 100,000 agent rows and returns a few hundred.
 */
export function dailySums<K extends DailyKey>(db: Executor, f: DailyFilter, by: { keys: readonly K[]; agents: boolean; channel?: string | null }) {
  const keys = [...by.keys];
  let q = db
    .selectFrom('conversation_daily')
    .select(keys)
    .select((eb) => [
      eb.fn.sum<number | string>('conversations').as('conversations'),
      eb.fn.sum<number | string>('duration_ms').as('duration_ms'),
      eb.fn.max<number | string>('longest_ms').as('longest_ms'),
      eb.fn.sum<number | string>('talk_ms').as('talk_ms'),
      eb.fn.sum<number | string>('sentiment_sum').as('sentiment_sum'),
      eb.fn.sum<number | string>('sentiment_n').as('sentiment_n'),
    ])
    .where('tenant_id', '=', f.tenantId)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .where(groupCondition('group_key', f.groupIds));
  if (f.agentId) q = q.where('agent_key', '=', f.agentId);
  else q = q.where('agent_key', by.agents ? '<>' : '=', ALL_AGENTS);
  if (by.channel) q = q.where('channel', '=', by.channel);
  return (keys.length ? q.groupBy(keys) : q).execute() as Promise<Array<Record<K, string> & DailyFigures>>;
}

/** The most used tags of the period, with their names. */
export function topTags(db: Executor, f: DailyFilter, limit: number) {
  return db
    .selectFrom('conversation_daily_tags as d')
    .innerJoin('tag_definitions as t', 't.id', 'd.tag_id')
    .select(['d.tag_id', 't.name', 't.color'])
    .select((eb) => eb.fn.sum<number | string>('d.conversations').as('n'))
    .where('d.tenant_id', '=', f.tenantId)
    .where('d.day', '>=', f.from)
    .where('d.day', '<=', f.to)
    .where(groupCondition('d.group_key', f.groupIds))
    .groupBy(['d.tag_id', 't.name', 't.color'])
    .orderBy('n', 'desc')
    .orderBy('t.name')
    .limit(limit)
    .execute();
}

/** Submitted evaluations of the period (UTC bounds) in the groups, averaged. */
export function evaluationScore(db: Executor, f: DailyFilter, bounds: { from: string; to: string }) {
  let q = db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .select((eb) => [eb.fn.avg<number | string | null>('e.percent').as('avg'), eb.fn.count<number | string>('e.percent').as('n')])
    .where('e.tenant_id', '=', f.tenantId)
    .where('e.status', '=', 'submitted')
    .where('e.kind', '=', 'review')
    .where('e.submitted_at', '>=', bounds.from)
    .where('e.submitted_at', '<', bounds.to);
  if (f.groupIds !== null) q = q.where('c.group_id', 'in', f.groupIds.length ? [...f.groupIds] : ['']);
  if (f.agentId) q = q.where('e.agent_user_id', '=', f.agentId);
  return q.executeTakeFirst();
}

/** Calls being recorded now in the groups, and whether this tenant records at all (configured sources or calls seen). */
export async function activeCalls(db: Executor, f: DailyFilter): Promise<number | null> {
  let q = db
    .selectFrom('recorder_calls')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tenant_id', '=', f.tenantId)
    .where('ended_at', 'is', null);
  if (f.groupIds !== null) q = q.where('group_id', 'in', f.groupIds.length ? [...f.groupIds] : ['']);
  const active = Number((await q.executeTakeFirst())?.n ?? 0);
  if (active > 0) return active;
  const source = await db.selectFrom('recorder_sources').select('id').where('tenant_id', '=', f.tenantId).limit(1).executeTakeFirst();
  const call = source ? null : await db.selectFrom('recorder_calls').select('id').where('tenant_id', '=', f.tenantId).limit(1).executeTakeFirst();
  return source || call ? 0 : null;
}

export const groupsOf = (db: Executor, tenantId: string) =>
  db.selectFrom('groups').select(['id', 'name', 'parent_id']).where('tenant_id', '=', tenantId).orderBy('name').execute();

export const usersByIds = (db: Executor, tenantId: string, ids: readonly string[]) =>
  ids.length
    ? db
        .selectFrom('users')
        .select(['id', 'name', 'group_id'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute()
    : Promise.resolve([] as Array<{ id: string; name: string; group_id: string | null }>);

export async function firstSiteZone(db: Executor, tenantId: string): Promise<string> {
  const s = await db.selectFrom('sites').select('time_zone').where('tenant_id', '=', tenantId).orderBy('created_at').limit(1).executeTakeFirst();
  return s?.time_zone ?? 'UTC';
}

export const tenantName = async (db: Executor, tenantId: string) =>
  (await db.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst())?.name ?? '';

// ---- per-call detail (CSV) ------------------------------------------------------------------------------------------

export interface CallPage {
  id: string;
  started_at: string;
  ended_at: string;
  local_date: string | null;
  direction: string;
  talk_time_ms: number;
  has_call: number;
  has_chat: number;
  has_email: number;
  group_id: string | null;
  agent_user_id: string | null;
  agent_name: string | null;
}

/** One page of the conversations of a period the actor may see, in (started_at, id) order after `after`. */
export function callsPage(db: Executor, actor: Actor, f: DailyFilter, after: { startedAt: string; id: string } | null, limit: number): Promise<CallPage[]> {
  let q = db
    .selectFrom('conversations as c')
    .leftJoin('users as u', 'u.id', 'c.agent_user_id')
    .select([
      'c.id',
      'c.started_at',
      'c.ended_at',
      'c.local_date',
      'c.direction',
      'c.talk_time_ms',
      'c.has_call',
      'c.has_chat',
      'c.has_email',
      'c.group_id',
      'c.agent_user_id',
      'u.name as agent_name',
    ])
    .where('c.tenant_id', '=', actor.tenantId)
    .where(visibleTo(actor))
    .where('c.local_date', '>=', f.from)
    .where('c.local_date', '<=', f.to);
  if (f.groupIds !== null) q = q.where('c.group_id', 'in', f.groupIds.length ? [...f.groupIds] : ['']);
  if (f.agentId) q = q.where('c.agent_user_id', '=', f.agentId);
  if (after)
    q = q.where((eb) => eb.or([eb('c.started_at', '>', after.startedAt), eb.and([eb('c.started_at', '=', after.startedAt), eb('c.id', '>', after.id)])]));
  return q.orderBy('c.started_at').orderBy('c.id').limit(limit).execute() as Promise<CallPage[]>;
}

// ---- scheduled report e-mails ----------------------------------------------------------------------------------------

export const schedulesOf = (db: Executor, tenantId: string, userId: string) =>
  db.selectFrom('report_schedules').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).orderBy('created_at').execute();

export const allSchedules = (db: Executor) => db.selectFrom('report_schedules').selectAll().orderBy('tenant_id').orderBy('created_at').execute();

export const getSchedule = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('report_schedules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const insertSchedule = (db: Executor, row: Database['report_schedules']) => db.insertInto('report_schedules').values(row).execute();

export const deleteSchedule = (db: Executor, id: string) => db.deleteFrom('report_schedules').where('id', '=', id).execute();

export const markScheduleSent = (db: Executor, id: string, period: string) =>
  db.updateTable('report_schedules').set({ last_period: period }).where('id', '=', id).execute();
