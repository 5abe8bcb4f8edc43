// Legal holds: a case (name, reason, owner) that keeps conversations from anonymization, deletion and retention while
// it is active — by rule (a search filter: what matches now and what arrives later) or by an explicit list, with no cap
// on how many. Releasing a hold makes its conversations subject to retention again. Every change is audited.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { LegalHoldsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { countCapped } from '../../search/repository.ts';
import { planSearch } from '../../search/service.ts';
import * as repo from './repository.ts';
import { canonicalHoldFilter, holdActor, ruleMatches } from './rule.ts';
import type { Hold, HoldCreate, HoldMembers, HoldPatch, HoldRelease, MembersQuery } from './schemas.ts';

const requireManager = (actor: Actor) => requirePermission(actor, 'legal_holds.manage');

/** A rule reaches every conversation of the tenant, so only someone who sees them all may set or change one. */
const assertTenantWide = (actor: Actor, what: string) => assertWithinScope(actor, [null], what);

async function view(ctx: AppContext, actor: Actor, h: repo.HoldRow, counts?: Map<string, number>): Promise<Hold> {
  const names = await repo.userNames(ctx.db, h.tenant_id, [h.owner_id, h.created_by, h.released_by]);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? 'Deleted user' } : null);
  let filter = null;
  let chips: Hold['chips'] = [];
  let conversations: number;
  if (h.kind === 'rule' && h.filter != null) {
    const planned = await planSearch(ctx, holdActor(h.tenant_id), ctx.adapter.fromJson(h.filter), new Date());
    filter = planned.filter;
    chips = planned.chips;
    conversations = planned.plan ? (await countCapped(ctx.db, ctx.adapter, planned.plan, Infinity)).n : 0;
  } else {
    conversations = counts ? (counts.get(h.id) ?? 0) : ((await repo.memberCounts(ctx.db, h.tenant_id)).get(h.id) ?? 0);
  }
  void actor;
  return {
    id: h.id,
    name: h.name,
    reason: h.reason,
    owner: person(h.owner_id),
    kind: h.kind,
    filter,
    chips,
    status: h.status,
    conversations,
    createdAt: h.created_at,
    createdBy: person(h.created_by),
    releasedAt: h.released_at,
    releasedBy: person(h.released_by),
    releaseReason: h.release_reason,
  };
}

export async function listHolds(ctx: AppContext, actor: Actor) {
  requireManager(actor);
  const [rows, counts] = await Promise.all([repo.listHolds(ctx.db, actor.tenantId), repo.memberCounts(ctx.db, actor.tenantId)]);
  const items: Hold[] = [];
  for (const h of rows) items.push(await view(ctx, actor, h, counts));
  return { items };
}

export async function getHold(ctx: AppContext, actor: Actor, id: string) {
  requireManager(actor);
  return view(ctx, actor, await load(ctx, actor, id));
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const h = await repo.getHold(ctx.db, actor.tenantId, id);
  if (!h) throw notFound('Legal hold', id);
  return h;
}

async function checkOwner(ctx: AppContext, actor: Actor, ownerId: string | null | undefined) {
  if (ownerId && !(await repo.userExists(ctx.db, actor.tenantId, ownerId))) throw invalid('The owner is not a user of this organisation', { field: 'ownerId' });
}

/** The conversations a list may name: existing ones of the tenant, inside the actor's scope (others look absent). */
async function checkedIds(ctx: AppContext, actor: Actor, ids: string[]) {
  const unique = [...new Set(ids)];
  const visible = await repo.visibleAmong(ctx.db, actor, unique);
  const missing = unique.find((id) => !visible.has(id));
  if (missing) throw notFound('Conversation', missing);
  return unique;
}

const AUDITED = ['name', 'reason', 'ownerId', 'kind', 'filter', 'status'] as const;
const auditView = (h: Pick<repo.HoldRow, 'name' | 'reason' | 'owner_id' | 'kind' | 'status'>, filter: unknown) => ({
  name: h.name,
  reason: h.reason,
  ownerId: h.owner_id,
  kind: h.kind,
  filter: filter ?? null,
  status: h.status,
});

