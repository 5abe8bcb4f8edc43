import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Conversation insights (src/analytics/insights): one row per conversation, replaced by every analytics.insights run.
 * The scalar scores are columns so reports and search filters can range over them; everything only the Analytics tab
 * reads (per-line sentiment, the sentiment-over-time points, places, next steps, questions, summary) is `details`.
 * `analyser_version` says which rules produced the row, so a bulk re-run after a rule change can be targeted.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const float = 'double precision' as const;
  await db.schema
    .createTable('conversation_insights')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('language', 'text')
    .addColumn('sentiment_score', float)
    .addColumn('sentiment_label', 'text')
    .addColumn('engagement_score', float)
    .addColumn('talk_listen_ratio', float)
    .addColumn('words_per_minute', float)
    .addColumn('fillers_per_minute', float)
    .addColumn('longest_monologue_ms', a.types.bigint)
    .addColumn('avg_response_ms', a.types.bigint)
    .addColumn('details', a.types.json, (c) => c.notNull())
    .addColumn('computed_at', a.types.timestamp, (c) => c.notNull())
    .addColumn('analyser_version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_insights_tenant_idx').on('conversation_insights').columns(['tenant_id', 'computed_at']).execute();
}
