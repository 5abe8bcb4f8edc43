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
    .select(['m.id', 'm.segment_id', 'm.seq', 'm.sender_key', 'm.sender_role', 'm.sent_at', 'm.text'])
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
  db.selectFrom('conversation_participants').select(['party_key', 'role', 'email', 'user_id']).where('conversation_id', '=', conversationId).execute();

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

/**
 * A tenant's conversations for a re-run; `onlyMissing`: those without insights, except calls still waiting for their
 * transcript (their pipeline analyses them when it is stored).
 */
function runnable(db: Executor, tenantId: string, onlyMissing: boolean) {
  return db
    .selectFrom('conversations as c')
    .where('c.tenant_id', '=', tenantId)
    .$if(onlyMissing, (q) =>
      q
        .where((eb) => eb.not(eb.exists(eb.selectFrom('conversation_insights as i').select('i.conversation_id').whereRef('i.conversation_id', '=', 'c.id'))))
        .where((eb) => eb.or([eb('c.speech_status', 'is', null), eb('c.speech_status', '!=', 'pending')])),
    );
}

export const countConversations = async (db: Executor, tenantId: string, onlyMissing = false) =>
  Number(
    (
      await runnable(db, tenantId, onlyMissing)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A page of a tenant's conversation ids in id order (keyset, so a bulk run streams without offsets). */
export const conversationsAfter = (db: Executor, tenantId: string, after: string | null, limit: number, onlyMissing = false) =>
  runnable(db, tenantId, onlyMissing)
    .select(['c.id'])
    .$if(after !== null, (q) => q.where('c.id', '>', after!))
    .orderBy('c.id')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.id));

/**
 * A tenant with conversations but no insights at all: a database from before insights. Two index probes, so start-up
 * stays quick at any size (conversations missed later are re-run from the API).
 */
export async function predatesInsights(db: Executor, tenantId: string) {
  const anyInsight = await db.selectFrom('conversation_insights').select('conversation_id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  if (anyInsight) return false;
  return (await db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst()) !== undefined;
}

/** A tenant's re-runs waiting or running, oldest first. */
export const pendingReanalyses = (db: Executor, tenantId: string) =>
  db
    .selectFrom('jobs')
    .select(['id', 'payload'])
    .where('type', '=', 'analytics.reanalyze')
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', ['queued', 'running'])
    .orderBy('created_at')
    .execute();
