// SQL of the media pipeline: the call segments and streams to analyse, renditions, speech events, conversation state.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { SpeechEventsTable, StreamRenditionsTable } from '../../platform/db/schema.ts';

export const conversationOf = (db: Executor, conversationId: string) =>
  db.selectFrom('conversations').select(['id', 'tenant_id', 'started_at', 'ended_at', 'direction']).where('id', '=', conversationId).executeTakeFirst();

export const callSegments = (db: Executor, conversationId: string) =>
  db.selectFrom('segments').selectAll().where('conversation_id', '=', conversationId).where('kind', '=', 'call').orderBy('started_at').orderBy('id').execute();

export const audioStreams = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('streams')
        .selectAll()
        .where('segment_id', 'in', segmentIds)
        .where('kind', '=', 'audio')
        .orderBy('segment_id')
        .orderBy('channel_index')
        .orderBy('id')
        .execute();

export const segmentEvents = (db: Executor, segmentIds: string[]) =>
  segmentIds.length === 0 ? Promise.resolve([]) : db.selectFrom('segment_events').selectAll().where('segment_id', 'in', segmentIds).orderBy('at').execute();

export const participants = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_participants').select(['party_key', 'role', 'name', 'user_id']).where('conversation_id', '=', conversationId).execute();

export const renditionsOf = (db: Executor, conversationId: string) =>
  db.selectFrom('stream_renditions').selectAll().where('conversation_id', '=', conversationId).execute();

export const renditionOf = (db: Executor, streamId: string) =>
  db.selectFrom('stream_renditions').selectAll().where('stream_id', '=', streamId).executeTakeFirst();

export const eventsOf = (db: Executor, conversationId: string) =>
  db.selectFrom('speech_events').selectAll().where('conversation_id', '=', conversationId).orderBy('start_ms').orderBy('type').execute();

/** Replaces everything the pipeline stored for a conversation. */
export async function replaceResults(
  db: Executor,
  conversationId: string,
  renditions: StreamRenditionsTable[],
  events: SpeechEventsTable[],
  state: { holdCount: number; status: string; at: string },
) {
  await db.deleteFrom('stream_renditions').where('conversation_id', '=', conversationId).execute();
  await db.deleteFrom('speech_events').where('conversation_id', '=', conversationId).execute();
  for (let i = 0; i < renditions.length; i += 50)
    await db
      .insertInto('stream_renditions')
      .values(renditions.slice(i, i + 50))
      .execute();
  for (let i = 0; i < events.length; i += 100)
    await db
      .insertInto('speech_events')
      .values(events.slice(i, i + 100))
      .execute();
  await db
    .updateTable('conversations')
    .set({ hold_count: state.holdCount, media_status: state.status, media_analyzed_at: state.at })
    .where('id', '=', conversationId)
    .execute();
}

export const setMediaStatus = (db: Executor, conversationIds: string[], status: string) =>
  conversationIds.length === 0
    ? Promise.resolve()
    : db
        .updateTable('conversations')
        .set({ media_status: status })
        .where('id', 'in', conversationIds)
        .execute()
        .then(() => undefined);

/** Conversations of a tenant with calls, after `afterId` in id order (the backfill walks them in batches). */
export function callConversationsAfter(db: Executor, tenantId: string, afterId: string | null, limit: number) {
  let q = db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).where('has_call', '=', 1);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

export async function countCallConversations(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('conversations')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('has_call', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
