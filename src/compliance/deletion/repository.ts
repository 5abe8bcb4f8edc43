// Deletion's SQL: the tombstones (deletions, deleted_blobs), the objects a conversation holds, and the removal of
// everything hanging off a conversation. Every function takes the transaction it runs in.
import { sql, type Selectable } from 'kysely';
import type { BlobReference } from '../../platform/blobs/repository.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { DeletedBlobsTable, DeletionsTable } from '../../platform/db/schema.ts';

export type DeletionRow = Selectable<DeletionsTable>;

export const insertDeletion = (ex: Executor, row: DeletionsTable) => ex.insertInto('deletions').values(row).execute();

export const getDeletion = (ex: Executor, id: string) => ex.selectFrom('deletions').selectAll().where('id', '=', id).executeTakeFirst();

export const updateDeletion = (ex: Executor, id: string, patch: Partial<DeletionsTable>) =>
  ex.updateTable('deletions').set(patch).where('id', '=', id).execute();

/** The open (planned or shredded) deletion of a conversation, if any: a second request joins it. */
export const openDeletionOf = (ex: Executor, conversationId: string) =>
  ex.selectFrom('deletions').selectAll().where('conversation_id', '=', conversationId).where('status', 'in', ['planned', 'shredded']).executeTakeFirst();

/** Deletions whose database part committed but whose objects may still be in storage (a crash between the two). */
export const shreddedDeletions = (ex: Executor, limit: number) =>
  ex.selectFrom('deletions').select(['id', 'tenant_id']).where('status', '=', 'shredded').orderBy('requested_at').limit(limit).execute();

export const listDeletions = (ex: Executor, tenantId: string, opts: { conversationId?: string; limit: number }) => {
  let q = ex.selectFrom('deletions').selectAll().where('tenant_id', '=', tenantId);
  if (opts.conversationId) q = q.where('conversation_id', '=', opts.conversationId);
  return q.orderBy('requested_at', 'desc').limit(opts.limit).execute();
};

export const insertDeletedBlobs = async (ex: Executor, rows: DeletedBlobsTable[]) => {
  for (let i = 0; i < rows.length; i += 200)
    await ex
      .insertInto('deleted_blobs')
      .values(rows.slice(i, i + 200))
      .execute();
};

export const pendingObjects = (ex: Executor, deletionId: string) =>
  ex.selectFrom('deleted_blobs').select(['blob_id', 'storage_key']).where('deletion_id', '=', deletionId).where('removed_at', 'is', null).execute();

export const markRemoved = (ex: Executor, blobIds: string[], at: string) =>
  blobIds.length ? ex.updateTable('deleted_blobs').set({ removed_at: at }).where('blob_id', 'in', blobIds).execute() : Promise.resolve([]);

/** What `earshot verify` says about a blob id it cannot find. */
export const deletedBlob = (ex: Executor, blobId: string) =>
  ex
    .selectFrom('deleted_blobs as b')
    .innerJoin('deletions as d', 'd.id', 'b.deletion_id')
    .select([
      'b.blob_id',
      'b.kind',
      'b.sha256',
      'b.shredded_at',
      'b.removed_at',
      'd.origin',
      'd.policy_id',
      'd.reason',
      'd.requested_by_name',
      'd.conversation_id',
    ])
    .where('b.blob_id', '=', blobId)
    .executeTakeFirst();

export const deletedBlobCounts = (ex: Executor) =>
  ex
    .selectFrom('deleted_blobs as b')
    .innerJoin('deletions as d', 'd.id', 'b.deletion_id')
    .select(['d.origin', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('b.removed_at').as('removed')])
    .groupBy('d.origin')
    .execute();

// ---- the conversation's objects ----------------------------------------------------------------------------------

