// Tags: definitions per tenant (with the Flag and Comment presets), tags on conversations, and data tags — a tag with a
// key/value pair that lives in every segment's metadata, so one segment can carry, change or drop it on its own.
import type { AppContext } from '../../context.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import type { ConversationsTable, TagDefinitionsTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as convRepo from '../repository.ts';
import * as repo from './repository.ts';
import type { TagKind } from './repository.ts';
import { COMMENT_MAX, type ApplyTag, type MetadataPatch, type TagCreate, type TagPatch } from './schemas.ts';
import { queueIndexing } from '../../search/index/indexer.ts';

// Presets and demo tags

interface TagSeed {
  name: string;
  color: string;
  dataKey?: string;
  dataValue?: string;
  commentRequired?: boolean;
}

/** Every tenant has these; the `preset` column identifies them, so renaming one keeps it a preset. */
export const TAG_PRESETS: ReadonlyArray<TagSeed & { preset: string }> = [
  { preset: 'flag', name: 'Flag', color: '#f59f00' },
  { preset: 'comment', name: 'Comment', color: '#1c7ed6', commentRequired: true },
];

/** Extra tags for the demo tenant only (see ensureDemoTags). */
export const DEMO_TAGS: readonly TagSeed[] = [
  { name: 'Angry customer', color: '#e03131' },
  { name: 'Bad audio', color: '#868e96' },
  { name: 'Calibration', color: '#7048e8' },
  { name: 'Excellent', color: '#2f9e44' },
  { name: 'Priority', color: '#d6336c', dataKey: 'priority', dataValue: 'high' },
];

/** Categories of the demo tenant (what its conversations can be filed under; the "By category" view). */
export const DEMO_CATEGORIES: readonly TagSeed[] = [
  { name: 'Billing question', color: '#1098ad' },
  { name: 'Cancellation', color: '#e8590c' },
  { name: 'Technical issue', color: '#7048e8' },
  { name: 'Sales opportunity', color: '#2f9e44' },
];

/**
 * Creates the Flag and Comment presets of a tenant; idempotent. A tag the tenant already made under a preset's name
 * becomes that preset (with the preset's rule) rather than a second tag of the same name.
 */
export async function ensureTagPresets(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string) {
  void ctx;
  const now = nowIso();
  for (const p of TAG_PRESETS) {
    if (await repo.findPreset(exec, tenantId, p.preset)) continue;
    const same = await repo.findDefinitionByName(exec, tenantId, p.name);
    if (same) await repo.updateDefinition(exec, same.id, { preset: p.preset, comment_required: p.commentRequired ? 1 : 0, updated_at: now });
    else await repo.insertDefinition(exec, seedRow(tenantId, p, p.preset, now));
  }
}

/** Adds the demo tags (by name, idempotent). For the demo seed only; real tenants define their own. */
export async function ensureDemoTags(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string) {
  await ensureTagPresets(ctx, exec, tenantId);
  const now = nowIso();
  for (const t of DEMO_TAGS) if (!(await repo.findDefinitionByName(exec, tenantId, t.name))) await repo.insertDefinition(exec, seedRow(tenantId, t, null, now));
  for (const c of DEMO_CATEGORIES)
    if (!(await repo.findDefinitionByName(exec, tenantId, c.name))) await repo.insertDefinition(exec, { ...seedRow(tenantId, c, null, now), kind: 'category' });
}

function seedRow(tenantId: string, t: TagSeed, preset: string | null, now: string): TagDefinitionsTable {
  return {
    id: newId(),
    tenant_id: tenantId,
    name: t.name,
    color: t.color,
    data_key: t.dataKey ?? null,
    data_value: t.dataValue ?? null,
    comment_required: t.commentRequired ? 1 : 0,
    preset,
    created_at: now,
    updated_at: now,
  };
}

// Definitions

