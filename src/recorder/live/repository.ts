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

// ——— recorder nodes (cross-process listen-in, live/remote.ts) ———

/** A recorder that has not refreshed its row for this long is taken for gone (it refreshes every 30 s). */
export const NODE_STALE_MS = 2 * 60_000;

/** The recorder's row: where its listen-in endpoint is (null without EARSHOT_RECORDER_SECRET), refreshed every 30 s. */
export async function saveNode(db: Executor, row: { node: string; listen_url: string | null; pid: number; started_at: string; seen_at: string }) {
  await db
    .insertInto('recorder_nodes')
    .values(row)
    .onConflict((oc) => oc.column('node').doUpdateSet({ listen_url: row.listen_url, pid: row.pid, started_at: row.started_at, seen_at: row.seen_at }))
    .execute();
}

export async function touchNode(db: Executor, node: string, at: string) {
  await db.updateTable('recorder_nodes').set({ seen_at: at }).where('node', '=', node).execute();
}

/** Listen-in addresses of the recorders alive now, by node. */
export async function liveNodes(db: Executor, nodes: string[], now = Date.now()): Promise<Map<string, string>> {
  if (!nodes.length) return new Map();
  const rows = await db
    .selectFrom('recorder_nodes')
    .select(['node', 'listen_url'])
    .where('node', 'in', nodes)
    .where('seen_at', '>=', new Date(now - NODE_STALE_MS).toISOString())
    .execute();
  return new Map(rows.filter((r) => r.listen_url).map((r) => [r.node, r.listen_url!]));
}
