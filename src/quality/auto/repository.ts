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