export async function createHold(ctx: AppContext, actor: Actor, input: HoldCreate) {
  requireManager(actor);
  const name = input.name.trim();
  if (!name) throw invalid('The case name is required', { field: 'name' });
  await checkOwner(ctx, actor, input.ownerId);
  let filter: unknown = null;
  let ids: string[] = [];
  if (input.kind === 'rule') {
    assertTenantWide(actor, 'A legal hold by rule');
    if (input.conversationIds?.length) throw invalid('A hold by rule takes a filter, not a list of conversations', { field: 'conversationIds' });
    let raw: unknown = input.filter;
    if (input.savedSearchId) {
      const saved = await repo.usableSavedSearch(ctx.db, actor.tenantId, input.savedSearchId, actor.userId);
      if (!saved) throw notFound('Saved search', input.savedSearchId);
      raw = ctx.adapter.fromJson(saved.filter);
    }
    if (raw == null) throw invalid('A hold by rule needs a filter or a saved search', { field: 'filter' });
    filter = await canonicalHoldFilter(ctx.db, ctx.adapter, actor.tenantId, raw);
  } else {
    if (input.filter != null || input.savedSearchId) throw invalid('A hold by list takes conversations, not a filter', { field: 'filter' });
    ids = await checkedIds(ctx, actor, input.conversationIds ?? []);
  }
  const now = nowIso();
  const row: LegalHoldsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    reason: input.reason?.trim() ?? '',
    owner_id: input.ownerId ?? (actor.userId || null),
    kind: input.kind,
    filter: filter === null ? null : ctx.adapter.json(filter),
    status: 'active',
    created_by: actor.userId || null,
    created_at: now,
    updated_at: now,
    released_at: null,
    released_by: null,
    release_reason: null,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertHold(tx, row);
    await repo.addMembers(tx, actor.tenantId, row.id, ids, actor.userId || null, now);
    const v = auditView(row, filter);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'legal_hold',
        resourceId: row.id,
        action: 'LEGAL_HOLD_CREATE',
        details: `Placed legal hold ${name} (${input.kind === 'rule' ? 'by rule' : `${ids.length} conversation(s)`})${row.reason ? `: ${row.reason}` : ''}`,
        changes: [...AUDITED.map((f) => ({ field: f, old: null, new: v[f] })), ...(ids.length ? [{ field: 'conversations', old: null, new: ids }] : [])],
      },
      tx,
    );
  });
  return getHold(ctx, actor, row.id);
}

