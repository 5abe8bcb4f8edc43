// Keeps the daily counts (conversation_daily*, migration 0042) true. A day is always recomputed whole from
// `conversations`, so the job is idempotent and any number of refreshes of a day converge. Features that change
// conversations queue reports.refresh_days by name with the conversations they changed (ingest, deletion, merge; the
// pipeline after insights, for sentiment); the refresh also recomputes the day each of them was last counted on, so a
// deleted, merged or re-dated conversation leaves its old day too.
import type { AppContext } from '../context.ts';
import type { Tx } from '../platform/db/index.ts';
import { inTransaction } from '../platform/db/uow.ts';
import type { ConversationDailyTable, ConversationDailyTagsTable } from '../platform/db/schema.ts';
import * as repo from './repository.ts';

export type Channel = 'call' | 'chat' | 'email' | 'other';

export const channelOf = (c: { has_call: number; has_chat: number; has_email: number }): Channel =>
  Number(c.has_call) ? 'call' : Number(c.has_chat) ? 'chat' : Number(c.has_email) ? 'email' : 'other';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type ConvRow = Awaited<ReturnType<typeof repo.conversationsOfDays>>[number];

const cellKey = (c: { local_date?: string | null; direction: string; group_id: string | null; agent_user_id: string | null } & Flags): repo.CellKey => ({
  day: c.local_date ?? '',
  channel: channelOf(c),
  direction: c.direction,
  group_key: c.group_id ?? repo.NONE,
  agent_key: c.agent_user_id ?? repo.NONE,
});
type Flags = { has_call: number; has_chat: number; has_email: number };
const keyString = (k: repo.CellKey) => `${k.day}|${k.channel}|${k.direction}|${k.group_key}|${k.agent_key}`;

/** Folds conversations into their cells' rows: each agent's, and its group's roll-up (agent key ALL_AGENTS). */
function fold(tenantId: string, convs: ConvRow[]): Map<string, ConversationDailyTable> {
  const cells = new Map<string, ConversationDailyTable>();
  for (const c of convs) for (const k of [cellKey(c), { ...cellKey(c), agent_key: repo.ALL_AGENTS }]) add(tenantId, cells, c, k);
  return cells;
}

function add(tenantId: string, cells: Map<string, ConversationDailyTable>, c: ConvRow, k: repo.CellKey) {
  const key = keyString(k);
  let cell = cells.get(key);
  if (!cell) {
    cell = { tenant_id: tenantId, ...k, conversations: 0, duration_ms: 0, longest_ms: 0, talk_ms: 0, sentiment_sum: 0, sentiment_n: 0 };
    cells.set(key, cell);
  }
  const duration = Math.max(0, Date.parse(c.ended_at) - Date.parse(c.started_at)) || 0;
  cell.conversations++;
  cell.duration_ms = Number(cell.duration_ms) + duration;
  cell.longest_ms = Math.max(Number(cell.longest_ms), duration);
  cell.talk_ms = Number(cell.talk_ms) + Number(c.talk_time_ms ?? 0);
  if (c.sentiment_score !== null && c.sentiment_score !== undefined) {
    cell.sentiment_sum += Number(c.sentiment_score);
    cell.sentiment_n++;
  }
}

const memberOf = (tenantId: string, c: ConvRow) => ({ conversation_id: c.id, tenant_id: tenantId, ...cellKey(c) });

/** Recomputes one whole day of a tenant: its counts, tag counts and members, in one transaction (backfill, `days`). */
export async function refreshDay(ctx: AppContext, tenantId: string, day: string) {
  if (!DAY.test(day)) return;
  await inTransaction(ctx.db, async ({ tx }) => {
    const convs = await repo.conversationsOfDays(tx, tenantId, [day]);
    const tags = new Map<string, ConversationDailyTagsTable>();
    const groupOf = new Map(convs.map((c) => [c.id, c.group_id ?? repo.NONE]));
    for (const t of await repo.tagsOfDays(tx, tenantId, [day])) {
      const group = groupOf.get(t.conversation_id);
      if (group === undefined) continue;
      const key = `${group}|${t.tag_id}`;
      const cell = tags.get(key);
      if (cell) cell.conversations++;
      else tags.set(key, { tenant_id: tenantId, day, group_key: group, tag_id: t.tag_id, conversations: 1 });
    }
    await repo.replaceDay(
      tx,
      tenantId,
      day,
      [...fold(tenantId, convs).values()],
      [...tags.values()],
      convs.map((c) => memberOf(tenantId, c)),
    );
  });
}

