// SQL of speech tags: definitions, their hits, and the transcripts spotting reads.
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { visibleTo } from '../../conversations/access.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { SpeechTagDefinitionsTable, SpeechTagHitsTable } from '../../platform/db/schema.ts';

export const listDefinitions = (db: Executor, tenantId: string) =>
  db
    .selectFrom('speech_tag_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();

export const getDefinition = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('speech_tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const definitionsByIds = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom('speech_tag_definitions').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();

/** Names are unique per tenant regardless of case. */
export const findDefinitionByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('speech_tag_definitions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

export const insertDefinition = (db: Executor, row: SpeechTagDefinitionsTable) => db.insertInto('speech_tag_definitions').values(row).execute();
export const updateDefinition = (db: Executor, id: string, patch: Partial<SpeechTagDefinitionsTable>) =>
  db.updateTable('speech_tag_definitions').set(patch).where('id', '=', id).execute();
export const deleteDefinition = (db: Executor, id: string) => db.deleteFrom('speech_tag_definitions').where('id', '=', id).execute();

/**
 * Per tag, how many of the conversations the actor can see have a hit at each level (a conversation counts once, at
 * its best hit's level and every level below).
 */
export async function conversationCounts(db: Executor, actor: Actor, thresholds: { certainly: number; probably: number; maybe: number }) {
  const best = db
    .selectFrom('speech_tag_hits as h')
    .innerJoin('conversations as c', 'c.id', 'h.conversation_id')
    .innerJoin('speech_tag_definitions as d', 'd.id', 'h.tag_id')
    .where('d.tenant_id', '=', actor.tenantId)
    .where(visibleTo(actor))
    .select(['h.tag_id', 'h.conversation_id'])
    .select((eb) => eb.fn.max('h.confidence').as('best'))
    .groupBy(['h.tag_id', 'h.conversation_id'])
    .as('b');
  const rows = await db
    .selectFrom(best)
    .select('b.tag_id')
    .select([
      sql<number>`sum(case when b.best >= ${thresholds.certainly} then 1 else 0 end)`.as('certainly'),
      sql<number>`sum(case when b.best >= ${thresholds.probably} then 1 else 0 end)`.as('probably'),
      sql<number>`sum(case when b.best >= ${thresholds.maybe} then 1 else 0 end)`.as('maybe'),
    ])
    .groupBy('b.tag_id')
    .execute();
  return new Map(rows.map((r) => [r.tag_id, { certainly: Number(r.certainly), probably: Number(r.probably), maybe: Number(r.maybe) }]));
}

const hitColumns = [
  'h.id',
  'h.tag_id',
  'h.conversation_id',
  'h.segment_id',
  'h.offset_ms',
  'h.end_ms',
  'h.confidence',
  'h.utterance_id',
  'h.source',
  'd.name',
  'd.color',
  'd.phrase',
] as const;

/** The hits on one conversation with their tag, in time order. */
export const hitsOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('speech_tag_hits as h')
    .innerJoin('speech_tag_definitions as d', 'd.id', 'h.tag_id')
    .select(hitColumns)
    .where('h.conversation_id', '=', conversationId)
    .orderBy('h.offset_ms')
    .orderBy('d.name')
    .orderBy('h.id')
    .execute();

/** Hits on several conversations, only those the actor can see. */
export const visibleHitsOf = (db: Executor, actor: Actor, conversationIds: string[]) =>
  conversationIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('speech_tag_hits as h')
        .innerJoin('speech_tag_definitions as d', 'd.id', 'h.tag_id')
        .innerJoin('conversations as c', 'c.id', 'h.conversation_id')
        .select(hitColumns)
        .where('h.conversation_id', 'in', conversationIds)
        .where(visibleTo(actor))
        .orderBy('h.conversation_id')
        .orderBy('h.offset_ms')
        .execute();

/** Replaces the hits of these tags on one conversation (callers pass a transaction). */
export async function replaceHits(db: Executor, conversationId: string, tagIds: string[], rows: SpeechTagHitsTable[]) {
  if (tagIds.length === 0) return;
  await db.deleteFrom('speech_tag_hits').where('conversation_id', '=', conversationId).where('tag_id', 'in', tagIds).execute();
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('speech_tag_hits')
      .values(rows.slice(i, i + 200))
      .execute();
}

/**
 * The conversation's tenant, its row locked for the transaction (PostgreSQL; SQLite serialises writers), so two
 * spotting runs of one conversation (after transcription and a re-spot) replace its hits one after the other.
 */
export const lockConversation = (db: Executor, adapter: DialectAdapter, conversationId: string) =>
  adapter.lockForUpdate(db.selectFrom('conversations').select(['id', 'tenant_id']).where('id', '=', conversationId)).executeTakeFirst();

/** The conversation's tenant and the language of its current transcript, if it has one. */
export const transcriptOf = (db: Executor, conversationId: string) =>
  db
    .selectFrom('transcripts as t')
    .innerJoin('conversations as c', 'c.id', 't.conversation_id')
    .select(['t.id', 't.language', 'c.tenant_id'])
    .where('t.conversation_id', '=', conversationId)
    .where('t.is_current', '=', 1)
    .executeTakeFirst();

/** A page of the tenant's conversations with a current transcript, by id (keyset: after `afterId`). */
export const transcribedConversations = (db: Executor, tenantId: string, afterId: string | null, limit: number) => {
  let q = db
    .selectFrom('transcripts')
    .select('conversation_id')
    .where('tenant_id', '=', tenantId)
    .where('is_current', '=', 1)
    .orderBy('conversation_id')
    .limit(limit);
  if (afterId) q = q.where('conversation_id', '>', afterId);
  return q.execute();
};

export async function countTranscribed(db: Executor, tenantId: string) {
  const r = await db
    .selectFrom('transcripts')
    .select(sql<number>`count(*)`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('is_current', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
