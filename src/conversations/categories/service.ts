// Categories: what a conversation is filed under ("By category" view, seed 002). A category is a tag definition of kind
// `category` — so the search filter, the { tagId } view, their chips and the audit trail already know it — that carries
// no comment and no data; a conversation has any number of them. Definitions are managed like tags (../tags/service.ts);
// assigning goes through here, one conversation or the list's selection at once.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import type { ConversationsTable, TagDefinitionsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as tagsRepo from '../tags/repository.ts';
import { conversationTags, createTag, eventFamily, listTags, updateTag } from '../tags/service.ts';
import * as repo from './repository.ts';
import type { BulkCategories, CategoryCreate, CategoryPatch } from './schemas.ts';

export const listCategories = (ctx: AppContext, actor: Actor) => listTags(ctx, actor, 'category');

export async function createCategory(ctx: AppContext, actor: Actor, input: CategoryCreate) {
  return { ...(await createTag(ctx, actor, input, 'category')), conversations: 0 };
}

export async function updateCategory(ctx: AppContext, actor: Actor, id: string, patch: CategoryPatch) {
  const view = await updateTag(ctx, actor, id, patch, 'category');
  return { ...view, conversations: await tagsRepo.usageCount(ctx.db, id) };
}

/** The categories of one conversation, as its tag list shows them. */
async function categoriesView(ctx: AppContext, conversationId: string) {
  return { items: (await conversationTags(ctx, conversationId)).items.filter((t) => t.kind === 'category') };
}

/** Files one conversation under exactly these categories; audited. */
export async function setCategories(ctx: AppContext, actor: Actor, conversationId: string, categoryIds: string[]) {
  requirePermission(actor, 'tags.apply');
  const [conv] = await repo.visibleConversations(ctx.db, actor, [conversationId]);
  if (!conv) throw notFound('Conversation', conversationId);
  const wanted = [...new Set(categoryIds)];
  await inTransaction(ctx.db, async ({ tx }) => {
    // Read under the lock: two people saving at once each get exactly what they chose, one after the other.
    await repo.lockConversations(tx, ctx.adapter, [conversationId]);
    const current = await repo.categoriesOf(tx, [conversationId]);
    const defs = await loadCategories(ctx, tx, actor, [...wanted, ...current.map((c) => c.tag_id)], new Set(current.map((c) => c.tag_id)));
    await change(ctx, tx, actor, conv, current, defs, new Set(wanted));
  }).catch(raced(ctx));
  return categoriesView(ctx, conversationId);
}

/** Adds and removes categories on every selected conversation at once (the list's multi-select); all or nothing. */
export async function bulkCategories(ctx: AppContext, actor: Actor, input: BulkCategories) {
  requirePermission(actor, 'tags.apply');
  const add = [...new Set(input.add ?? [])];
  const remove = [...new Set(input.remove ?? [])];
  const both = add.filter((id) => remove.includes(id));
  if (both.length) throw invalid('A category cannot be both added and removed', { reason: 'CONFLICTING_CATEGORIES', categoryIds: both });
  if (add.length + remove.length === 0) throw invalid('Say which categories to add or remove', { reason: 'NOTHING_TO_CHANGE', field: 'add' });
  const ids = [...new Set(input.conversationIds)];
  const convs = await repo.visibleConversations(ctx.db, actor, ids);
  if (convs.length !== ids.length) {
    // Nothing is written when one of them is out of sight: the selection is acted on whole or not at all.
    const seen = new Set(convs.map((c) => c.id));
    const missing = ids.filter((id) => !seen.has(id));
    throw new DomainError('NOT_FOUND', `${missing.length} of the selected conversations were not found`, { conversationIds: missing });
  }
  // Only categories being added must be open for assignment; removing an archived one is fine.
  const defs = await loadCategories(ctx, ctx.db, actor, [...add, ...remove], new Set(remove));
  let changed = 0;
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.lockConversations(tx, ctx.adapter, ids);
    const current = await repo.categoriesOf(tx, ids);
    for (const conv of convs) {
      const mine = current.filter((c) => c.conversation_id === conv.id);
      const next = new Set(mine.map((c) => c.tag_id));
      for (const id of add) next.add(id);
      for (const id of remove) next.delete(id);
      if (await change(ctx, tx, actor, conv, mine, defs, next)) changed++;
    }
  }).catch(raced(ctx));
  return { changed, unchanged: convs.length - changed };
}

