// Retention's SQL: the policy rows, and the conversations a policy makes due — one statement for every rule, oldest
// first, each conversation decided by the first enabled rule that matches it (a CASE in rule order), else the default.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { ConversationsTable, Database, RetentionPoliciesTable } from '../../platform/db/schema.ts';
import type { RetentionConditions } from './schemas.ts';

export type PolicyRow = Selectable<RetentionPoliciesTable>;

export const listPolicies = (ex: Executor, tenantId: string) =>
  ex.selectFrom('retention_policies').selectAll().where('tenant_id', '=', tenantId).orderBy('kind').orderBy('position').execute();

export async function replacePolicies(ex: Executor, tenantId: string, rows: RetentionPoliciesTable[]) {
  await ex.deleteFrom('retention_policies').where('tenant_id', '=', tenantId).execute();
  if (rows.length) await ex.insertInto('retention_policies').values(rows).execute();
}

/** Tenants with a policy that can delete something (a default or an enabled rule with a period). */
export const tenantsWithRetention = (ex: Executor) =>
  ex.selectFrom('retention_policies').select('tenant_id').distinct().where('period_days', 'is not', null).where('enabled', '=', 1).execute();

export const groupTree = (ex: Executor, tenantId: string) => ex.selectFrom('groups').select(['id', 'parent_id']).where('tenant_id', '=', tenantId).execute();

/** One rule (or the default, with no conditions) as the due query sees it. */
export interface Bucket {
  /** 0 = the default; rules count from 1 in their order. */
  index: number;
  conditions: RetentionConditions | null;
  /** Conversations that started before this are due; null = kept forever (the bucket still shadows later ones). */
  cutoff: string | null;
  scope: 'media' | 'conversation';
}

type EB = ExpressionBuilder<Database & { c: ConversationsTable }, 'c'>;

function matches(eb: EB, c: RetentionConditions): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  if (c.channels?.length) {
    const col = { call: 'c.has_call', chat: 'c.has_chat', email: 'c.has_email' } as const;
    all.push(eb.or(c.channels.map((ch) => eb(col[ch], '=', 1))));
  }
  if (c.directions?.length) all.push(eb('c.direction', 'in', c.directions));
  if (c.groupIds?.length) all.push(eb('c.group_id', 'in', c.groupIds));
  for (const ids of [c.tagIds, c.categoryIds]) {
    if (ids?.length)
      all.push(eb.exists(eb.selectFrom('conversation_tags as ct').select('ct.id').whereRef('ct.conversation_id', '=', 'c.id').where('ct.tag_id', 'in', ids)));
  }
  return all.length ? eb.and(all) : sql<SqlBool>`1 = 1`;
}

function dueWhere(eb: EB, tenantId: string, buckets: readonly Bucket[]): Expression<SqlBool> {
  const rules = buckets.filter((b) => b.index > 0);
  const ors: Expression<SqlBool>[] = [];
  for (const b of buckets) {
    if (b.cutoff === null) continue;
    const earlier = rules.filter((r) => b.index === 0 || r.index < b.index);
    const own = b.index === 0 ? [] : [matches(eb, b.conditions ?? {})];
    const scope = b.scope === 'media' ? [eb('c.media_state', 'is', null), eb.or([eb('c.has_call', '=', 1), eb('c.has_screen', '=', 1)])] : [];
    ors.push(eb.and([...own, ...earlier.map((r) => eb.not(matches(eb, r.conditions ?? {}))), eb('c.started_at', '<', b.cutoff), ...scope]));
  }
  if (!ors.length) return sql<SqlBool>`1 = 0`;
  return eb.and([
    eb('c.tenant_id', '=', tenantId),
    eb.or(ors),
    // A deletion already planned or half-way is the job's, not the purge's.
    eb.not(
      eb.exists(eb.selectFrom('deletions as d').select('d.id').whereRef('d.conversation_id', '=', 'c.id').where('d.status', 'in', ['planned', 'shredded'])),
    ),
  ]);
}

function bucketOf(eb: EB, buckets: readonly Bucket[]): RawBuilder<number> {
  const rules = buckets.filter((b) => b.index > 0);
  if (!rules.length) return sql<number>`0`;
  let c = eb
    .case()
    .when(matches(eb, rules[0]!.conditions ?? {}))
    .then(rules[0]!.index);
  for (const r of rules.slice(1)) c = c.when(matches(eb, r.conditions ?? {})).then(r.index);
  return sql<number>`${c.else(0).end()}`;
}

export interface DueRow {
  id: string;
  title: string;
  started_at: string;
  bucket: number;
}

/** The next due conversations, oldest first, after the (started_at, id) cursor. */
export async function dueAfter(
  ex: Executor,
  tenantId: string,
  buckets: readonly Bucket[],
  after: { startedAt: string; id: string } | null,
  limit: number,
): Promise<DueRow[]> {
  let q = ex
    .selectFrom('conversations as c')
    .select((eb) => ['c.id', 'c.title', 'c.started_at', bucketOf(eb as EB, buckets).as('bucket')])
    .where((eb) => dueWhere(eb as EB, tenantId, buckets));
  if (after)
    q = q.where((eb) => eb.or([eb('c.started_at', '>', after.startedAt), eb.and([eb('c.started_at', '=', after.startedAt), eb('c.id', '>', after.id)])]));
  const rows = await q.orderBy('c.started_at').orderBy('c.id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, title: r.title, started_at: String(r.started_at), bucket: Number(r.bucket) }));
}

export async function countDue(ex: Executor, tenantId: string, buckets: readonly Bucket[]): Promise<number> {
  const r = await ex
    .selectFrom('conversations as c')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) => dueWhere(eb as EB, tenantId, buckets))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function countConversations(ex: Executor, tenantId: string): Promise<number> {
  const r = await ex
    .selectFrom('conversations')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Stored bytes of the media objects of these conversations (streams and their renditions): what deleting them frees. */
export async function storedBytes(ex: Executor, conversationIds: string[]): Promise<number> {
  if (!conversationIds.length) return 0;
  const streamBlobs = ex
    .selectFrom('streams as s')
    .innerJoin('segments as g', 'g.id', 's.segment_id')
    .select('s.blob_id as id')
    .where('g.conversation_id', 'in', conversationIds);
  const renditions = ex.selectFrom('stream_renditions').where('conversation_id', 'in', conversationIds);
  const r = await ex
    .selectFrom('blobs')
    .select(sql<number>`coalesce(sum(stored_size), 0)`.as('n'))
    .where((eb) =>
      eb.or([
        eb('id', 'in', streamBlobs),
        eb('id', 'in', renditions.select('pcm_blob_id as id')),
        eb('id', 'in', renditions.select('peaks_blob_id as id')),
        eb('id', 'in', renditions.select('redacted_pcm_blob_id as id')),
      ]),
    )
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The latest purge runs that may concern the tenant: its own (Run now) and the scheduled ones (every tenant). */
export const recentPurgeJobs = (ex: Executor, tenantId: string) =>
  ex
    .selectFrom('jobs')
    .select(['tenant_id', 'status', 'result', 'last_error', 'finished_at', 'updated_at'])
    .where('type', '=', 'compliance.retention_purge')
    .where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]))
    .orderBy('created_at', 'desc')
    .limit(10)
    .execute();
