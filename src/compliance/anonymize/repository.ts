// SQL of anonymization: what a conversation holds of a customer, its overwrite, and the runs over a search.
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import type { AnonymizationItemsTable, AnonymizationRunsTable } from '../../platform/db/schema.ts';

// ---- what a conversation holds ----------------------------------------------------------------------------------

/** Those of `ids` the actor may see (their group scope, or their own conversations). */
export const visibleIds = (db: Executor, actor: Actor, ids: string[]) =>
  ids.length
    ? db
        .selectFrom('conversations as c')
        .select('c.id')
        .where(visibleTo(actor))
        .where('c.id', 'in', ids)
        .execute()
        .then((r) => r.map((x) => x.id))
    : Promise.resolve([]);

/** Keys of segment metadata that carry data tags: they belong to the tag, not to the customer. */
export const dataTagKeys = (db: Executor, tenantId: string) =>
  db
    .selectFrom('tag_definitions')
    .select('data_key')
    .where('tenant_id', '=', tenantId)
    .where('data_key', 'is not', null)
    .execute()
    .then((rows) => new Set(rows.map((r) => r.data_key!)));

export const titles = (db: Executor, ids: string[]) =>
  ids.length ? db.selectFrom('conversations').select(['id', 'title']).where('id', 'in', ids).execute() : Promise.resolve([]);

export const fieldDefinitions = (db: Executor, tenantId: string) =>
  db.selectFrom('custom_field_definitions').select(['id', 'key', 'label']).where('tenant_id', '=', tenantId).execute();

export const states = (db: Executor, ids: string[]) =>
  db.selectFrom('conversations').select(['id', 'anonymized_at', 'has_call', 'has_screen', 'media_state']).where('id', 'in', ids).execute();

/** Those of `ids` whose current transcript has PII spans. */
export const withPii = (db: Executor, a: DialectAdapter, ids: string[]) =>
  db
    .selectFrom('transcript_utterances as u')
    .innerJoin('transcripts as t', 't.id', 'u.transcript_id')
    .select('u.conversation_id')
    .distinct()
    .where('u.conversation_id', 'in', ids)
    .where('t.is_current', '=', 1)
    .where(a.jsonText('u.pii'), '<>', '[]')
    .execute();

export const conversation = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'tenant_id', 'title', 'customer_phone', 'custom_data', 'has_call', 'has_screen', 'media_state', 'anonymized_at', 'anonymized_parts'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();

export const participants = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversation_participants')
    .select(['id', 'role', 'name', 'phone', 'email', 'external_id', 'user_id'])
    .where('conversation_id', '=', conversationId)
    .execute();

export const segments = (db: Executor, conversationId: string) =>
  db.selectFrom('segments').select(['id', 'kind', 'title', 'metadata', 'source_url']).where('conversation_id', '=', conversationId).execute();

export const chatMessages = (db: Executor, segmentIds: string[]) =>
  segmentIds.length
    ? db.selectFrom('chat_messages').select(['id', 'text', 'sender_name', 'sender_role']).where('segment_id', 'in', segmentIds).execute()
    : Promise.resolve([]);

export const emails = (db: Executor, segmentIds: string[]) =>
  segmentIds.length
    ? db
        .selectFrom('email_messages')
        .select(['segment_id', 'subject', 'from_name', 'from_address', 'to_list', 'cc_list', 'body_text', 'body_html', 'attachments'])
        .where('segment_id', 'in', segmentIds)
        .execute()
    : Promise.resolve([]);

/** The tenant's users' addresses: an e-mail address of staff is not a customer's. */
export const userEmails = (db: Executor, tenantId: string, addresses: string[]) =>
  addresses.length
    ? db
        .selectFrom('users')
        .select('email')
        .where('tenant_id', '=', tenantId)
        .where(
          'email',
          'in',
          addresses.map((a) => a.toLowerCase()),
        )
        .execute()
        .then((r) => new Set(r.map((u) => u.email.toLowerCase())))
    : Promise.resolve(new Set<string>());

export const fieldValues = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversation_field_values as v')
    .innerJoin('custom_field_definitions as d', 'd.id', 'v.field_id')
    .select(['v.field_id', 'v.value', 'd.key'])
    .where('v.conversation_id', '=', conversationId)
    .execute();

export const tagComments = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_tags').select(['id', 'comment']).where('conversation_id', '=', conversationId).where('comment', 'is not', null).execute();

export const comments = (db: Executor, conversationId: string) =>
  db.selectFrom('comments').select(['id', 'text']).where('conversation_id', '=', conversationId).execute();

export const utterances = (db: Executor, conversationId: string) =>
  db.selectFrom('transcript_utterances').select(['id', 'text', 'display_text', 'redacted_text']).where('conversation_id', '=', conversationId).execute();

export const insights = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_insights').select(['conversation_id', 'details']).where('conversation_id', '=', conversationId).executeTakeFirst();

// ---- overwriting ---------------------------------------------------------------------------------------------------

export const setConversation = (
  tx: Tx,
  id: string,
  patch: { title?: string; customer_phone?: string | null; custom_data?: unknown; anonymized_at: string; anonymized_parts: string; updated_at: string },
) => tx.updateTable('conversations').set(patch).where('id', '=', id).execute();

export const setParticipant = (
  tx: Tx,
  id: string,
  patch: { name?: string | null; phone?: string | null; email?: string | null; external_id?: string | null },
) => tx.updateTable('conversation_participants').set(patch).where('id', '=', id).execute();

export const setSegment = (
  tx: Tx,
  id: string,
  patch: { title?: string | null; metadata?: unknown; source_url?: string | null; anonymized_at: string; updated_at: string },
) => tx.updateTable('segments').set(patch).where('id', '=', id).execute();

