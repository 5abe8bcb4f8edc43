import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * The conversation list's index carries what the list's filters read (issue 18): walking a period newest first, a
 * filter on the customer's number, channel, direction, duration, site, reviewability, agent or group is checked in the
 * index entry, without a lookup of the row for every conversation of the period (a phone prefix that one conversation
 * in ten matches read ten rows per match). Same leading columns as before (tenant, start, id), so every plan that used
 * the old index still can.
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  await db.schema.dropIndex('conv_tenant_started_idx').execute();
  await db.schema
    .createIndex('conv_tenant_started_idx')
    .on('conversations')
    .columns([
      'tenant_id',
      'started_at',
      'id',
      'site_id',
      'reviewable',
      'has_call',
      'has_chat',
      'has_email',
      'has_screen',
      'direction',
      'talk_time_ms',
      'customer_phone',
      'local_weekday',
      'local_minute',
      'agent_user_id',
      'group_id',
    ])
    .execute();
  // A database with planner statistics (ANALYZE was run) gets them for the new index too: beside the others' counts
  // the planner's defaults for it could flip a plan chosen on counts (driving a filter from its few matching values).
  if (a.name === 'sqlite' && (await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db)).rows.length) {
    await sql`ANALYZE conv_tenant_started_idx`.execute(db);
  }
}
