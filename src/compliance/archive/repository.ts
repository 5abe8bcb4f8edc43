// SQL of archiving: the tenant's archive settings, its targets, the copies (items) and the recordings still to copy.
import type { Executor } from '../../platform/db/index.ts';
import type { ArchiveConfigsTable, ArchiveItemsTable, ArchiveTargetsTable } from '../../platform/db/schema.ts';

export const getConfig = (db: Executor, tenantId: string) => db.selectFrom('archive_configs').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();

export async function upsertConfig(db: Executor, row: ArchiveConfigsTable) {
  const { tenant_id, ...rest } = row;
  await db
    .insertInto('archive_configs')
    .values(row)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(rest))
    .execute();
}

export const enabledTenants = (db: Executor) => db.selectFrom('archive_configs').selectAll().where('enabled', '=', 1).orderBy('tenant_id').execute();

export const liveTargets = (db: Executor, tenantId: string) =>
  db.selectFrom('archive_targets').selectAll().where('tenant_id', '=', tenantId).where('retired_at', 'is', null).orderBy('role').execute();

export const liveTarget = (db: Executor, tenantId: string, role: string) =>
  db.selectFrom('archive_targets').selectAll().where('tenant_id', '=', tenantId).where('role', '=', role).where('retired_at', 'is', null).executeTakeFirst();

export const insertTarget = (db: Executor, row: ArchiveTargetsTable) => db.insertInto('archive_targets').values(row).execute();

export const updateTarget = (db: Executor, id: string, patch: Partial<ArchiveTargetsTable>) =>
  db.updateTable('archive_targets').set(patch).where('id', '=', id).execute();

/** Items per status and the latest copy, for each target. */
export async function countsOf(db: Executor, targetIds: string[]) {
  if (!targetIds.length) return [];
  return db
    .selectFrom('archive_items')
    .select((eb) => ['target_id', 'status', eb.fn.countAll<number>().as('n'), eb.fn.max('archived_at').as('last')])
    .where('target_id', 'in', targetIds)
    .groupBy(['target_id', 'status'])
    .execute();
}

/**
 * Stored recordings of the tenant (one row per stored object: a stereo file carries two party streams) that this
 * target has no item for yet, oldest first: media still present, call and screen segments, made since `since` (null:
 * every one).
 */
export function uncopied(db: Executor, tenantId: string, targetId: string, since: string | null, limit: number) {
  let q = db
    .selectFrom('streams as s')
    .innerJoin('segments as g', 'g.id', 's.segment_id')
    .innerJoin('conversations as c', 'c.id', 'g.conversation_id')
    .select(['s.blob_id', 'g.id as segment_id', 'c.id as conversation_id'])
    .select((eb) => eb.fn.min('c.created_at').as('created_at'))
    .where('c.tenant_id', '=', tenantId)
    .where('s.blob_id', 'is not', null)
    .where('s.status', '=', 'ok')
    .where('c.media_state', 'is', null)
    .where('g.kind', 'in', ['call', 'screen'])
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('archive_items as i').select('i.id').where('i.target_id', '=', targetId).whereRef('i.blob_id', '=', 's.blob_id'))),
    );
  if (since) q = q.where('c.created_at', '>=', since);
  return q.groupBy(['s.blob_id', 'g.id', 'c.id']).orderBy('created_at').orderBy('s.blob_id').limit(limit).execute() as Promise<
    Array<{ blob_id: string; segment_id: string; conversation_id: string; created_at: string }>
  >;
}

export async function insertItems(db: Executor, rows: ArchiveItemsTable[]) {
  if (!rows.length) return;
  await db
    .insertInto('archive_items')
    .values(rows)
    .onConflict((oc) => oc.columns(['target_id', 'blob_id']).doNothing())
    .execute();
}

/** Items to copy now: pending ones whose back-off has passed, and those a crash left half-way (`uploading`). */
export const dueItems = (db: Executor, targetId: string, now: string, limit: number) =>
  db
    .selectFrom('archive_items')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('status', 'in', ['pending', 'uploading'])
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();

