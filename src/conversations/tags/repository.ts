// SQL for tag definitions, the tags on conversations, and segment metadata (where data tags live).
import { sql, type Expression } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { ConversationTagsTable, TagDefinitionsTable } from '../../platform/db/schema.ts';

export const tagsOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('conversation_tags as ct')
        .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
        .leftJoin('users as u', 'u.id', 'ct.created_by')
        .select([
          'ct.conversation_id',
          'ct.tag_id',
          'ct.comment',
          'ct.created_at',
          'ct.updated_at',
          't.name',
          't.color',
          't.data_key',
          't.data_value',
          't.kind',
          'u.name as created_by_name',
        ])
        .where('ct.conversation_id', 'in', conversationIds)
        .orderBy('ct.created_at')
        .orderBy('ct.id')
        .execute();

/** What a list row shows of a tag on the conversation (tagsOfConversation's elements). */
export interface ListTag {
  tag_id: string;
  name: string;
  color: string;
  kind: string | null;
  data_key: string | null;
  data_value: string | null;
  comment: string | null;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A scalar subquery for a list statement: the tags on the conversation `conversationId` names (a column of the outer
 * statement) as a JSON array of ListTag, in the order of tagsOf.
 */
export const tagsOfConversation = (db: Executor, adapter: DialectAdapter, conversationId: Expression<string>) =>
  db
    .selectFrom('conversation_tags as ct')
    .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
    .leftJoin('users as u', 'u.id', 'ct.created_by')
    .select((eb) =>
      adapter
        .jsonArrayAgg(
          {
            tag_id: eb.ref('ct.tag_id'),
            name: eb.ref('t.name'),
            color: eb.ref('t.color'),
            kind: eb.ref('t.kind'),
            data_key: eb.ref('t.data_key'),
            data_value: eb.ref('t.data_value'),
            comment: eb.ref('ct.comment'),
            created_by_name: eb.ref('u.name'),
            created_at: adapter.isoTimestamp(eb.ref('ct.created_at')),
            updated_at: adapter.isoTimestamp(eb.ref('ct.updated_at')),
          },
          [eb.ref('ct.created_at'), eb.ref('ct.id')],
        )
        .as('tags'),
    )
    .where('ct.conversation_id', '=', conversationId);

export const dataTagDefinitions = (db: Executor, tenantId: string) =>
  db.selectFrom('tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('data_key', 'is not', null).execute();

// Definitions

/** Definitions of one kind (tag or category), by name. */
export const listDefinitions = (db: Executor, tenantId: string, kind: TagKind = 'tag') =>
  db
    .selectFrom('tag_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

export type TagKind = 'tag' | 'category';

export const getDefinition = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const getDefinitions = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

/** How many conversations carry each definition of a kind. */
export async function usageCounts(db: Executor, tenantId: string, kind: TagKind) {
  const rows = await db
    .selectFrom('conversation_tags as ct')
    .innerJoin('tag_definitions as t', 't.id', 'ct.tag_id')
    .select(['ct.tag_id', sql<number>`count(*)`.as('n')])
    .where('t.tenant_id', '=', tenantId)
    .where('t.kind', '=', kind)
    .groupBy('ct.tag_id')
    .execute();
  return new Map(rows.map((r) => [r.tag_id, Number(r.n)]));
}

/** Names are unique per tenant regardless of case. */
export const findDefinitionByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('tag_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

export const findPreset = (db: Executor, tenantId: string, preset: string) =>
  db.selectFrom('tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('preset', '=', preset).executeTakeFirst();

export const insertDefinition = (db: Executor, row: TagDefinitionsTable) => db.insertInto('tag_definitions').values(row).execute();
export const updateDefinition = (db: Executor, id: string, patch: Partial<TagDefinitionsTable>) =>
  db.updateTable('tag_definitions').set(patch).where('id', '=', id).execute();
export const deleteDefinition = (db: Executor, id: string) => db.deleteFrom('tag_definitions').where('id', '=', id).execute();

export async function usageCount(db: Executor, tagId: string) {
  const r = await db
    .selectFrom('conversation_tags')
    .select(sql<number>`count(*)`.as('n'))
    .where('tag_id', '=', tagId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// Tags on conversations

export const getConversationTag = (db: Executor, conversationId: string, tagId: string) =>
  db.selectFrom('conversation_tags').selectAll().where('conversation_id', '=', conversationId).where('tag_id', '=', tagId).executeTakeFirst();
export const insertConversationTag = (db: Executor, row: ConversationTagsTable) => db.insertInto('conversation_tags').values(row).execute();
export const updateConversationTag = (db: Executor, id: string, patch: Partial<ConversationTagsTable>) =>
  db.updateTable('conversation_tags').set(patch).where('id', '=', id).execute();
export const deleteConversationTag = (db: Executor, id: string) => db.deleteFrom('conversation_tags').where('id', '=', id).execute();

// Segment metadata

/** The conversation's segments, locked for the read-modify-write of their metadata (PostgreSQL; SQLite serialises writers). */
export const segmentsForUpdate = (db: Executor, adapter: DialectAdapter, conversationId: string) =>
  adapter
    .lockForUpdate(
      db
        .selectFrom('segments')
        .select(['id', 'kind', 'external_id', 'metadata'])
        .where('conversation_id', '=', conversationId)
        .orderBy('started_at')
        .orderBy('id'),
    )
    .execute();

export const segmentForUpdate = (db: Executor, adapter: DialectAdapter, conversationId: string, segmentId: string) =>
  adapter
    .lockForUpdate(
      db.selectFrom('segments').select(['id', 'kind', 'external_id', 'metadata']).where('conversation_id', '=', conversationId).where('id', '=', segmentId),
    )
    .executeTakeFirst();

export const setSegmentMetadata = (db: Executor, adapter: DialectAdapter, segmentId: string, metadata: Record<string, string>, now: string) =>
  db
    .updateTable('segments')
    .set({ metadata: adapter.json(metadata), updated_at: now })
    .where('id', '=', segmentId)
    .execute();

export const touchConversation = (db: Executor, conversationId: string, now: string) =>
  db.updateTable('conversations').set({ updated_at: now }).where('id', '=', conversationId).execute();
