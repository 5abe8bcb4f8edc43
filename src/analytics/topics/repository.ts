// SQL of topics and the topic hits found in conversations.
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { TopicHitsTable, TopicsTable } from '../../platform/db/schema.ts';

export const listTopics = (db: Executor, tenantId: string) =>
  db
    .selectFrom('topics')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

export const getTopic = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('topics').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const findTopicByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('topics')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

/** Custom topics: those not seeded from a default. */
export async function countCustomTopics(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('topics')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('builtin_key', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const insertTopic = (db: Executor, row: TopicsTable) => db.insertInto('topics').values(row).execute();
export const updateTopic = (db: Executor, id: string, patch: Partial<TopicsTable>) => db.updateTable('topics').set(patch).where('id', '=', id).execute();
export const deleteTopic = (db: Executor, id: string) => db.deleteFrom('topics').where('id', '=', id).execute();
/** Every topic of the tenant shows this job's progress (a change to one re-scores all: they share the IDF). */
export const setTopicsJob = (db: Executor, tenantId: string, jobId: string) =>
  db.updateTable('topics').set({ analysis_job_id: jobId }).where('tenant_id', '=', tenantId).execute();

/** Replaces every topic hit on these conversations (callers pass a transaction). */
export async function replaceTopicHits(db: Executor, conversationIds: readonly string[], rows: TopicHitsTable[]) {
  if (conversationIds.length === 0) return;
  await db
    .deleteFrom('topic_hits')
    .where('conversation_id', 'in', [...conversationIds])
    .execute();
  for (let i = 0; i < rows.length; i += 90)
    await db
      .insertInto('topic_hits')
      .values(rows.slice(i, i + 90))
      .execute();
}

export const topicHitsOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('topic_hits as h')
    .innerJoin('topics as t', 't.id', 'h.topic_id')
    .select(['h.id', 'h.topic_id', 'h.line_id', 'h.role', 'h.start_ms', 'h.score', 't.name as topic_name'])
    .where('h.conversation_id', '=', conversationId)
    .orderBy('h.start_ms')
    .orderBy('h.line_id')
    .orderBy('h.score', 'desc')
    .execute();

/** Conversations with hits, and hits, per topic, of the conversations the actor can see (as mentionCounts). */
export async function hitCounts(db: Executor, actor: Actor) {
  const counts = [sql<number>`count(distinct h.conversation_id)`.as('conversations'), sql<number>`count(*)`.as('hits')];
  const rows =
    actor.permissions.has('conversations.view') && actor.scope.all
      ? await db.selectFrom('topic_hits as h').select('h.topic_id').select(counts).where('h.tenant_id', '=', actor.tenantId).groupBy('h.topic_id').execute()
      : await db
          .selectFrom('topic_hits as h')
          .innerJoin('conversations as c', 'c.id', 'h.conversation_id')
          .select('h.topic_id')
          .select(counts)
          .where('h.tenant_id', '=', actor.tenantId)
          .where(visibleTo(actor))
          .groupBy('h.topic_id')
          .execute();
  return new Map(rows.map((r) => [r.topic_id, { conversations: Number(r.conversations), hits: Number(r.hits) }]));
}