export const countDue = async (db: Executor, targetIds: string[], now: string) =>
  targetIds.length
    ? Number(
        (
          await db
            .selectFrom('archive_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('target_id', 'in', targetIds)
            .where('status', 'in', ['pending', 'uploading'])
            .where('next_attempt_at', '<=', now)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;

export const getItem = (db: Executor, id: string) => db.selectFrom('archive_items').selectAll().where('id', '=', id).executeTakeFirst();

export const updateItem = (db: Executor, id: string, patch: Partial<ArchiveItemsTable>) =>
  db.updateTable('archive_items').set(patch).where('id', '=', id).execute();

export async function retryFailed(db: Executor, tenantId: string, now: string) {
  const r = await db
    .updateTable('archive_items')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

function itemsWithContext(db: Executor, tenantId: string) {
  return db
    .selectFrom('archive_items as i')
    .innerJoin('archive_targets as t', 't.id', 'i.target_id')
    .leftJoin('conversations as c', 'c.id', 'i.conversation_id')
    .selectAll('i')
    .select(['t.kind', 't.settings', 't.retired_at', 'c.title as conversation_title', 'c.started_at as conversation_started_at'])
    .where('i.tenant_id', '=', tenantId);
}

/** Transfers, most recently changed first, keyset-paged on (updated_at, id). */
export function listItems(
  db: Executor,
  tenantId: string,
  f: { status: string | null; role: string | null; conversationId: string | null; limit: number; before: string | null },
) {
  let q = itemsWithContext(db, tenantId);
  if (f.status) q = q.where('i.status', '=', f.status);
  if (f.role) q = q.where('i.role', '=', f.role);
  if (f.conversationId) q = q.where('i.conversation_id', '=', f.conversationId);
  if (f.before) {
    const [at, id] = f.before.split('|');
    q = q.where((eb) => eb.or([eb('i.updated_at', '<', at!), eb.and([eb('i.updated_at', '=', at!), eb('i.id', '<', id!)])]));
  }
  return q
    .orderBy('i.updated_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(f.limit + 1)
    .execute();
}

export const itemsOfConversation = (db: Executor, tenantId: string, conversationId: string) =>
  itemsWithContext(db, tenantId).where('i.conversation_id', '=', conversationId).orderBy('i.role').orderBy('i.created_at').execute();

// ---- what a copy carries --------------------------------------------------------------------------------------

export const conversationOf = (db: Executor, id: string) =>
  db
    .selectFrom('conversations as c')
    .leftJoin('groups as g', 'g.id', 'c.group_id')
    .leftJoin('users as u', 'u.id', 'c.agent_user_id')
    .select([
      'c.id',
      'c.tenant_id',
      'c.title',
      'c.direction',
      'c.started_at',
      'c.ended_at',
      'c.media_state',
      'c.anonymized_at',
      'g.name as group_name',
      'u.name as agent_name',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();

export const segmentOf = (db: Executor, id: string) =>
  db
    .selectFrom('segments as s')
    .leftJoin('users as u', 'u.id', 's.agent_user_id')
    .selectAll('s')
    .select('u.name as agent_name')
    .where('s.id', '=', id)
    .executeTakeFirst();

export const participantsOf = (db: Executor, conversationId: string) =>
  db.selectFrom('conversation_participants').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();

/** The participant each of a segment's party keys stands for (a transfer's legs reuse keys). */
export const segmentParties = (db: Executor, segmentId: string) => db.selectFrom('segment_parties').selectAll().where('segment_id', '=', segmentId).execute();

export const streamsOfSegment = (db: Executor, segmentId: string) =>
  db.selectFrom('streams').selectAll().where('segment_id', '=', segmentId).orderBy('created_at').orderBy('id').execute();

export const blobRow = (db: Executor, id: string) =>
  db.selectFrom('blobs').select(['id', 'size', 'sha256', 'content_type']).where('id', '=', id).executeTakeFirst();

/** The stored recordings (one row per stored object) of these conversations, for queueing them by hand (the demo). */
export const storedObjectsOf = (db: Executor, conversationIds: string[]) =>
  conversationIds.length
    ? db
        .selectFrom('streams as s')
        .innerJoin('segments as g', 'g.id', 's.segment_id')
        .select(['s.blob_id', 'g.id as segment_id', 'g.conversation_id'])
        .distinct()
        .where('g.conversation_id', 'in', conversationIds)
        .where('s.blob_id', 'is not', null)
        .where('s.status', '=', 'ok')
        .where('g.kind', 'in', ['call', 'screen'])
        .execute()
    : Promise.resolve([]);

/** A retired target's copies still to do will never be made there: they say so instead of waiting forever. */
export const skipOpenItems = (db: Executor, targetId: string, reason: string, now: string) =>
  db
    .updateTable('archive_items')
    .set({ status: 'skipped', last_error: reason, updated_at: now })
    .where('target_id', '=', targetId)
    .where('status', 'in', ['pending', 'uploading', 'failed'])
    .execute();

/** A copy still to make: one recording (a stored object of a conversation) for one target. */
export function pendingItem(
  target: { id: string; tenant_id: string; role: string },
  o: { conversation_id: string; segment_id: string; blob_id: string },
  now: string,
  id: string,
): ArchiveItemsTable {
  return {
    id,
    tenant_id: target.tenant_id,
    target_id: target.id,
    role: target.role,
    conversation_id: o.conversation_id,
    segment_id: o.segment_id,
    blob_id: o.blob_id,
    path: '',
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    last_error: null,
    size: null,
    sha256: null,
    sidecar_sha256: null,
    encrypted: 0,
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
}
