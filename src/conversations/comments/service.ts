// Comments (notes) on conversations: timestamped, pinned, public or private to their author, with @mentions.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { CommentsTable, ConversationsTable } from '../../platform/db/schema.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { forbidden, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import * as authRepo from '../../auth/repository.ts';
import { scopeFor } from '../../auth/scope.ts';
import * as convRepo from '../repository.ts';
import { loadVisible } from '../service.ts';
import * as repo from './repository.ts';
import { MENTIONS_MAX, type CommentCreate, type CommentPatch } from './schemas.ts';
import { notifyQuality } from '../../quality/notifications.ts';
import { mentionsAsNames, parseMentions } from './mentions.ts';

export async function listComments(ctx: AppContext, actor: Actor, conversationId: string) {
  await loadVisible(ctx, actor, conversationId);
  return { items: await repo.listFor(ctx.db, conversationId, actor.userId) };
}

export async function createComment(ctx: AppContext, actor: Actor, conversationId: string, input: CommentCreate) {
  requirePermission(actor, 'comments.write');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const text = cleanText(input.text);
  const offsetMs = checkOffset(conv, input.offsetMs ?? null);
  const mentions = await checkMentions(ctx, actor, conv, [...parseMentions(text), ...(input.mentions ?? [])], []);
  const now = nowIso();
  const row: CommentsTable = {
    id: newId(),
    conversation_id: conversationId,
    author_id: actor.userId,
    author_name: actor.name,
    text,
    offset_ms: offsetMs,
    pinned: input.pinned ? 1 : 0,
    visibility: input.visibility ?? 'public',
    mentions: ctx.adapter.json(mentions),
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    await repo.insertComment(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'COMMENT_CREATE',
        details: `Added a ${row.visibility} comment ${row.id}${offsetMs !== null ? ` at ${clock(offsetMs)}` : ''}${row.pinned ? ' (pinned)' : ''}: “${excerpt(text)}”`,
        changes: [
          { field: 'text', old: null, new: text },
          { field: 'offsetMs', old: null, new: offsetMs },
          { field: 'pinned', old: null, new: Boolean(row.pinned) },
          { field: 'visibility', old: null, new: row.visibility },
          { field: 'mentions', old: null, new: mentions },
        ],
      },
      tx,
    );
    await notifyMentioned(ctx, uow, actor, row, row.visibility === 'public' ? mentions : []);
  });
  return repo.commentView({ ...row, mentions });
}

export async function updateComment(ctx: AppContext, actor: Actor, conversationId: string, commentId: string, patch: CommentPatch) {
  requirePermission(actor, 'comments.write');
  const conv = await visibleConversation(ctx, actor, conversationId);
  const comment = await loadComment(ctx, actor, conversationId, commentId);
  const edits = (['text', 'offsetMs', 'visibility', 'mentions'] as const).filter((k) => patch[k] !== undefined);
  // Pinning is shared housekeeping anyone who may comment can do; the content belongs to its author.
  if (edits.length && comment.author_id !== actor.userId)
    throw forbidden('Only the author can change this comment (anyone who may comment can pin or unpin it)');
  const before = repo.commentView(comment);
  const next: Partial<CommentsTable> = {};
  let mentions = before.mentions;
  if (patch.text !== undefined) next.text = cleanText(patch.text);
  if (patch.offsetMs !== undefined) next.offset_ms = checkOffset(conv, patch.offsetMs);
  if (patch.visibility !== undefined) next.visibility = patch.visibility;
  if (patch.pinned !== undefined) next.pinned = patch.pinned ? 1 : 0;
  if (patch.text !== undefined || patch.mentions !== undefined) {
    // The stored list is the text's tokens plus the explicit ids. Without a new explicit list, the explicit ids given
    // before (those not among the old text's tokens) stay; mentions removed from the text go.
    const oldTokens = new Set(parseMentions(comment.text));
    const explicit = patch.mentions ?? before.mentions.filter((id) => !oldTokens.has(id));
    mentions = await checkMentions(ctx, actor, conv, [...parseMentions(next.text ?? comment.text), ...explicit], before.mentions);
    next.mentions = ctx.adapter.json(mentions);
  }
  const after = repo.commentView({ ...comment, ...next, mentions });
  const changes: FieldChange[] = (['text', 'offsetMs', 'pinned', 'visibility', 'mentions'] as const)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length === 0) return before;
  // Pinning is not an edit: updatedAt keeps telling when the content last changed.
  const contentChanged = changes.some((c) => c.field !== 'pinned');
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    await repo.updateComment(tx, commentId, { ...next, ...(contentChanged ? { updated_at: now } : {}) });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'COMMENT_UPDATE',
        details: `${contentChanged ? `Edited comment ${commentId} (${changes.map((c) => c.field).join(', ')})` : `${after.pinned ? 'Pinned' : 'Unpinned'} comment ${commentId}`} by ${comment.author_name}: “${excerpt(after.text)}”`,
        changes,
      },
      tx,
    );
    // Only people who had not been told yet: newly mentioned, or all of them when a private comment becomes public.
    const told = before.visibility === 'public' ? before.mentions : [];
    await notifyMentioned(
      ctx,
      uow,
      actor,
      { ...comment, text: after.text, conversation_id: conversationId },
      after.visibility === 'public' ? after.mentions.filter((id) => !told.includes(id)) : [],
    );
  });
  return { ...after, updatedAt: contentChanged ? now : after.updatedAt, edited: after.edited || contentChanged };
}

