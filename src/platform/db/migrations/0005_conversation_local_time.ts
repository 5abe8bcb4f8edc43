import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Where a conversation started on the calendar and clock of its agent's site, stored so that "Days of week" and
 * "Time of day" filters are indexed comparisons instead of time-zone arithmetic per row. Existing rows are filled by
 * `refreshAggregates` the next time they change; rows without a site use UTC.
 */
export async function up(db: Kysely<any>, _a: DialectAdapter): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('local_date', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('local_weekday', 'integer').execute();
  await db.schema.alterTable('conversations').addColumn('local_minute', 'integer').execute();
  await db.schema.createIndex('conv_tenant_local_date_idx').on('conversations').columns(['tenant_id', 'local_date']).execute();
}