export async function updateHold(ctx: AppContext, actor: Actor, id: string, patch: HoldPatch) {
  requireManager(actor);
  const h = await load(ctx, actor, id);
  if (h.status !== 'active') throw new DomainError('CONFLICT', `Legal hold ${h.name} is released and cannot change`, { reason: 'HOLD_RELEASED' });
  const next: Partial<repo.HoldRow> = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name) throw invalid('The case name is required', { field: 'name' });
    next.name = name;
  }
  if (patch.reason !== undefined) next.reason = patch.reason.trim();
  if (patch.ownerId !== undefined) {
    await checkOwner(ctx, actor, patch.ownerId);
    next.owner_id = patch.ownerId;
  }
  const oldFilter = h.filter == null ? null : ctx.adapter.fromJson(h.filter);
  let newFilter: unknown = oldFilter;
  if (patch.filter !== undefined) {
    if (h.kind !== 'rule') throw invalid('Only a hold by rule has a filter', { field: 'filter' });
    assertTenantWide(actor, 'Changing the rule of a legal hold');
    newFilter = await canonicalHoldFilter(ctx.db, ctx.adapter, actor.tenantId, patch.filter);
    next.filter = ctx.adapter.json(newFilter);
  }
  const before = auditView(h, oldFilter);
  const after = auditView({ ...h, ...next }, newFilter);
  const changes: FieldChange[] = AUDITED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => ({
    field: f,
    old: before[f],
    new: after[f],
  }));
  if (!changes.length) return view(ctx, actor, h);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateHold(tx, id, { ...next, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'legal_hold',
        resourceId: id,
        action: 'LEGAL_HOLD_UPDATE',
        details: `Updated legal hold ${h.name}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  });
  return getHold(ctx, actor, id);
}

export async function releaseHold(ctx: AppContext, actor: Actor, id: string, input: HoldRelease) {
  requireManager(actor);
  const h = await load(ctx, actor, id);
  if (h.kind === 'rule') assertTenantWide(actor, 'Releasing a legal hold by rule');
  if (h.status !== 'active') throw new DomainError('CONFLICT', `Legal hold ${h.name} is already released`, { reason: 'HOLD_RELEASED' });
  const reason = input.reason.trim();
  if (!reason) throw invalid('Say why the hold is released', { field: 'reason' });
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateHold(tx, id, { status: 'released', released_at: now, released_by: actor.userId || null, release_reason: reason, updated_at: now });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'legal_hold',
        resourceId: id,
        action: 'LEGAL_HOLD_RELEASE',
        details: `Released legal hold ${h.name}: ${reason}; its conversations are subject to retention again`,
        changes: [
          { field: 'status', old: 'active', new: 'released' },
          { field: 'releaseReason', old: null, new: reason },
        ],
      },
      tx,
    );
  });
  return getHold(ctx, actor, id);
}

async function changeMembers(ctx: AppContext, actor: Actor, id: string, input: HoldMembers, add: boolean) {
  requireManager(actor);
  const h = await load(ctx, actor, id);
  if (h.kind !== 'list') throw new DomainError('CONFLICT', `Legal hold ${h.name} is by rule: change its filter instead`, { reason: 'HOLD_BY_RULE' });
  if (h.status !== 'active') throw new DomainError('CONFLICT', `Legal hold ${h.name} is released and cannot change`, { reason: 'HOLD_RELEASED' });
  const ids = await checkedIds(ctx, actor, input.conversationIds);
  const now = nowIso();
  const changed = await inTransaction(ctx.db, async ({ tx }) => {
    const done = add ? await repo.addMembers(tx, actor.tenantId, id, ids, actor.userId || null, now) : await removed(tx, id, ids);
    if (done.length)
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'legal_hold',
          resourceId: id,
          action: add ? 'LEGAL_HOLD_ADD' : 'LEGAL_HOLD_REMOVE',
          details: `${add ? 'Added' : 'Removed'} ${done.length} conversation(s) ${add ? 'to' : 'from'} legal hold ${h.name}`,
          changes: [{ field: 'conversations', old: add ? null : done, new: add ? done : null }],
        },
        tx,
      );
    return done.length;
  });
  const conversations = (await repo.memberCounts(ctx.db, actor.tenantId)).get(id) ?? 0;
  return { changed, conversations };
}

async function removed(tx: Parameters<typeof repo.removeMembers>[0], holdId: string, ids: string[]) {
  const present = (await repo.listMembersAmong(tx, holdId, ids)).map((r) => r.conversation_id);
  await repo.removeMembers(tx, holdId, present);
  return present;
}

export const addToHold = (ctx: AppContext, actor: Actor, id: string, input: HoldMembers) => changeMembers(ctx, actor, id, input, true);
export const removeFromHold = (ctx: AppContext, actor: Actor, id: string, input: HoldMembers) => changeMembers(ctx, actor, id, input, false);

/** The conversations a hold keeps, a page at a time in id order: the list's members, or the rule's matches now. */
export async function holdConversations(ctx: AppContext, actor: Actor, id: string, q: MembersQuery) {
  requireManager(actor);
  const h = await load(ctx, actor, id);
  const limit = q.limit ?? 50;
  let page: Array<{ id: string; addedAt: string | null }>;
  if (h.kind === 'rule') {
    const ids = await ruleMatches(ctx.db, ctx.adapter, actor.tenantId, h.filter, { afterId: q.after ?? null, limit: limit + 1 });
    page = ids.map((x) => ({ id: x, addedAt: null }));
  } else {
    page = (await repo.listMembers(ctx.db, id, q.after ?? null, limit + 1)).map((m) => ({ id: m.conversation_id, addedAt: m.added_at }));
  }
  const more = page.length > limit;
  page = page.slice(0, limit);
  const heads = new Map(
    (
      await repo.conversationHeads(
        ctx.db,
        actor.tenantId,
        page.map((p) => p.id),
      )
    ).map((c) => [c.id, c]),
  );
  return {
    items: page.map((p) => ({ id: p.id, title: heads.get(p.id)?.title ?? null, startedAt: heads.get(p.id)?.started_at ?? null, addedAt: p.addedAt })),
    next: more ? page[page.length - 1]!.id : null,
  };
}