export const setChatMessage = (tx: Tx, id: string, patch: { text?: string; sender_name?: string | null }) =>
  tx.updateTable('chat_messages').set(patch).where('id', '=', id).execute();

export const setEmail = (
  tx: Tx,
  segmentId: string,
  patch: {
    subject?: string;
    from_name?: string | null;
    from_address?: string;
    to_list?: unknown;
    cc_list?: unknown;
    body_text?: string;
    body_html?: string | null;
    attachments?: unknown;
  },
) => tx.updateTable('email_messages').set(patch).where('segment_id', '=', segmentId).execute();

export const setTagComment = (tx: Tx, id: string, comment: string) => tx.updateTable('conversation_tags').set({ comment }).where('id', '=', id).execute();

export const setComment = (tx: Tx, id: string, text: string) => tx.updateTable('comments').set({ text }).where('id', '=', id).execute();

export const setUtterance = (tx: Tx, id: string, patch: { text: string; display_text: string; redacted_text: string; words?: unknown }) =>
  tx.updateTable('transcript_utterances').set(patch).where('id', '=', id).execute();

export const setInsightDetails = (tx: Tx, conversationId: string, details: unknown) =>
  tx.updateTable('conversation_insights').set({ details }).where('conversation_id', '=', conversationId).execute();

// ---- audio redaction in place ---------------------------------------------------------------------------------------

/** Every analysed stream of the conversation with its PCM, redacted copy and stored file. */
export const renditions = (db: Executor, conversationId: string) =>
  db
    .selectFrom('stream_renditions as r')
    .innerJoin('streams as s', 's.id', 'r.stream_id')
    .select(['r.stream_id', 'r.pcm_blob_id', 'r.redacted_pcm_blob_id', 's.blob_id'])
    .where('r.conversation_id', '=', conversationId)
    .where('r.pcm_blob_id', 'is not', null)
    .execute();

/** Everyone hears the redacted copy from now on, and the stored original file is let go. */
export async function keepOnlyRedactedAudio(tx: Tx, conversationId: string, streamIds: string[], at: string) {
  if (!streamIds.length) return;
  await tx
    .updateTable('stream_renditions')
    .set((eb) => ({ pcm_blob_id: eb.ref('redacted_pcm_blob_id') }))
    .where('conversation_id', '=', conversationId)
    .where('stream_id', 'in', streamIds)
    .execute();
  await tx
    .updateTable('streams')
    .set({ blob_id: null, status_reason: `Anonymized ${at}: the original file was removed; the recording plays with its personal data silenced` })
    .where('id', 'in', streamIds)
    .execute();
}

/** Moment clips cut from the original: the redacted clip takes their place. */
export const momentClips = (db: Executor, conversationId: string) =>
  db
    .selectFrom('moments')
    .select(['id', 'clip_blob_id', 'redacted_clip_blob_id'])
    .where('conversation_id', '=', conversationId)
    .where('clip_blob_id', 'is not', null)
    .execute();

export const setMomentClip = (tx: Tx, id: string, clipBlobId: string | null, at: string) =>
  tx.updateTable('moments').set({ clip_blob_id: clipBlobId, updated_at: at }).where('id', '=', id).execute();

// ---- runs ----------------------------------------------------------------------------------------------------------

export const insertRun = (tx: Tx, row: AnonymizationRunsTable) => tx.insertInto('anonymization_runs').values(row).execute();

export const getRun = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('anonymization_runs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const runById = (db: Executor, id: string) => db.selectFrom('anonymization_runs').selectAll().where('id', '=', id).executeTakeFirst();

export const updateRun = (db: Executor, id: string, patch: Partial<AnonymizationRunsTable>) =>
  db.updateTable('anonymization_runs').set(patch).where('id', '=', id).execute();

export const listRuns = (db: Executor, tenantId: string, limit: number) =>
  db.selectFrom('anonymization_runs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').limit(limit).execute();

export async function insertItems(tx: Tx, rows: AnonymizationItemsTable[]) {
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('anonymization_items')
      .values(rows.slice(i, i + 500))
      .execute();
}

export const pendingItems = (db: Executor, runId: string, limit: number) =>
  db
    .selectFrom('anonymization_items')
    .select('conversation_id')
    .where('run_id', '=', runId)
    .where('status', '=', 'pending')
    .orderBy('conversation_id')
    .limit(limit)
    .execute();

export const setItem = (db: Executor, runId: string, conversationId: string, status: string, reason: string | null) =>
  db.updateTable('anonymization_items').set({ status, reason }).where('run_id', '=', runId).where('conversation_id', '=', conversationId).execute();

/** One more conversation of the run done, anonymized or skipped (in the transaction that decided it). */
export const countItem = (tx: Tx, runId: string, outcome: 'anonymized' | 'skipped') =>
  tx
    .updateTable('anonymization_runs')
    .set((eb) => ({ done: eb('done', '+', 1), [outcome]: eb(outcome, '+', 1) }))
    .where('id', '=', runId)
    .execute();

export const itemCounts = (db: Executor, runId: string) =>
  db
    .selectFrom('anonymization_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy('status')
    .execute();

export const skippedItems = (db: Executor, runId: string, limit: number) =>
  db
    .selectFrom('anonymization_items as i')
    .leftJoin('conversations as c', 'c.id', 'i.conversation_id')
    .select(['i.conversation_id', 'i.status', 'i.reason', 'c.title'])
    .where('i.run_id', '=', runId)
    .where('i.status', '=', 'skipped')
    .orderBy('i.conversation_id')
    .limit(limit)
    .execute();
