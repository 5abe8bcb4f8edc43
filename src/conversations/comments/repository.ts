// SQL for comments. Private comments are visible to their author only.
import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { CommentsTable, Database } from '../../platform/db/schema.ts';

const isPublic = (eb: ExpressionBuilder<Database, 'comments'>) => eb('visibility', '=', 'public');
const visibleFor = (userId: string) => (eb: ExpressionBuilder<Database, 'comments'>) => eb.or([isPublic(eb), eb('author_id', '=', userId)]);

/**
 * Scalar subqueries for a list statement that does not know its viewer (the list rows of src/search): of the
 * conversation `conversationId` names (a column of the outer statement), how many comments are public, and the
 * authors of the others (a JSON array, one entry per comment). visibleCount counts them for one viewer.
 */
export const commentCountsOfConversation = (db: Executor, adapter: DialectAdapter, conversationId: Expression<string>) => ({
  publicComments: db
    .selectFrom('comments')
    .select(sql<number>`count(*)`.as('public_comments'))
    .where('comments.conversation_id', '=', conversationId)
    .where(isPublic),
  privateAuthors: db
    .selectFrom('comments')
    .select((eb) => adapter.jsonArrayAgg(eb.ref('comments.author_id')).as('private_comment_authors'))
    .where('comments.conversation_id', '=', conversationId)
    .where((eb) => eb.not(isPublic(eb)))
    .where('comments.author_id', 'is not', null),
});

/** The number of comments `userId` may see (visibleFor) from commentCountsOfConversation's two values. */
export const visibleCount = (publicComments: number | string | null, privateAuthors: readonly string[], userId: string) =>
  Number(publicComments) + privateAuthors.reduce((n, author) => (author === userId ? n + 1 : n), 0);

/** One comment as the API shows it. */
export function commentView(r: CommentsTable) {
  return {
    id: r.id,
    authorId: r.author_id,
    authorName: r.author_name,
    text: r.text,
    offsetMs: r.offset_ms === null ? null : Number(r.offset_ms),
    pinned: Boolean(r.pinned),
    visibility: r.visibility,
    mentions: (typeof r.mentions === 'string' ? JSON.parse(r.mentions) : r.mentions) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    // Pinning leaves updated_at alone (service.ts), so a later updated_at means the content was edited.
    edited: String(r.updated_at) !== String(r.created_at),
  };
}

/** Oldest first, pinned ones on top. */
export async function listFor(db: Executor, conversationId: string, userId: string) {
  const rows = await db
    .selectFrom('comments')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where(visibleFor(userId))
    .orderBy('pinned', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(commentView);
}

/** A comment of the conversation that this user may see (a private one of someone else is as absent). */
export const getVisibleComment = (db: Executor, conversationId: string, id: string, userId: string) =>
  db.selectFrom('comments').selectAll().where('conversation_id', '=', conversationId).where('id', '=', id).where(visibleFor(userId)).executeTakeFirst();

export const insertComment = (db: Executor, row: CommentsTable) => db.insertInto('comments').values(row).execute();
export const updateComment = (db: Executor, id: string, patch: Partial<CommentsTable>) => db.updateTable('comments').set(patch).where('id', '=', id).execute();
export const deleteComment = (db: Executor, id: string) => db.deleteFrom('comments').where('id', '=', id).execute();

/**
 * Enabled users of the tenant who might be mentioned: matching `q` (name or e-mail, ignoring case) or among `ids`,
 * by name, at most `limit`. Who of them may see the conversation is decided in the service.
 */
export async function mentionCandidates(db: Executor, adapter: DialectAdapter, tenantId: string, f: { q?: string; ids?: string[]; limit: number }) {
  let q = db.selectFrom('users').select(['id', 'name', 'email', 'group_id']).where('tenant_id', '=', tenantId).where('disabled', '=', 0);
  if (f.ids) q = f.ids.length ? q.where('id', 'in', f.ids) : q.where(sql<boolean>`1 = 0`);
  const needle = f.q?.trim();
  if (needle) q = q.where((eb) => eb.or([adapter.containsInsensitive(sql.ref('name'), needle), adapter.containsInsensitive(sql.ref('email'), needle)]));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

/** The users taking part in a conversation (what conversations.view_own sees). */
export async function participantUserIds(db: Executor, conversationId: string) {
  const rows = await db
    .selectFrom('conversation_participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.user_id!));
}

/** Which of these ids are users of the tenant. */
export async function existingUserIds(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}
