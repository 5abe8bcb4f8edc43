// SQL of the Live screen beyond recorder_calls (calls/repository.ts): group and agent names, and chats still open.
import type { Executor } from '../../platform/db/index.ts';

export async function names(db: Executor, tenantId: string, groupIds: string[], userIds: string[]) {
  const [groups, users] = await Promise.all([
    groupIds.length ? db.selectFrom('groups').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', groupIds).execute() : [],
    userIds.length ? db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', userIds).execute() : [],
  ]);
  return { groups: new Map(groups.map((g) => [g.id, g.name])), users: new Map(users.map((u) => [u.id, u.name])) };
}

/**
 * Chat conversations whose last message is recent: the ingest API receives a chat again as it grows (same chatId), so
 * one with a message in the last minutes is a chat in progress. `groupIds` null = the whole tenant.
 */
export function recentChats(db: Executor, tenantId: string, since: string, groupIds: string[] | null, limit = 200) {
  if (groupIds && groupIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('conversations as c')
    .select(['c.id', 'c.title', 'c.started_at', 'c.ended_at', 'c.agent_user_id', 'c.group_id'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.has_chat', '=', 1)
    .where('c.ended_at', '>=', since);
  if (groupIds) q = q.where('c.group_id', 'in', groupIds);
  return q.orderBy('c.ended_at', 'desc').limit(limit).execute();
}