export function definitionView(t: TagDefinitionsTable) {
  return {
    id: t.id,
    name: t.name,
    color: t.color,
    kind: (t.kind ?? 'tag') as TagKind,
    dataKey: t.data_key,
    dataValue: t.data_value,
    commentRequired: Boolean(t.comment_required),
    preset: t.preset,
    archived: Boolean(t.archived_at),
    archivedAt: t.archived_at ?? null,
    protects: Boolean(t.protects),
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}
type DefinitionView = ReturnType<typeof definitionView>;
const AUDITED: Array<keyof DefinitionView & string> = ['name', 'color', 'dataKey', 'dataValue', 'commentRequired', 'archived', 'protects'];

/** The words of messages and audit events for each kind of definition. */
const KIND = {
  tag: { noun: 'tag', Noun: 'Tag', resourceType: 'tag', action: 'TAG_DEFINITION' },
  category: { noun: 'category', Noun: 'Category', resourceType: 'category', action: 'CATEGORY' },
} as const;

/** With usage counts for the administration screen; archived ones included (they stay on conversations and in filters). */
export async function listTags(ctx: AppContext, actor: Actor, kind: TagKind = 'tag') {
  requirePermission(actor, 'conversations.view', 'conversations.view_own', 'tags.manage', 'tags.apply');
  const [defs, usage] = await Promise.all([repo.listDefinitions(ctx.db, actor.tenantId, kind), repo.usageCounts(ctx.db, actor.tenantId, kind)]);
  return { items: defs.map((d) => ({ ...definitionView(d), conversations: usage.get(d.id) ?? 0 })) };
}

/**
 * A definition is the tenant's: every user sees it in the tag list and every conversation can carry it, so creating,
 * editing or deleting one reaches the whole organisation (scope rule, src/auth/actor.ts). Tagging a conversation one
 * can see stays open to a group-scoped user.
 */
const assertTenantWide = (actor: Actor, change: string) => assertWithinScope(actor, [null], change);

export async function createTag(ctx: AppContext, actor: Actor, input: TagCreate, kind: TagKind = 'tag') {
  requirePermission(actor, 'tags.manage');
  const k = KIND[kind];
  assertTenantWide(actor, `Creating a ${k.noun}`);
  if (input.protects) requireProtectionManager(actor);
  const name = cleanName(input.name, k.noun);
  const data = dataPair(input.dataKey ?? null, input.dataValue ?? null);
  await checkUnique(ctx, actor.tenantId, name, data, null);
  const now = nowIso();
  const row: TagDefinitionsTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    color: input.color.toLowerCase(),
    data_key: data?.key ?? null,
    data_value: data?.value ?? null,
    comment_required: input.commentRequired ? 1 : 0,
    preset: null,
    protects: input.protects ? 1 : 0,
    kind,
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  const view = definitionView(row);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertDefinition(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: k.resourceType,
        resourceId: row.id,
        action: `${k.action}_CREATE`,
        details: `Created ${k.noun} ${name}${data ? ` (data tag ${data.key} = ${data.value})` : ''}${row.comment_required ? ', comment required' : ''}`,
        changes: AUDITED.map((f) => ({ field: f, old: null, new: view[f] })),
      },
      tx,
    );
  }).catch(duplicateName(ctx, name));
  return view;
}