export async function deleteComment(ctx: AppContext, actor: Actor, conversationId: string, commentId: string) {
  requirePermission(actor, 'comments.write');
  await visibleConversation(ctx, actor, conversationId);
  const comment = await loadComment(ctx, actor, conversationId, commentId);
  if (comment.author_id !== actor.userId) throw forbidden('Only the author can delete this comment');
  const view = repo.commentView(comment);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteComment(tx, commentId);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'conversation',
        resourceId: conversationId,
        action: 'COMMENT_DELETE',
        details: `Deleted ${view.visibility} comment ${commentId}: “${excerpt(view.text)}”`,
        changes: (['text', 'offsetMs', 'pinned', 'visibility', 'mentions'] as const).map((f) => ({ field: f, old: view[f], new: null })),
      },
      tx,
    );
  });
}

/** E-mails the people a public comment newly mentions (not its author), in the comment's transaction. */
async function notifyMentioned(ctx: AppContext, uow: Uow, actor: Actor, c: Pick<CommentsTable, 'id' | 'conversation_id' | 'text'>, userIds: string[]) {
  const to = userIds.filter((id) => id !== actor.userId);
  if (!to.length) return;
  await notifyQuality(ctx, uow, {
    event: 'comment_mention',
    tenantId: actor.tenantId,
    toUserIds: to,
    conversationId: c.conversation_id,
    commentId: c.id,
    actorName: actor.name,
    excerpt: c.text,
  });
}

/** A conversation the actor may see; anything else (absent, other tenant, out of scope, no view permission) is 404. */
async function visibleConversation(ctx: AppContext, actor: Actor, id: string) {
  const row = await convRepo.getVisible(ctx.db, actor, id);
  if (!row) throw notFound('Conversation', id);
  return row;
}

async function loadComment(ctx: AppContext, actor: Actor, conversationId: string, commentId: string) {
  const c = await repo.getVisibleComment(ctx.db, conversationId, commentId, actor.userId);
  if (!c) throw notFound('Comment', commentId);
  return c;
}

function cleanText(raw: string) {
  const text = raw.trim();
  if (!text) throw invalid('The comment text is empty', { reason: 'TEXT_REQUIRED', field: 'text' });
  return text;
}

/** An offset is a position in the recording: never beyond the talk time of a conversation with calls. */
function checkOffset(conv: Pick<ConversationsTable, 'has_call' | 'talk_time_ms'>, offsetMs: number | null) {
  if (offsetMs === null) return null;
  const end = Number(conv.talk_time_ms);
  if (conv.has_call && offsetMs > end) {
    throw invalid(`offsetMs ${offsetMs} is beyond the end of the recording (${end} ms)`, { reason: 'OFFSET_OUT_OF_RANGE', field: 'offsetMs', max: end });
  }
  return offsetMs;
}

