// SQL of automated scoring: what the rules read of a conversation besides its lines (those come from the insights'
// loadLines): its state, speech events from the media analysis, and its stored insights.
import type { Executor } from '../../platform/db/index.ts';

export const conversationState = (db: Executor, tenantId: string, conversationId: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'started_at', 'ended_at', 'has_call', 'speech_status', 'speech_reason', 'media_status'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .executeTakeFirst();

export const speechEventsOf = (db: Executor, conversationId: string, types: string[]) =>
  db
    .selectFrom('speech_events')
    .select(['type', 'start_ms', 'end_ms'])
    .where('conversation_id', '=', conversationId)
    .where('type', 'in', types)
    .orderBy('start_ms')
    .execute();

export const insightsOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversation_insights')
    .select(['status', 'error', 'talk_listen_ratio', 'details'])
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();

/** A saved search the requester may run: their own, or a protected (shared) one; not deleted. */
export const savedSearchOf = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('saved_searches')
    .select(['id', 'name', 'owner_id', 'protected', 'filter', 'deleted_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();

/** Reviews not submitted yet (planned or draft) of these conversations, optionally of one scorecard. */
export const openReviewsOn = (db: Executor, tenantId: string, conversationIds: readonly string[], scorecardId: string | null) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('evaluations')
        .select(['id', 'conversation_id', 'agent_user_id', 'scorecard_version_id'])
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', 'review')
        .where('status', 'in', ['planned', 'draft'])
        .where('conversation_id', 'in', [...conversationIds])
        .$if(scorecardId !== null, (q) => q.where('scorecard_id', '=', scorecardId!))
        .execute();

/** Stores a pre-fill on an evaluation still open (a submission meanwhile keeps what it was submitted with). */
export const setPrefill = (db: Executor, evaluationId: string, prefillJson: unknown, at: string) =>
  db
    .updateTable('evaluations')
    .set({ prefill: prefillJson, updated_at: at })
    .where('id', '=', evaluationId)
    .where('status', 'in', ['planned', 'draft'])
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) > 0);