export async function updateTag(ctx: AppContext, actor: Actor, id: string, patch: TagPatch, kind: TagKind = 'tag') {
  requirePermission(actor, 'tags.manage');
  const k = KIND[kind];
  const tag = await loadDefinition(ctx, actor, id, kind);
  assertTenantWide(actor, `Changing the ${k.noun} ${tag.name}`);
  const before = definitionView(tag);
  const next: Partial<TagDefinitionsTable> = {};
  if (patch.name !== undefined) next.name = cleanName(patch.name, k.noun);
  // Archiving keeps the definition on every conversation that carries it and in the filters; it is only not offered anymore.
  if (patch.archived !== undefined && patch.archived !== before.archived) next.archived_at = patch.archived ? nowIso() : null;
  if (patch.color !== undefined) next.color = patch.color.toLowerCase();
  if (patch.commentRequired !== undefined) next.comment_required = patch.commentRequired ? 1 : 0;
  if (patch.protects !== undefined && patch.protects !== before.protects) {
    requireProtectionManager(actor);
    next.protects = patch.protects ? 1 : 0;
  }
  if (patch.dataKey !== undefined || patch.dataValue !== undefined) {
    const data = dataPair(patch.dataKey !== undefined ? patch.dataKey : tag.data_key, patch.dataValue !== undefined ? patch.dataValue : tag.data_value);
    next.data_key = data?.key ?? null;
    next.data_value = data?.value ?? null;
  }
  const after = definitionView({ ...tag, ...next });
  const changes = AUDITED.filter((f) => before[f] !== after[f]).map((f): FieldChange => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length === 0) return before;
  const changed = new Set(changes.map((c) => c.field));
  if (tag.preset && (changed.has('commentRequired') || changed.has('dataKey') || changed.has('dataValue'))) {
    throw new DomainError('CONFLICT', `${tag.name} is a preset tag: its name and colour can change, not its rules`, { reason: 'PRESET' });
  }
  if (changed.has('dataKey') || changed.has('dataValue')) {
    // The pair is already written into the segments of every conversation carrying the tag; rewriting them all is not
    // what someone editing a definition expects. Make a new tag instead.
    const used = await repo.usageCount(ctx.db, id);
    if (used > 0)
      throw new DomainError('IN_USE', `The key/value of ${tag.name} cannot change while it is on ${used} conversation(s)`, {
        reason: 'DATA_TAG_IN_USE',
        conversations: used,
      });
  }
  await checkUnique(ctx, actor.tenantId, after.name, after.dataKey ? { key: after.dataKey, value: after.dataValue! } : null, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateDefinition(tx, id, { ...next, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: k.resourceType,
        resourceId: id,
        action: `${k.action}_UPDATE`,
        details: `${changed.has('archived') && changes.length === 1 ? (after.archived ? 'Archived' : 'Restored') : 'Updated'} ${k.noun} ${tag.name}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  }).catch(duplicateName(ctx, after.name));
  return definitionView((await repo.getDefinition(ctx.db, actor.tenantId, id))!);
}

export async function deleteTag(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'tags.manage');
  const tag = await loadDefinition(ctx, actor, id, 'tag');
  assertTenantWide(actor, `Deleting the tag ${tag.name}`);
  if (tag.preset) throw new DomainError('CONFLICT', `${tag.name} is a preset tag and cannot be deleted`, { reason: 'PRESET' });
  const view = definitionView(tag);
  await inTransaction(ctx.db, async ({ tx }) => {
    const used = await repo.usageCount(tx, id);
    // Removing the definition removes it from conversations (cascade). A data tag's pair stays in segment metadata as
    // plain data: it was metadata once written, and no longer shows as a tag.
    await repo.deleteDefinition(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'tag',
        resourceId: id,
        action: 'TAG_DEFINITION_DELETE',
        details: `Deleted tag ${tag.name}${used ? ` (removed from ${used} conversation(s))` : ''}`,
        changes: AUDITED.map((f) => ({ field: f, old: view[f], new: null })),
      },
      tx,
    );
  });
}

/** A protection tag keeps conversations from deletion (issue 12): turning it on or off is a data life cycle decision. */
const requireProtectionManager = (actor: Actor) => requirePermission(actor, 'lifecycle.manage', 'legal_holds.manage');

/** A definition of this kind: a category is not found through the tag routes, nor a tag through the category routes. */
async function loadDefinition(ctx: AppContext, actor: Actor, id: string, kind: TagKind = 'tag') {
  const tag = await repo.getDefinition(ctx.db, actor.tenantId, id);
  if (!tag || (tag.kind ?? 'tag') !== kind) throw notFound(KIND[kind].Noun, id);
  return tag;
}

function cleanName(raw: string, noun = 'tag') {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw invalid(`The ${noun} name is required`, { field: 'name' });
  return name;
}

/** A data tag has both a key and a value; a plain tag neither. */
function dataPair(key: string | null, value: string | null) {
  const k = key?.trim() || null;
  const v = value?.trim() || null;
  if (!k && !v) return null;
  if (!k || !v)
    throw invalid('A data tag needs both a key and a value (or neither, for a plain tag)', {
      reason: 'DATA_TAG_INCOMPLETE',
      field: k ? 'dataValue' : 'dataKey',
    });
  return { key: k, value: v };
}

async function checkUnique(ctx: AppContext, tenantId: string, name: string, data: { key: string; value: string } | null, selfId: string | null) {
  const same = await repo.findDefinitionByName(ctx.db, tenantId, name);
  // Tags and categories share one namespace: a filter chip or an audit line naming one is never ambiguous.
  if (same && same.id !== selfId)
    throw new DomainError('ALREADY_EXISTS', `A ${(same.kind ?? 'tag') === 'category' ? 'category' : 'tag'} named "${same.name}" already exists`, {
      field: 'name',
    });
  if (data) {
    // Two definitions with one pair would make the segment's system data tag ambiguous, and removing one would strip the other.
    const clash = (await repo.dataTagDefinitions(ctx.db, tenantId)).find((t) => t.id !== selfId && t.data_key === data.key && t.data_value === data.value);
    if (clash) throw new DomainError('ALREADY_EXISTS', `The tag "${clash.name}" already stands for ${data.key} = ${data.value}`, { field: 'dataKey' });
  }
}

const duplicateName = (ctx: AppContext, name: string) => (e: unknown) => {
  if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A tag or category named "${name}" already exists`, { field: 'name' });
  throw e;
};

// Tags on a conversation

/**
 * Which audit action family an event on a conversation belongs to, decided by the conversation's channels: a
 * conversation with only chat segments uses CHAT_EVENT_*, one with only email segments EMAIL_EVENT_*, and every other
 * one (any call, or chat and email mixed) CONVERSATION_EVENT_*. Screen recordings belong to calls and do not count.
 */
export function eventFamily(c: Pick<ConversationsTable, 'has_call' | 'has_chat' | 'has_email'>): 'CONVERSATION' | 'CHAT' | 'EMAIL' {
  if (!c.has_call && c.has_chat && !c.has_email) return 'CHAT';
  if (!c.has_call && !c.has_chat && c.has_email) return 'EMAIL';
  return 'CONVERSATION';
}

/** A conversation the actor may see; anything else (absent, other tenant, out of scope, no view permission) is 404. */
async function visibleConversation(ctx: AppContext, actor: Actor, id: string) {
  const row = await convRepo.getVisible(ctx.db, actor, id);
  if (!row) throw notFound('Conversation', id);
  return row;
}

export async function conversationTags(ctx: Pick<AppContext, 'db'>, conversationId: string) {
  const rows = await repo.tagsOf(ctx.db, [conversationId]);
  return {
    items: rows.map((t) => ({
      tagId: t.tag_id,
      name: t.name,
      color: t.color,
      kind: t.kind ?? 'tag',
      dataKey: t.data_key,
      dataValue: t.data_value,
      comment: t.comment,
      createdBy: t.created_by_name ?? null,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
    })),
  };
}

/** A tag comment: trimmed, at most COMMENT_MAX characters, and present when the tag requires one. */
function checkComment(tag: TagDefinitionsTable, raw: string | null | undefined) {
  const comment = raw?.trim() ?? '';
  const length = [...comment].length;
  if (length > COMMENT_MAX) {
    throw invalid(`A tag comment may have at most ${COMMENT_MAX} characters; this one has ${length}`, {
      reason: 'COMMENT_TOO_LONG',
      field: 'comment',
      limit: COMMENT_MAX,
      length,
    });
  }
  if (!comment && tag.comment_required) throw invalid(`The tag ${tag.name} needs a comment`, { reason: 'COMMENT_REQUIRED', field: 'comment' });
  return comment || null;
}

const quoted = (s: string) => `“${s}”`;

export async function applyTag(ctx: AppContext, actor: Actor, conversationId: string, input: ApplyTag) {
  requirePermission(actor, 'tags.apply');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const tag = await repo.getDefinition(ctx.db, actor.tenantId, input.tagId);
  if (!tag || (tag.kind ?? 'tag') !== 'tag') throw invalid(`There is no tag ${input.tagId}`, { reason: 'UNKNOWN_TAG', field: 'tagId' });
  // Archived: still on the conversations that carry it, never put on another.
  if (tag.archived_at) throw new DomainError('CONFLICT', `The tag ${tag.name} is archived: it can no longer be added`, { reason: 'TAG_ARCHIVED' });
  const comment = checkComment(tag, input.comment);
  const already = () => new DomainError('ALREADY_EXISTS', `The conversation already has the tag ${tag.name}`, { reason: 'TAG_ALREADY_APPLIED' });
  if (await repo.getConversationTag(ctx.db, conversationId, tag.id)) throw already();
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    // Tag comments are searched.
    await queueIndexing(ctx, uow, actor.tenantId, [conversationId]);
    await ctx.jobs.enqueue(uow, 'reports.refresh_days', { conversations: [conversationId] }, { tenantId: actor.tenantId }); // dashboard's top tags
    // The system actor (CLI, importers) is no user: created_by is a foreign key to users.
    await repo.insertConversationTag(tx, {
      id: newId(),
      conversation_id: conversationId,
      tag_id: tag.id,
      comment,
      created_by: actor.userId || null,
      created_at: now,
      updated_at: now,
    });
    await repo.touchConversation(tx, conversationId, now);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: `${eventFamily(conv)}_EVENT_TAG_UPDATE`,
        details: `Added tag ${tag.name}${comment ? ` with comment ${quoted(comment)}` : ''}`,
        changes: [{ field: 'tag', old: null, new: tag.name }, ...(comment ? [{ field: 'comment', old: null, new: comment }] : [])],
      },
      tx,
    );
    if (tag.data_key && tag.data_value) {
      // A data tag writes its pair into every segment of the conversation.
      for (const seg of await repo.segmentsForUpdate(tx, ctx.adapter, conversationId)) {
        await changeMetadata(ctx, tx, actor, conv, seg, { [tag.data_key]: tag.data_value }, [], `tag ${tag.name} was added`, now);
      }
    }
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw already();
    throw e;
  });
  return conversationTags(ctx, conversationId);
}