/**
 * Mentioned ids must be users of the actor's tenant, and a newly mentioned one must be able to see the conversation
 * (a mention points someone at it); ids mentioned before stay whatever happened to their access since. Returns the
 * ids without repeats.
 */
async function checkMentions(ctx: AppContext, actor: Actor, conv: ConversationsTable, ids: string[], already: string[]) {
  const unique = [...new Set(ids)];
  if (unique.length > MENTIONS_MAX) throw invalid(`A comment may mention at most ${MENTIONS_MAX} users`, { reason: 'TOO_MANY_MENTIONS', field: 'mentions' });
  const known = await repo.existingUserIds(ctx.db, actor.tenantId, unique);
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length) throw invalid(`Mentioned user(s) not found: ${unknown.join(', ')}`, { reason: 'UNKNOWN_MENTION', field: 'mentions', userIds: unknown });
  const added = unique.filter((id) => !already.includes(id));
  if (added.length) {
    const candidates = await repo.mentionCandidates(ctx.db, ctx.adapter, actor.tenantId, { ids: added, limit: added.length });
    const may = new Set((await whoMaySee(ctx, conv, candidates)).map((u) => u.id));
    const refused = candidates.filter((u) => !may.has(u.id));
    const disabled = added.filter((id) => !candidates.some((u) => u.id === id));
    if (refused.length || disabled.length) {
      throw invalid(`Only people who can see this conversation can be mentioned${refused.length ? `; ${refused.map((u) => u.name).join(', ')} cannot` : ''}`, {
        reason: 'MENTION_CANNOT_SEE',
        field: 'mentions',
        userIds: [...refused.map((u) => u.id), ...disabled],
      });
    }
  }
  return unique;
}

/** At most this many people are offered by the mention picker at once. */
export const MENTIONABLE_MAX = 20;

/** Who the @mention picker offers: enabled users who may see the conversation, matching what was typed, by name. */
export async function mentionable(ctx: AppContext, actor: Actor, conversationId: string, q: string | undefined) {
  requirePermission(actor, 'comments.write');
  const conv = await visibleConversation(ctx, actor, conversationId);
  // Read a few times the page: some of the matches may not see the conversation.
  const candidates = await repo.mentionCandidates(ctx.db, ctx.adapter, actor.tenantId, { q, limit: MENTIONABLE_MAX * 10 });
  const items = (await whoMaySee(ctx, conv, candidates)).slice(0, MENTIONABLE_MAX);
  return { items: items.map((u) => ({ id: u.id, name: u.name, email: u.email })) };
}

/**
 * Those of the users who may see the conversation, by the rule of ../access.ts (visibleTo): conversations.view within
 * their group scope (a conversation without a group only to organisation-wide viewers), or conversations.view_own on
 * a conversation they take part in.
 */
async function whoMaySee<U extends { id: string; group_id: string | null }>(ctx: AppContext, conv: ConversationsTable, users: U[]): Promise<U[]> {
  if (users.length === 0) return [];
  const [roles, groups, participants] = await Promise.all([
    authRepo.rolesOfUsers(
      ctx.db,
      users.map((u) => u.id),
    ),
    authRepo.listGroups(ctx.db, conv.tenant_id),
    repo.participantUserIds(ctx.db, conv.id),
  ]);
  const perms = new Map<string, Set<string>>();
  for (const r of roles) {
    const set = perms.get(r.user_id) ?? new Set<string>();
    for (const p of ctx.adapter.fromJson<string[]>(r.permissions)) set.add(p);
    perms.set(r.user_id, set);
  }
  return users.filter((u) => {
    const p = perms.get(u.id);
    if (!p) return false;
    if (p.has('conversations.view')) {
      const scope = scopeFor(u.group_id, groups);
      if (scope.all || (conv.group_id !== null && scope.groupIds.includes(conv.group_id))) return true;
    }
    return p.has('conversations.view_own') && participants.has(u.id);
  });
}

/** An audit line's excerpt: mentions as @Name, as the comment reads (the changes keep the stored text with its tokens). */
const excerpt = (raw: string) => {
  const s = mentionsAsNames(raw);
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
};
function clock(ms: number) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
