// Legal holds' SQL, and the lookups protectionOf runs (reviewed conversations, protection tags, list holds' members).
import type { Selectable } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { LegalHoldsTable } from '../../platform/db/schema.ts';

export type HoldRow = Selectable<LegalHoldsTable>;

export const insertHold = (ex: Executor, row: LegalHoldsTable) => ex.insertInto('legal_holds').values(row).execute();

export const getHold = (ex: Executor, tenantId: string, id: string) =>
  ex.selectFrom('legal_holds').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const updateHold = (ex: Executor, id: string, patch: Partial<LegalHoldsTable>) =>
  ex.updateTable('legal_holds').set(patch).where('id', '=', id).execute();

export const listHolds = (ex: Executor, tenantId: string) =>
  ex.selectFrom('legal_holds').selectAll().where('tenant_id', '=', tenantId).orderBy('status').orderBy('created_at', 'desc').execute();

export const activeRuleHolds = (ex: Executor, tenantId: string) =>
  ex.selectFrom('legal_holds').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'active').where('kind', '=', 'rule').orderBy('id').execute();

/** How many conversations each list hold names. */
export async function memberCounts(ex: Executor, tenantId: string): Promise<Map<string, number>> {
  const rows = await ex
    .selectFrom('legal_hold_conversations')
    .select(['hold_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('hold_id')
    .execute();
  return new Map(rows.map((r) => [r.hold_id, Number(r.n)]));
}

/** Adds members; the ones already in the hold are left as they are. Returns the ids actually added. */
export async function addMembers(ex: Executor, tenantId: string, holdId: string, conversationIds: string[], by: string | null, now: string): Promise<string[]> {
  if (!conversationIds.length) return [];
  const existing = new Set(
    (
      await ex
        .selectFrom('legal_hold_conversations')
        .select('conversation_id')
        .where('hold_id', '=', holdId)
        .where('conversation_id', 'in', conversationIds)
        .execute()
    ).map((r) => r.conversation_id),
  );
  const fresh = [...new Set(conversationIds)].filter((id) => !existing.has(id));
  for (let i = 0; i < fresh.length; i += 500) {
    await ex
      .insertInto('legal_hold_conversations')
      .values(fresh.slice(i, i + 500).map((conversation_id) => ({ hold_id: holdId, conversation_id, tenant_id: tenantId, added_at: now, added_by: by })))
      .execute();
  }
  return fresh;
}

export async function removeMembers(ex: Executor, holdId: string, conversationIds: string[]): Promise<number> {
  if (!conversationIds.length) return 0;
  const r = await ex.deleteFrom('legal_hold_conversations').where('hold_id', '=', holdId).where('conversation_id', 'in', conversationIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export const listMembers = (ex: Executor, holdId: string, afterId: string | null, limit: number) => {
  let q = ex.selectFrom('legal_hold_conversations').select(['conversation_id', 'added_at', 'added_by']).where('hold_id', '=', holdId);
  if (afterId) q = q.where('conversation_id', '>', afterId);
  return q.orderBy('conversation_id').limit(limit).execute();
};

/** Conversations of this tenant among `ids` (to refuse ids of another tenant or that do not exist). */
export async function existingConversations(ex: Executor, tenantId: string, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ex
      .selectFrom('conversations')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    rows.forEach((r) => out.add(r.id));
  }
  return out;
}

// ---- protection -----------------------------------------------------------------------------------------------------

export const reviewedAmong = (ex: Executor, tenantId: string, ids: string[]) =>
  ex.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).where('reviewed_at', 'is not', null).execute();

export const protectionTagsAmong = (ex: Executor, tenantId: string, ids: string[]) =>
  ex
    .selectFrom('conversation_tags as ct')
    .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
    .select(['ct.conversation_id', 't.id as tag_id', 't.name'])
    .where('t.tenant_id', '=', tenantId)
    .where('t.protects', '=', 1)
    .where('ct.conversation_id', 'in', ids)
    .orderBy('t.name')
    .execute();

export const activeListHoldsAmong = (ex: Executor, tenantId: string, ids: string[]) =>
  ex
    .selectFrom('legal_hold_conversations as m')
    .innerJoin('legal_holds as h', 'h.id', 'm.hold_id')
    .select(['m.conversation_id', 'h.id as hold_id', 'h.name'])
    .where('h.tenant_id', '=', tenantId)
    .where('h.status', '=', 'active')
    .where('m.conversation_id', 'in', ids)
    .orderBy('h.name')
    .execute();

// ---- lookups for the service ---------------------------------------------------------------------------------------

export async function userNames(ex: Executor, tenantId: string, ids: Array<string | null>): Promise<Map<string, string>> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (!want.length) return new Map();
  const rows = await ex.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', want).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export const userExists = (ex: Executor, tenantId: string, id: string) =>
  ex.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

/** A saved search the user may use: their own, or a protected one (shared by the organisation). */
export const usableSavedSearch = (ex: Executor, tenantId: string, id: string, userId: string) =>
  ex
    .selectFrom('saved_searches')
    .select(['id', 'name', 'filter'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('owner_id', '=', userId), eb('protected', '=', 1)]))
    .executeTakeFirst();

/** The ids among `ids` that the actor may see (group scope). */
export async function visibleAmong(ex: Executor, actor: Actor, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ex
      .selectFrom('conversations as c')
      .select('c.id')
      .where('c.id', 'in', ids.slice(i, i + 500))
      .where((eb) => visibleTo(actor)(eb))
      .execute();
    rows.forEach((r) => out.add(r.id));
  }
  return out;
}

export const conversationHeads = (ex: Executor, tenantId: string, ids: string[]) =>
  ids.length
    ? ex.selectFrom('conversations').select(['id', 'title', 'started_at']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()
    : Promise.resolve([]);

export const listMembersAmong = (ex: Executor, holdId: string, ids: string[]) =>
  ids.length
    ? ex.selectFrom('legal_hold_conversations').select('conversation_id').where('hold_id', '=', holdId).where('conversation_id', 'in', ids).execute()
    : Promise.resolve([]);