export async function editTagComment(ctx: AppContext, actor: Actor, conversationId: string, tagId: string, raw: string | null) {
  requirePermission(actor, 'tags.apply');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const { applied, tag } = await loadApplied(ctx, actor, conversationId, tagId);
  const comment = checkComment(tag, raw);
  if (comment === applied.comment) return conversationTags(ctx, conversationId);
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    // Tag comments are searched.
    await queueIndexing(ctx, uow, actor.tenantId, [conversationId]);
    await repo.updateConversationTag(tx, applied.id, { comment, updated_at: now });
    await repo.touchConversation(tx, conversationId, now);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: `${eventFamily(conv)}_EVENT_TAG_UPDATE`,
        details: comment
          ? `Changed the comment of tag ${tag.name}${applied.comment ? ` from ${quoted(applied.comment)}` : ''} to ${quoted(comment)}`
          : `Removed the comment ${quoted(applied.comment ?? '')} of tag ${tag.name}`,
        changes: [{ field: 'comment', old: applied.comment, new: comment }],
      },
      tx,
    );
  });
  return conversationTags(ctx, conversationId);
}

export async function removeTag(ctx: AppContext, actor: Actor, conversationId: string, tagId: string) {
  requirePermission(actor, 'tags.apply');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const { applied, tag } = await loadApplied(ctx, actor, conversationId, tagId);
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    // Tag comments are searched.
    await queueIndexing(ctx, uow, actor.tenantId, [conversationId]);
    await ctx.jobs.enqueue(uow, 'reports.refresh_days', { conversations: [conversationId] }, { tenantId: actor.tenantId }); // dashboard's top tags
    await repo.deleteConversationTag(tx, applied.id);
    await repo.touchConversation(tx, conversationId, now);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: `${eventFamily(conv)}_EVENT_TAG_UPDATE`,
        details: `Removed tag ${tag.name}${applied.comment ? ` (its comment was ${quoted(applied.comment)})` : ''}`,
        changes: [{ field: 'tag', old: tag.name, new: null }, ...(applied.comment ? [{ field: 'comment', old: applied.comment, new: null }] : [])],
      },
      tx,
    );
    if (tag.data_key && tag.data_value) {
      // Only segments still holding exactly the tag's value lose the pair: one changed by hand keeps its own value.
      for (const seg of await repo.segmentsForUpdate(tx, ctx.adapter, conversationId)) {
        if (ctx.adapter.fromJson<Record<string, string>>(seg.metadata)[tag.data_key] !== tag.data_value) continue;
        await changeMetadata(ctx, tx, actor, conv, seg, {}, [tag.data_key], `tag ${tag.name} was removed`, now);
      }
    }
  });
}

