// SQL for the categories of conversations (category definitions are tag definitions of kind `category`: ../tags/).
import type { Actor } from '../../auth/actor.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import { visibleTo } from '../access.ts';

/** The categories each conversation is filed under. */
export const categoriesOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('conversation_tags as ct')
        .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
        .select(['ct.id', 'ct.conversation_id', 'ct.tag_id', 't.name'])
        .where('ct.conversation_id', 'in', conversationIds)
        .where('t.kind', '=', 'category')
        .orderBy('ct.created_at')
        .orderBy('ct.id')
        .execute();

/** Those of the conversations the actor may see (rows in full: the audit family needs their channels). */
export const visibleConversations = (db: Executor, actor: Actor, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('conversations as c').selectAll('c').where(visibleTo(actor)).where('c.id', 'in', ids).execute();

/** Locks the conversations' rows for a read-modify-write of their categories (PostgreSQL; SQLite serialises writers). */
export const lockConversations = (db: Executor, adapter: DialectAdapter, ids: string[]) =>
  adapter.lockForUpdate(db.selectFrom('conversations').select('id').where('id', 'in', ids).orderBy('id')).execute();
