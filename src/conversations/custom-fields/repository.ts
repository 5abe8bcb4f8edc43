// SQL for custom field definitions and values.
import type { Executor } from '../../platform/db/index.ts';

export const valuesOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('conversation_field_values as v')
        .innerJoin('custom_field_definitions as d', 'd.id', 'v.field_id')
        .select(['v.conversation_id', 'd.key', 'v.value'])
        .where('v.conversation_id', 'in', conversationIds)
        .execute();

/** Every definition of the tenant with this conversation's value (null when unset), in display order. */
export const valuesWithDefinitions = (db: Executor, tenantId: string, conversationId: string) =>
  db
    .selectFrom('custom_field_definitions as d')
    .leftJoin('conversation_field_values as v', (j) => j.onRef('v.field_id', '=', 'd.id').on('v.conversation_id', '=', conversationId))
    .select(['d.id', 'd.key', 'd.label', 'd.type', 'v.value'])
    .where('d.tenant_id', '=', tenantId)
    .orderBy('d.position')
    .orderBy('d.label')
    .execute();
