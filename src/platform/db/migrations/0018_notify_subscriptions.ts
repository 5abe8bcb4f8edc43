import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Indicator subscriptions and outgoing e-mail (src/analytics/subscriptions, src/notify):
 * - `indicator_subscriptions`: a user follows one indicator (all its keywords, or the `keyword_ids` subset) and gets
 *   an e-mail per new interaction (`continuous`) or a digest per period (`daily`, `weekly`, `monthly`). A digest covers
 *   the period that ended at `period_end`; `next_due_at` is when the scheduler sends the next one (null when
 *   continuous), indexed so the digest job reads only what is due. One subscription per user and indicator.
 * - `subscription_deliveries`: the interactions a continuous subscription already e-mailed about, so re-analysing a
 *   conversation (an indicator change re-runs history) never sends the same alert twice.
 * - `notification_outbox`: every e-mail, written in the transaction that decided to send it and delivered by a job
 *   (`notify.send`) with retries; what was sent, when, and the last SMTP error stay visible.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('indicator_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('keyword_ids', a.types.json)
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('period_end', ts)
    .addColumn('next_due_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_subscriptions_user_uq').unique().on('indicator_subscriptions').columns(['user_id', 'indicator_id']).execute();
  await db.schema.createIndex('indicator_subscriptions_indicator_idx').on('indicator_subscriptions').columns(['indicator_id', 'frequency']).execute();
  await db.schema.createIndex('indicator_subscriptions_due_idx').on('indicator_subscriptions').column('next_due_at').execute();

  await db.schema
    .createTable('subscription_deliveries')
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('indicator_subscriptions.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('sent_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_deliveries_pk', ['subscription_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('subscription_deliveries_conv_idx').on('subscription_deliveries').column('conversation_id').execute();

  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('headers', a.types.json)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .execute();
  await db.schema.createIndex('notification_outbox_tenant_idx').on('notification_outbox').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('notification_outbox_status_idx').on('notification_outbox').columns(['status', 'created_at']).execute();
}
