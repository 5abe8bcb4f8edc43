import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Pre-aggregated daily counts for the dashboard and the call reports (issue 14, O1), so neither scans
 * `conversations` (a million rows at a large site).
 * - `conversation_daily`: per tenant, day (the conversation's local_date, on its agent's site calendar — the day the
 *   Conversations screen and the other reports use), channel, direction, group and agent: how many conversations, their
 *   total and longest duration, talk time, and the sum and count of sentiment scores. '' stands for "no group" / "no
 *   agent" so the key can be a primary key on both engines (NULLs are distinct in a unique index).
 * - `conversation_daily_tags`: per tenant, day, group and tag: how many conversations carry the tag.
 * - `conversation_daily_members`: the day and cell (channel, direction, group, agent) each conversation was last
 *   counted in, so a refresh by conversation id recomputes only the cells it leaves and joins — also when it was
 *   deleted, merged away or re-dated — instead of a whole day (a million conversations arrive one by one).
 * Cells are recomputed from `conversations`, never adjusted by deltas, so every refresh is idempotent.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const big = a.types.bigint;
  await db.schema
    .createTable('conversation_daily')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('agent_key', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', big, (c) => c.notNull())
    .addColumn('longest_ms', big, (c) => c.notNull())
    .addColumn('talk_ms', big, (c) => c.notNull())
    .addColumn('sentiment_sum', 'double precision', (c) => c.notNull())
    .addColumn('sentiment_n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_daily_pk', ['tenant_id', 'day', 'channel', 'direction', 'group_key', 'agent_key'])
    .execute();

  await db.schema
    .createTable('conversation_daily_tags')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('tag_id', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_daily_tags_pk', ['tenant_id', 'day', 'group_key', 'tag_id'])
    .execute();

  await db.schema
    .createTable('conversation_daily_members')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('agent_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_daily_members_day').on('conversation_daily_members').columns(['tenant_id', 'day']).execute();

  // Scheduled report e-mails: who gets which report, how often, and when it was last sent.
  await db.schema
    .createTable('report_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('last_period', 'text')
    .addColumn('created_at', a.types.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_schedules_user').on('report_schedules').columns(['tenant_id', 'user_id']).execute();
}
