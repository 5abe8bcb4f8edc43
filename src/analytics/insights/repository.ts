// SQL of conversation insights: what the analysis reads (the conversation, its current transcript, chat and e-mail
// messages, holds and gaps) and the one conversation_insights row it writes.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { ConversationInsightsTable } from '../../platform/db/schema.ts';

export const conversationOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversations as c')
    .innerJoin('tenants as t', 't.id', 'c.tenant_id')
    .select(['c.id', 'c.tenant_id', 'c.started_at', 'c.ended_at', 't.language as tenant_language', 't.settings as tenant_settings'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();

/** Takes the conversation's row lock, so two runs of the job for one conversation store one after the other. */
export const lockConversation = (db: Executor, a: DialectAdapter, conversationId: string) =>
  a.lockForUpdate(db.selectFrom('conversations').select(['id']).where('id', '=', conversationId)).executeTakeFirst();

export const transcriptLanguage = (db: Executor, conversationId: string) =>
  db.selectFrom('transcripts').select(['language']).where('conversation_id', '=', conversationId).where('is_current', '=', 1).executeTakeFirst();

export const chatMessagesOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('chat_messages as m')
    .innerJoin('segments as s', 's.id', 'm.segment_id')
    .select(['m.id', 'm.segment_id', 'm.seq', 'm.sender_role', 'm.sent_at', 'm.text'])
    .where('s.conversation_id', '=', conversationId)
    .orderBy('m.sent_at')
    .orderBy('m.seq')
    .execute();

export const emailsOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('email_messages as e')
    .innerJoin('segments as s', 's.id', 'e.segment_id')
    .select(['e.segment_id', 'e.from_address', 'e.sent_at', 's.started_at', 'e.subject', 'e.body_text'])
    .where('s.conversation_id', '=', conversationId)
    .orderBy('s.started_at')
    .execute();

export const participantsOf = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_participants').select(['party_key', 'role', 'email']).where('conversation_id', '=', conversationId).execute();

/** Each analysed audio stream's voice activity ([start, end] ms from the conversation start) and its party. */
export const voiceActivityOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('stream_renditions as r')
    .innerJoin('streams as s', 's.id', 'r.stream_id')
    .select(['s.party_key', 'r.speech'])
    .where('r.conversation_id', '=', conversationId)
    .where('r.status', '=', 'ok')
    .execute();

/** Holds and gaps between call legs (a transfer): no response time spans one. */
export const breaksOf = (db: Executor, conversationId: string) =>
  db.selectFrom('speech_events').select(['start_ms', 'end_ms']).where('conversation_id', '=', conversationId).where('type', 'in', ['hold', 'gap']).execute();

export async function replaceInsights(db: Executor, a: DialectAdapter, row: Omit<ConversationInsightsTable, 'details'> & { details: unknown }) {
  await db.deleteFrom('conversation_insights').where('conversation_id', '=', row.conversation_id).execute();
  await db
    .insertInto('conversation_insights')
    .values({ ...row, details: a.json(row.details) })
    .execute();
}

export const insightsOf = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_insights').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();

export const countConversations = async (db: Executor, tenantId: string) =>
  Number(
    (
      await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A page of a tenant's conversation ids in id order (keyset, so a bulk run streams without offsets). */
export const conversationsAfter = (db: Executor, tenantId: string, after: string | null, limit: number) =>
  db
    .selectFrom('conversations')
    .select(['id'])
    .where('tenant_id', '=', tenantId)
    .$if(after !== null, (q) => q.where('id', '>', after!))
    .orderBy('id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.id));
