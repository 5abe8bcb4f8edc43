// SQL for comments. Private comments are visible to their author only.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';

const visibleFor = (userId: string) => (eb: any) => eb.or([eb('visibility', '=', 'public'), eb('author_id', '=', userId)]);

export async function countsFor(db: Executor, conversationIds: string[], userId: string): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comments')
    .select(['conversation_id', sql<number>`count(*)`.as('n')])
    .where('conversation_id', 'in', conversationIds)
    .where(visibleFor(userId))
    .groupBy('conversation_id')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, Number(r.n)]));
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
  return rows.map((r) => ({
    id: r.id, authorId: r.author_id, authorName: r.author_name, text: r.text, offsetMs: r.offset_ms === null ? null : Number(r.offset_ms),
    pinned: Boolean(r.pinned), visibility: r.visibility, mentions: (typeof r.mentions === 'string' ? JSON.parse(r.mentions) : r.mentions) as string[],
    createdAt: r.created_at, updatedAt: r.updated_at,
  }));
}
