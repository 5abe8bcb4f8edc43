// SQL for custom field definitions and values.
import { sql, type Expression } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import { foldCase, numericValue } from '../../search/filters/custom-data.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { CustomFieldDefinitionsTable } from '../../platform/db/schema.ts';

/**
 * A scalar subquery for a list statement: the conversation's custom field values (`conversationId` names a column of
 * the outer statement) as one JSON object, definition key → value, keys in field id order (the order SQLite read them
 * in through the values' primary key when the list read them in a statement of their own).
 */
export const valuesOfConversation = (db: Executor, adapter: DialectAdapter, conversationId: Expression<string>) =>
  db
    .selectFrom('conversation_field_values as v')
    .innerJoin('custom_field_definitions as d', 'd.id', 'v.field_id')
    .select((eb) => adapter.jsonObjectAgg(eb.ref('d.key'), eb.ref('v.value'), [eb.ref('v.field_id')]).as('custom_fields'))
    .where('v.conversation_id', '=', conversationId);

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

// Definitions

export const listDefinitions = (db: Executor, tenantId: string) =>
  db.selectFrom('custom_field_definitions').selectAll().where('tenant_id', '=', tenantId).orderBy('position').orderBy('label').orderBy('id').execute();

export const getDefinition = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('custom_field_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const findDefinitionByKey = (db: Executor, tenantId: string, key: string) =>
  db.selectFrom('custom_field_definitions').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirst();

export async function nextPosition(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('custom_field_definitions')
    .select(sql<number | null>`max(position)`.as('p'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

export const insertDefinition = (db: Executor, row: CustomFieldDefinitionsTable) => db.insertInto('custom_field_definitions').values(row).execute();
export const updateDefinition = (db: Executor, id: string, patch: Partial<CustomFieldDefinitionsTable>) =>
  db.updateTable('custom_field_definitions').set(patch).where('id', '=', id).execute();
export const deleteDefinition = (db: Executor, id: string) => db.deleteFrom('custom_field_definitions').where('id', '=', id).execute();

export async function valueCount(db: Executor, fieldId: string) {
  const r = await db
    .selectFrom('conversation_field_values')
    .select(sql<number>`count(*)`.as('n'))
    .where('field_id', '=', fieldId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The distinct values a field holds, with how many conversations hold each. */
export const valuesInUse = (db: Executor, fieldId: string) =>
  db
    .selectFrom('conversation_field_values')
    .select(['value', sql<number>`count(*)`.as('n')])
    .where('field_id', '=', fieldId)
    .groupBy('value')
    .execute();

// Values

export const valuesForConversation = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_field_values').select(['field_id', 'value']).where('conversation_id', '=', conversationId).execute();

/** Portable upsert: both SQLite (3.24+) and PostgreSQL understand ON CONFLICT … DO UPDATE. */
export function upsertValue(db: Executor, conversationId: string, fieldId: string, value: string) {
  // The folded and numeric forms are what the search filters compare (src/search/filters/README.md).
  const derived = { value_folded: foldCase(value.trim()), value_number: numericValue(value) };
  // The conversation's start rides along for the period-narrowed value index (migration 0019).
  const startedAt = db.selectFrom('conversations').select('started_at').where('id', '=', conversationId);
  return db
    .insertInto('conversation_field_values')
    .values({ conversation_id: conversationId, field_id: fieldId, value, ...derived, started_at: startedAt })
    .onConflict((oc) => oc.columns(['conversation_id', 'field_id']).doUpdateSet({ value, ...derived }))
    .execute();
}

export const deleteValue = (db: Executor, conversationId: string, fieldId: string) =>
  db.deleteFrom('conversation_field_values').where('conversation_id', '=', conversationId).where('field_id', '=', fieldId).execute();
