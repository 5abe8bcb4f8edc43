import type { Kysely } from 'kysely';

/**
 * A user's own display preference (issue 16): conversation times in the site's zone (the default, as the time-of-day
 * and day-of-week filters read them) or in the zone of the user's browser ('mine').
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('time_display', 'text', (c) => c.notNull().defaultTo('site'))
    .execute();
}
