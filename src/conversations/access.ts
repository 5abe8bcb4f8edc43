// Who sees which conversation: the group scope for `conversations.view`, own conversations for `conversations.view_own`.
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { Database } from '../platform/db/schema.ts';
import { forbidden } from '../platform/errors.ts';

export function canViewAny(actor: Actor) {
  return actor.permissions.has('conversations.view') || actor.permissions.has('conversations.view_own');
}

export function requireViewer(actor: Actor) {
  if (!canViewAny(actor)) throw forbidden('This needs the permission "conversations.view" or "conversations.view_own"');
}

/**
 * The WHERE condition restricting `conversations` (aliased as `c`) to what the actor may see. Conversations with no
 * known group (unknown agent) are visible only to tenant-wide viewers.
 */
export function visibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database & { c: Database['conversations'] }, 'c'>): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [];
    if (actor.permissions.has('conversations.view')) {
      if (actor.scope.all) ors.push(sql<SqlBool>`1 = 1`);
      else if (actor.scope.groupIds.length) ors.push(eb('c.group_id', 'in', actor.scope.groupIds));
    }
    if (actor.permissions.has('conversations.view_own')) {
      ors.push(
        eb.exists(
          eb.selectFrom('conversation_participants as p').select('p.id').whereRef('p.conversation_id', '=', 'c.id').where('p.user_id', '=', actor.userId),
        ),
      );
    }
    return ors.length ? eb.and([eb('c.tenant_id', '=', actor.tenantId), eb.or(ors)]) : sql<SqlBool>`1 = 0`;
  };
}