/** Someone filed one of these conversations at the same moment: nothing was written; asking again sees their change. */
const raced = (ctx: AppContext) => (e: unknown) => {
  if (ctx.adapter.isUniqueViolation(e))
    throw new DomainError('CONFLICT', 'The categories of a conversation changed meanwhile; nothing was changed, try again', { reason: 'CHANGED_MEANWHILE' });
  throw e;
};

/**
 * The category definitions by id; unknown ids (or tags that are not categories) are refused, and so is an archived
 * category unless it is among `mayBeArchived` (already on the conversation, or being removed).
 */
async function loadCategories(ctx: AppContext, db: Executor, actor: Actor, ids: string[], mayBeArchived: ReadonlySet<string>) {
  const unique = [...new Set(ids)];
  const defs = (await tagsRepo.getDefinitions(db, actor.tenantId, unique)).filter((d) => d.kind === 'category');
  const byId = new Map(defs.map((d) => [d.id, d]));
  const unknown = unique.filter((id) => !byId.has(id));
  if (unknown.length)
    throw invalid(`Unknown categor${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')}`, { reason: 'UNKNOWN_CATEGORY', categoryIds: unknown });
  const archived = defs.filter((d) => d.archived_at && !mayBeArchived.has(d.id));
  if (archived.length)
    throw new DomainError('CONFLICT', `Archived categories can no longer be assigned: ${archived.map((d) => d.name).join(', ')}`, {
      reason: 'CATEGORY_ARCHIVED',
      categoryIds: archived.map((d) => d.id),
    });
  return byId;
}

/** Moves one conversation from its current categories to `next`; writes and audits only a real change. */
async function change(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  conv: ConversationsTable,
  current: Array<{ id: string; tag_id: string; name: string }>,
  defs: ReadonlyMap<string, TagDefinitionsTable>,
  next: ReadonlySet<string>,
) {
  const had = new Set(current.map((c) => c.tag_id));
  const added = [...next].filter((id) => !had.has(id));
  const removed = current.filter((c) => !next.has(c.tag_id));
  if (added.length === 0 && removed.length === 0) return false;
  const now = nowIso();
  for (const c of removed) await tagsRepo.deleteConversationTag(tx, c.id);
  for (const id of added) {
    await tagsRepo.insertConversationTag(tx, {
      id: newId(),
      conversation_id: conv.id,
      tag_id: id,
      comment: null,
      created_by: actor.userId || null,
      created_at: now,
      updated_at: now,
    });
  }
  await tagsRepo.touchConversation(tx, conv.id, now);
  // By name: rows written in one transaction share their time, so their order would be the ids'.
  const byName = (names: string[]) => [...names].sort((x, y) => x.localeCompare(y));
  const before = byName(current.map((c) => c.name));
  const after = byName([...current.filter((c) => next.has(c.tag_id)).map((c) => c.name), ...added.map((id) => defs.get(id)!.name)]);
  const said = [
    added.length ? `Filed under ${added.map((id) => defs.get(id)!.name).join(', ')}` : null,
    removed.length ? `${added.length ? 'removed from' : 'Removed from'} ${removed.map((c) => c.name).join(', ')}` : null,
  ].filter(Boolean);
  await ctx.audit.append(
    {
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: conv.id,
      action: `${eventFamily(conv)}_EVENT_CATEGORY_UPDATE`,
      details: `${said.join('; ')}`,
      changes: [{ field: 'categories', old: before, new: after }],
    },
    tx,
  );
  return true;
}
