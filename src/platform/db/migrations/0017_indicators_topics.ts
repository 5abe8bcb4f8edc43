import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Indicators and topics (src/analytics/indicators, src/analytics/topics), issue 10:
 * - `indicator_categories` → `indicators` → `indicator_keywords`: a tenant's definitions. `builtin_key` marks the
 *   defaults a new tenant gets (editable; the key only says where a row came from). `analysis_job_id` is the job that
 *   re-analyses history after the indicator (or topic) changed, so the administration screen shows its progress.
 * - `indicator_mentions`: where a keyword was said or written, by line (utterance or message id) and character range.
 *   `started_at` is the conversation's start, copied so the reports count mentions per period from this table and its
 *   (tenant, indicator, started_at) index alone. Mentions go with their conversation, indicator or keyword (cascade),
 *   so a removed keyword stops counting at once.
 * - `topics` (guiding sentences as a JSON array of strings) and `topic_hits` (a line that matched a topic, with its
 *   similarity score).
 * - `insight_defaults`: when a tenant got the default indicators and topics, so a tenant that deleted them does not
 *   get them back when the start-up hook runs again.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  const float = 'double precision' as const;
  await db.schema
    .createTable('indicator_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('builtin_key', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_categories_tenant_idx').on('indicator_categories').columns(['tenant_id', 'position']).execute();

  await db.schema
    .createTable('indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('category_id', 'text', (c) => c.notNull().references('indicator_categories.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('speaker', 'text', (c) => c.notNull().defaultTo('both'))
    .addColumn('builtin_key', 'text')
    .addColumn('analysis_job_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicators_tenant_idx').on('indicators').columns(['tenant_id', 'category_id']).execute();

  await db.schema
    .createTable('indicator_keywords')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_keywords_indicator_idx').on('indicator_keywords').columns(['indicator_id']).execute();
  await db.schema.createIndex('indicator_keywords_tenant_idx').on('indicator_keywords').columns(['tenant_id']).execute();

  await db.schema
    .createTable('indicator_mentions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('keyword_id', 'text', (c) => c.notNull().references('indicator_keywords.id').onDelete('cascade'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('start_ms', a.types.bigint)
    .addColumn('range_start', 'integer', (c) => c.notNull())
    .addColumn('range_end', 'integer', (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  // conversation_id last: "interactions with a mention" per indicator and period (reports, the administration list)
  // is then counted from the index alone.
  await db.schema
    .createIndex('indicator_mentions_report_idx')
    .on('indicator_mentions')
    .columns(['tenant_id', 'indicator_id', 'started_at', 'conversation_id'])
    .execute();
  await db.schema.createIndex('indicator_mentions_conv_idx').on('indicator_mentions').columns(['conversation_id']).execute();
  // The keyword cascade (a keyword removed from an indicator) finds its mentions by this index, not by a table scan.
  await db.schema.createIndex('indicator_mentions_keyword_idx').on('indicator_mentions').columns(['keyword_id']).execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('builtin_key', 'text')
    .addColumn('sentences', a.types.json, (c) => c.notNull())
    .addColumn('analysis_job_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('topics_tenant_idx').on('topics').columns(['tenant_id']).execute();

  await db.schema
    .createTable('topic_hits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('line_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('start_ms', a.types.bigint)
    .addColumn('score', float, (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('topic_hits_conv_idx').on('topic_hits').columns(['conversation_id']).execute();
  await db.schema.createIndex('topic_hits_report_idx').on('topic_hits').columns(['tenant_id', 'topic_id', 'started_at', 'conversation_id']).execute();

  await db.schema
    .createTable('insight_defaults')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('seeded_at', ts, (c) => c.notNull())
    .execute();
}