/**
 * Recomputes what some conversations change: the cells they were counted in (a deleted, merged-away, re-dated or
 * re-assigned conversation leaves its old cell) and the cells they belong to now, with the tag counts of those groups'
 * days. A cell is an agent's (or group's) day of one channel and direction, so a refresh per ingested conversation
 * reads a few dozen rows, not the tenant's day.
 */
export async function refreshConversations(ctx: AppContext, tenantId: string, ids: readonly string[]) {
  if (!ids.length) return 0;
  return inTransaction(ctx.db, async ({ tx }) => {
    const [before, now] = await Promise.all([repo.membersOf(tx, tenantId, ids), repo.conversationKeys(tx, tenantId, ids)]);
    const cells = new Map<string, repo.CellKey>();
    const groupDays = new Map<string, { day: string; group: string }>();
    const add = (k: repo.CellKey) => {
      if (!DAY.test(k.day)) return;
      cells.set(keyString(k), k);
      groupDays.set(`${k.day}|${k.group_key}`, { day: k.day, group: k.group_key });
    };
    for (const k of [...before, ...now.map(cellKey)]) {
      add(k);
      add({ ...k, agent_key: repo.ALL_AGENTS });
    }
    for (const k of cells.values()) {
      const row = fold(tenantId, await repo.conversationsOfCell(tx, tenantId, k)).get(keyString(k)) ?? null;
      await repo.replaceCell(tx, tenantId, k, row);
    }
    for (const g of groupDays.values()) {
      const tags = await repo.tagCountsOfGroupDay(tx, tenantId, g.day, g.group);
      await repo.replaceGroupDayTags(
        tx,
        tenantId,
        g.day,
        g.group,
        tags.map((t) => ({ tenant_id: tenantId, day: g.day, group_key: g.group, tag_id: t.tag_id, conversations: Number(t.n) })),
      );
    }
    await repo.setMembers(
      tx,
      ids,
      now.filter((c) => DAY.test(c.local_date ?? '')).map((c) => ({ conversation_id: c.id, tenant_id: tenantId, ...cellKey(c) })),
    );
    return cells.size;
  });
}

/** The job: whole days given (recounted) and conversations given (their old and new cells). */
export async function refreshDays(ctx: AppContext, tenantId: string, input: { days?: string[]; conversations?: string[] }) {
  const days = [...new Set(input.days ?? [])].sort();
  for (const day of days) await refreshDay(ctx, tenantId, day);
  const ids = [...new Set(input.conversations ?? [])];
  let cells = 0;
  for (let i = 0; i < ids.length; i += 200) cells += await refreshConversations(ctx, tenantId, ids.slice(i, i + 200));
  return { days: days.length, cells };
}

/** Every day of a tenant, oldest first, with progress (the Jobs page shows it); days left without conversations are emptied. */
export async function backfill(ctx: AppContext, tenantId: string, progress: (fraction: number, note?: string) => Promise<void>, signal?: AbortSignal) {
  const days = [...new Set([...(await repo.allDays(ctx.db, tenantId)), ...(await repo.countedDays(ctx.db, tenantId))])].sort();
  for (const [i, day] of days.entries()) {
    signal?.throwIfAborted();
    await refreshDay(ctx, tenantId, day);
    if (i % 5 === 4 || i === days.length - 1) await progress((i + 1) / days.length, `${i + 1} of ${days.length} days`);
  }
  return { days: days.length };
}

/** At start-up and for a new tenant: a tenant with conversations but no daily counts (an upgrade) gets a backfill. */
export async function ensureDailyCounts(ctx: AppContext, tx: Tx, tenantId: string) {
  if (!(await repo.needsBackfill(tx, tenantId)) || (await repo.backfillQueued(tx, tenantId))) return;
  await ctx.jobs.enqueue(tx, 'reports.backfill', {}, { tenantId });
}