async function loadApplied(ctx: AppContext, actor: Actor, conversationId: string, tagId: string) {
  const applied = await repo.getConversationTag(ctx.db, conversationId, tagId);
  const tag = applied && (await repo.getDefinition(ctx.db, actor.tenantId, tagId));
  if (!applied || !tag) throw new DomainError('NOT_FOUND', `Conversation ${conversationId} has no tag ${tagId}`);
  return { applied, tag };
}

// Segment metadata (system data tags)

/** Changes one segment's metadata alone: this is how a segment's system data tag is changed or removed. */
export async function patchSegmentMetadata(ctx: AppContext, actor: Actor, conversationId: string, segmentId: string, patch: MetadataPatch) {
  requirePermission(actor, 'tags.apply');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const set = patch.set ?? {};
  const remove = [...new Set(patch.remove ?? [])];
  const both = remove.filter((k) => k in set);
  if (both.length) throw invalid(`A key cannot be both set and removed: ${both.join(', ')}`, { reason: 'CONFLICTING_KEYS', keys: both });
  const metadata = await inTransaction(ctx.db, async ({ tx }) => {
    const seg = await repo.segmentForUpdate(tx, ctx.adapter, conversationId, segmentId);
    if (!seg) throw notFound('Segment', segmentId);
    return changeMetadata(ctx, tx, actor, conv, seg, set, remove, null, nowIso());
  });
  const dataTags = await repo.dataTagDefinitions(ctx.db, actor.tenantId);
  return {
    segmentId,
    metadata,
    dataTags: dataTags
      .filter((t) => t.data_key && metadata[t.data_key] === t.data_value)
      .map((t) => ({ tagId: t.id, name: t.name, color: t.color, key: t.data_key!, value: t.data_value! })),
  };
}