export const conversationState = (ex: Executor, tenantId: string, ids: string[]) =>
  ex
    .selectFrom('conversations')
    .select(['id', 'title', 'media_state', 'media_state_reason', 'started_at', 'has_call', 'has_screen'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();

export const setMediaState = (ex: Executor, ids: string[], state: string | null, reason: string | null, at: string) =>
  ex.updateTable('conversations').set({ media_state: state, media_state_reason: reason, media_state_at: at, updated_at: at }).where('id', 'in', ids).execute();

export interface HeldObject {
  blobId: string;
  kind: string;
}

/**
 * Every blob the conversation's rows point at: its streams (through its segments) and every registered reference in a
 * table that carries the conversation's id (renditions, clips, offline files, and whatever a feature registers later).
 */
export async function conversationObjects(ex: Executor, conversationId: string, refs: readonly BlobReference[]): Promise<HeldObject[]> {
  const out = new Map<string, HeldObject>();
  const streams = await ex
    .selectFrom('streams as s')
    .innerJoin('segments as g', 'g.id', 's.segment_id')
    .select(['s.blob_id', 's.kind'])
    .where('g.conversation_id', '=', conversationId)
    .where('s.blob_id', 'is not', null)
    .execute();
  for (const s of streams) out.set(s.blob_id!, { blobId: s.blob_id!, kind: `stream:${s.kind}` });
  const withConversation = await tablesWithColumn(ex, 'conversation_id');
  for (const r of refs) {
    if (!withConversation.has(r.table)) continue;
    const rows = await sql<{
      id: string | null;
    }>`select ${sql.ref(r.column)} as id from ${sql.table(r.table)} where conversation_id = ${conversationId} and ${sql.ref(r.column)} is not null`.execute(ex);
    for (const row of rows.rows) if (row.id && !out.has(row.id)) out.set(row.id, { blobId: row.id, kind: `${r.table}.${r.column}` });
  }
  return [...out.values()];
}

export const blobRows = (ex: Executor, tenantId: string, ids: string[]) =>
  ids.length
    ? ex.selectFrom('blobs').select(['id', 'sha256', 'size', 'storage_key']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()
    : Promise.resolve([]);

/** Crypto-shred: the row holds the object's wrapped data key, so once it is gone the object cannot be decrypted. */
export const deleteBlobRows = (ex: Executor, tenantId: string, ids: string[]) =>
  ids.length ? ex.deleteFrom('blobs').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute() : Promise.resolve([]);

/** Clears the media of a conversation while its record stays: streams, renditions, clips and offline files lose their objects. */
export async function detachMedia(ex: Executor, conversationId: string, now: string) {
  const segmentIds = ex.selectFrom('segments').select('id').where('conversation_id', '=', conversationId);
  await ex
    .updateTable('streams')
    .set({ blob_id: null, status: 'deleted', status_reason: 'The media was deleted' })
    .where('segment_id', 'in', segmentIds)
    .execute();
  await ex
    .updateTable('stream_renditions')
    .set({ pcm_blob_id: null, peaks_blob_id: null, redacted_pcm_blob_id: null, status: 'deleted', reason: 'The media was deleted' })
    .where('conversation_id', '=', conversationId)
    .execute();
  await ex
    .updateTable('moments')
    .set({ clip_blob_id: null, redacted_clip_blob_id: null, status: 'failed', reason: 'The media was deleted', updated_at: now })
    .where('conversation_id', '=', conversationId)
    .execute();
  await ex
    .updateTable('moment_shares')
    .set({ revoked_at: now })
    .where('moment_id', 'in', ex.selectFrom('moments').select('id').where('conversation_id', '=', conversationId))
    .where('revoked_at', 'is', null)
    .execute();
  await ex.updateTable('offline_interactions').set({ file_blob_id: null }).where('conversation_id', '=', conversationId).execute();
}

/**
 * Tables that keep their rows when a conversation goes: the deletion's own record and a hold's history, and where the
 * daily counts last counted it (src/reports: the refresh queued with the deletion reads it, then removes it).
 */
const KEEP = new Set(['deletions', 'legal_hold_conversations', 'audit_events', 'jobs', 'conversation_daily_members']);

/**
 * Removes the conversation and every row hanging off it, children first: the quality tables (no cascade), then any
 * other table with a conversation_id column (features added later included), then the conversation, whose cascade
 * takes segments, streams, participants, tags, comments, transcripts, insights, search documents and the rest.
 */
export async function deleteConversationRows(ex: Executor, conversationId: string) {
  const evaluations = ex.selectFrom('evaluations').select('id').where('conversation_id', '=', conversationId);
  const moments = ex.selectFrom('moments').select('id').where('conversation_id', '=', conversationId);
  await ex.deleteFrom('moment_shares').where('moment_id', 'in', moments).execute();
  await ex.deleteFrom('moments').where('conversation_id', '=', conversationId).execute();
  await ex.deleteFrom('evaluation_revisions').where('evaluation_id', 'in', evaluations).execute();
  await ex.deleteFrom('evaluation_comments').where('evaluation_id', 'in', evaluations).execute();
  await ex.deleteFrom('evaluation_disputes').where('evaluation_id', 'in', evaluations).execute();
  await ex.deleteFrom('evaluations').where('conversation_id', '=', conversationId).execute();
  await ex.deleteFrom('calibrations').where('conversation_id', '=', conversationId).execute();
  await ex.deleteFrom('offline_interactions').where('conversation_id', '=', conversationId).execute();
  await ex.deleteFrom('search_docs').where('conversation_id', '=', conversationId).execute();
  const known = new Set(['conversations', 'moments', 'evaluations', 'calibrations', 'offline_interactions', 'search_docs']);
  for (const table of await tablesWithColumn(ex, 'conversation_id')) {
    if (KEEP.has(table) || known.has(table)) continue;
    await sql`delete from ${sql.table(table)} where conversation_id = ${conversationId}`.execute(ex);
  }
  // Segments first: streams reference blobs without a cascade, and the blob rows go right after.
  await ex.deleteFrom('segments').where('conversation_id', '=', conversationId).execute();
  await ex.deleteFrom('conversations').where('id', '=', conversationId).execute();
}

const columnCache = new WeakMap<object, Map<string, Set<string>>>();

/** Tables (not views) that have a column of this name; read once per database. */
async function tablesWithColumn(ex: Executor, column: string): Promise<Set<string>> {
  const key = (ex as unknown as { getExecutor(): { adapter: object } }).getExecutor().adapter;
  let byColumn = columnCache.get(key);
  if (!byColumn) columnCache.set(key, (byColumn = new Map()));
  const hit = byColumn.get(column);
  if (hit) return hit;
  const tables = await ex.introspection.getTables();
  const set = new Set(tables.filter((t) => !t.isView && t.columns.some((c) => c.name === column)).map((t) => t.name));
  byColumn.set(column, set);
  return set;
}

export async function objectCounts(ex: Executor, deletionIds: string[]): Promise<Map<string, number>> {
  if (!deletionIds.length) return new Map();
  const rows = await ex
    .selectFrom('deleted_blobs')
    .select(['deletion_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deletion_id', 'in', deletionIds)
    .groupBy('deletion_id')
    .execute();
  return new Map(rows.map((r) => [r.deletion_id, Number(r.n)]));
}

/** Values of a blob reference column with no blob row (at most `limit`). */
export async function danglingReferences(ex: Executor, ref: BlobReference, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`select distinct r.${sql.ref(ref.column)} as id from ${sql.table(ref.table)} r
    where r.${sql.ref(ref.column)} is not null and not exists (select 1 from blobs b where b.id = r.${sql.ref(ref.column)}) limit ${limit}`.execute(ex);
  return rows.rows.map((r) => r.id);
}

export const unremovedObjects = (ex: Executor, limit: number) =>
  ex.selectFrom('deleted_blobs').select(['blob_id', 'storage_key']).where('removed_at', 'is', null).orderBy('blob_id').limit(limit).execute();
