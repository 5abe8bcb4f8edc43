// SQL of the transcription job and re-transcription: what the job reads around a conversation (tenant settings, the
// words the engines should expect) and the calls a bulk re-transcription walks.
import type { Executor } from '../../platform/db/index.ts';

export const tenantOf = (db: Executor, tenantId: string) =>
  db.selectFrom('tenants').select(['id', 'name', 'settings']).where('id', '=', tenantId).executeTakeFirst();

/** Names of the tenant's agents (users with an extension), for the engines' vocabulary. */
export const agentNames = (db: Executor, tenantId: string, limit: number) =>
  db
    .selectFrom('users')
    .select('name')
    .where('tenant_id', '=', tenantId)
    .where('extension', 'is not', null)
    .where('disabled', '=', 0)
    .orderBy('name')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.name));

/** The phrases of the tenant's speech tags, for the engines' vocabulary. */
export const speechTagPhrases = (db: Executor, tenantId: string, limit: number) =>
  db
    .selectFrom('speech_tag_definitions')
    .select(['name', 'phrase'])
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => (r.phrase ?? '').trim() || r.name));

export const participantNames = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversation_participants')
    .select('name')
    .where('conversation_id', '=', conversationId)
    .where('name', 'is not', null)
    .execute()
    .then((rows) => rows.map((r) => r.name!));

export const countCallConversations = (db: Executor, tenantId: string) =>
  db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('has_call', '=', 1)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

/** Call conversations of a tenant after `afterId` in id order (a bulk re-transcription walks them in batches). */
export function callConversationsAfter(db: Executor, tenantId: string, afterId: string | null, limit: number) {
  let q = db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).where('has_call', '=', 1);
  if (afterId) q = q.where('id', '>', afterId);
  return q
    .orderBy('id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

export const speechStateOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'tenant_id', 'has_call', 'speech_status', 'speech_reason', 'transcribed_at'])
    .where('id', '=', conversationId)
    .executeTakeFirst();

/** Marks conversations as waiting for transcription (with a note saying why). */
export const markPending = (db: Executor, conversationIds: string[], reason: string | null) =>
  conversationIds.length === 0
    ? Promise.resolve()
    : db
        .updateTable('conversations')
        .set({ speech_status: 'pending', speech_reason: reason })
        .where('id', 'in', conversationIds)
        .execute()
        .then(() => undefined);

/** How many of the tenant's conversations are in each speech state (for /api/health). */
export const speechStatusCounts = (db: Executor) =>
  db
    .selectFrom('conversations')
    .select((eb) => ['speech_status', eb.fn.countAll<number | string>().as('n')])
    .where('speech_status', 'in', ['pending', 'failed', 'no_engine'])
    .groupBy('speech_status')
    .execute()
    .then((rows) => Object.fromEntries(rows.map((r) => [String(r.speech_status), Number(r.n)])) as Record<string, number>);

export const savedSearch = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('saved_searches')
    .select(['id', 'owner_id', 'protected', 'filter', 'deleted_at'])
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
