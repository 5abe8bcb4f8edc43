// SQL of offline interactions: the row that keeps what only an offline interaction has (channel, notes, the file).
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { OfflineInteractionsTable } from '../../platform/db/schema.ts';

export const insertOffline = (db: Executor, row: OfflineInteractionsTable) => db.insertInto('offline_interactions').values(row).execute();

export const updateNotes = (db: Executor, conversationId: string, notes: string) =>
  db.updateTable('offline_interactions').set({ notes }).where('conversation_id', '=', conversationId).execute();

function visible(db: Executor, actor: Actor) {
  return db
    .selectFrom('offline_interactions as o')
    .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
    .leftJoin('users as a', 'a.id', 'c.agent_user_id')
    .leftJoin('users as cr', 'cr.id', 'o.created_by')
    .selectAll('o')
    .select(['c.title', 'c.started_at', 'c.ended_at', 'c.agent_user_id', 'a.name as agent_name', 'cr.name as created_by_name'])
    .where('o.tenant_id', '=', actor.tenantId)
    .where(visibleTo(actor) as never);
}

export const visibleOffline = (db: Executor, actor: Actor, conversationId: string) =>
  visible(db, actor).where('o.conversation_id', '=', conversationId).executeTakeFirst();

export function listOffline(db: Executor, actor: Actor, limit: number, before: string | null) {
  let q = visible(db, actor);
  if (before) {
    const [at, id] = before.split('|');
    q = q.where((eb) => eb.or([eb('o.created_at', '<', at!), eb.and([eb('o.created_at', '=', at!), eb('o.conversation_id', '<', id!)])]));
  }
  return q
    .orderBy('o.created_at', 'desc')
    .orderBy('o.conversation_id', 'desc')
    .limit(limit + 1)
    .execute();
}

export const userById = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('users').select(['id', 'name', 'group_id', 'site_id', 'disabled']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

/** An offline interaction is reviewable whatever its segment: it exists to be evaluated. */
export const markReviewable = (db: Executor, conversationId: string) =>
  db.updateTable('conversations').set({ reviewable: 1 }).where('id', '=', conversationId).execute();
