// All SQL of notification preferences: one row per user and event that differs from the default (on).
import type { Executor } from '../../platform/db/index.ts';

export function listFor(db: Executor, tenantId: string, userId: string) {
  return db.selectFrom('notification_preferences').select(['event', 'email']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
}

/** Replaces the user's row for each event (delete + insert: portable, and the rows are few). */
export async function setMany(db: Executor, tenantId: string, userId: string, items: Array<{ event: string; email: boolean }>) {
  if (!items.length) return;
  await db
    .deleteFrom('notification_preferences')
    .where('user_id', '=', userId)
    .where(
      'event',
      'in',
      items.map((i) => i.event),
    )
    .execute();
  await db
    .insertInto('notification_preferences')
    .values(items.map((i) => ({ user_id: userId, tenant_id: tenantId, event: i.event, email: i.email ? 1 : 0 })))
    .execute();
}
