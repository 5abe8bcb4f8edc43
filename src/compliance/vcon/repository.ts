// SQL of vCon exports: the export runs, and what a package reads beside the conversation's own view (stream objects,
// the conversation's audit events, reviews with their scorecard and people).
import type { Actor } from '../../auth/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { VconExportsTable } from '../../platform/db/schema.ts';
import { evaluationVisibleTo } from '../../quality/evaluations/repository.ts';

export const insertExport = (db: Executor, row: VconExportsTable) => db.insertInto('vcon_exports').values(row).execute();

export const getExport = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('vcon_exports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const getExportById = (db: Executor, id: string) => db.selectFrom('vcon_exports').selectAll().where('id', '=', id).executeTakeFirst();

export const updateExport = (db: Executor, id: string, patch: Partial<VconExportsTable>) =>
  db.updateTable('vcon_exports').set(patch).where('id', '=', id).execute();

export const deleteExport = (db: Executor, id: string) => db.deleteFrom('vcon_exports').where('id', '=', id).execute();

export const getExportWithName = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('vcon_exports as x')
    .leftJoin('users as u', 'u.id', 'x.created_by')
    .selectAll('x')
    .select('u.name as created_by_name')
    .where('x.tenant_id', '=', tenantId)
    .where('x.id', '=', id)
    .executeTakeFirst();

/** Newest first; an actor without lifecycle.manage sees their own. */
export function listExports(db: Executor, tenantId: string, onlyBy: string | null, limit: number) {
  let q = db
    .selectFrom('vcon_exports as x')
    .leftJoin('users as u', 'u.id', 'x.created_by')
    .selectAll('x')
    .select('u.name as created_by_name')
    .where('x.tenant_id', '=', tenantId);
  if (onlyBy !== null) q = q.where('x.created_by', '=', onlyBy);
  return q.orderBy('x.created_at', 'desc').orderBy('x.id', 'desc').limit(limit).execute();
}

/** The stored objects of a conversation's streams (the view has no blob ids). */
export async function streamObjects(db: Executor, segmentIds: string[]) {
  if (segmentIds.length === 0) return [];
  return db
    .selectFrom('streams')
    .select(['id', 'segment_id', 'kind', 'party_key', 'channel_index', 'blob_id', 'file_name', 'container', 'channels', 'duration_ms', 'status'])
    .where('segment_id', 'in', segmentIds)
    .orderBy('segment_id')
    .orderBy('channel_index')
    .orderBy('id')
    .execute();
}

/** Every audit event about the conversation, in chain order, with the hashes that link it to the tenant's chain. */
export const auditEventsOf = (db: Executor, tenantId: string, conversationId: string) =>
  db
    .selectFrom('audit_events')
    .select(['id', 'chain', 'seq', 'at', 'initiator_id', 'initiator_name', 'application', 'action', 'details', 'changes', 'prev_hash', 'hash'])
    .where('tenant_id', '=', tenantId)
    .where('resource_type', '=', 'conversation')
    .where('resource_id', '=', conversationId)
    .orderBy('seq')
    .execute();

/** Submitted reviews of the conversation the actor may read, with scorecard, evaluator and agent names. */
export const reviewsOf = (db: Executor, actor: Actor, conversationId: string) =>
  db
    .selectFrom('evaluations as e')
    .leftJoin('scorecards as s', 's.id', 'e.scorecard_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .select([
      'e.id',
      'e.submitted_at',
      'e.score',
      'e.max_score',
      'e.percent',
      'e.passed',
      'e.auto_failed',
      'e.general_comment',
      'e.response_status',
      'e.revision',
      's.name as scorecard_name',
      'ev.name as evaluator_name',
      'ag.name as agent_name',
    ])
    .where(evaluationVisibleTo(actor) as never)
    .where('e.conversation_id', '=', conversationId)
    .where('e.kind', '=', 'review')
    .where('e.status', '=', 'submitted')
    .orderBy('e.submitted_at')
    .orderBy('e.id')
    .execute();