/** Writes one segment's metadata change and audits it with old/new per key; a change that changes nothing is not written. */
async function changeMetadata(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  conv: ConversationsTable,
  seg: { id: string; kind: string; external_id: string; metadata: unknown },
  set: Record<string, string>,
  remove: string[],
  cause: string | null,
  now: string,
) {
  const before = ctx.adapter.fromJson<Record<string, string>>(seg.metadata) ?? {};
  const after = { ...before };
  for (const [k, v] of Object.entries(set)) after[k] = v;
  for (const k of remove) delete after[k];
  const keys = [...new Set([...Object.keys(set), ...remove])];
  const changes: FieldChange[] = keys.filter((k) => before[k] !== after[k]).map((k) => ({ field: k, old: before[k] ?? null, new: after[k] ?? null }));
  if (changes.length === 0) return before;
  await repo.setSegmentMetadata(tx, ctx.adapter, seg.id, after, now);
  await repo.touchConversation(tx, conv.id, now);
  const said = changes.map((c) =>
    c.new === null ? `removed ${c.field} (was ${c.old})` : `set ${c.field} = ${c.new}${c.old === null ? '' : ` (was ${c.old})`}`,
  );
  await ctx.audit.append(
    {
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: 'conversation',
      resourceId: conv.id,
      action: `${eventFamily(conv)}_EVENT_METADATA_CHANGE`,
      details: `Metadata of ${seg.kind} segment ${seg.external_id} (${seg.id}): ${said.join('; ')}${cause ? `, because ${cause}` : ''}`,
      changes,
    },
    tx,
  );
  return after;
}
