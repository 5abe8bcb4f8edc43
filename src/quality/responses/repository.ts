// All SQL of the agents' responses to evaluations: acknowledging, disputing, re-affirming, the lists of results and
// disputes, and the auto-acknowledge sweep.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { EvaluationCommentsTable, EvaluationDisputesTable, EvaluationsTable } from '../../platform/db/schema.ts';

/** An evaluation with what the response rules need: the agent's group (scope) and the names shown. */
export function getEvaluation(db: Executor, tenantId: string, id: string) {
  return db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .select([
      'e.id',
      'e.tenant_id',
      'e.kind',
      'e.status',
      'e.response_status',
      'e.revision',
      'e.agent_user_id',
      'e.evaluator_user_id',
      'e.planned_by',
      'e.conversation_id',
      'e.acknowledged_at',
      'e.submitted_at',
      'c.title as conversation_title',
      'ag.group_id as agent_group_id',
      'ag.name as agent_name',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** Sets the response only if it is still what the caller read: a concurrent response makes this a no-op (false). */
export async function setResponse(db: Executor, id: string, expected: string, patch: Partial<EvaluationsTable>): Promise<boolean> {
  const r = await db
    .updateTable('evaluations')
    .set(patch)
    .where('id', '=', id)
    .where('response_status', '=', expected)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const insertDispute = (db: Executor, row: EvaluationDisputesTable) => db.insertInto('evaluation_disputes').values(row).execute();
export const insertComment = (db: Executor, row: EvaluationCommentsTable) => db.insertInto('evaluation_comments').values(row).execute();

export const disputeOfRevision = (db: Executor, evaluationId: string, revision: number) =>
  db.selectFrom('evaluation_disputes').select(['id', 'outcome']).where('evaluation_id', '=', evaluationId).where('revision', '=', revision).executeTakeFirst();

export const openDispute = (db: Executor, evaluationId: string) =>
  db
    .selectFrom('evaluation_disputes')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .where('outcome', 'is', null)
    .orderBy('raised_at', 'desc')
    .executeTakeFirst();

export async function resolveDispute(
  db: Executor,
  id: string,
  patch: Pick<EvaluationDisputesTable, 'outcome' | 'resolved_by' | 'resolved_at' | 'resolution_comment'>,
) {
  await db.updateTable('evaluation_disputes').set(patch).where('id', '=', id).where('outcome', 'is', null).execute();
}

/** Enabled users of the tenant with their group and every permission of their roles (to find the agent's managers). */
export function enabledUsersWithRoles(db: Executor, tenantId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select(['u.id', 'u.group_id', 'r.permissions'])
    .where('u.tenant_id', '=', tenantId)
    .where('u.disabled', '=', 0)
    .execute();
}

/** The submitted reviews of the agent's own conversations, newest first. */
export function listResults(db: Executor, actor: Actor, opts: { pending: boolean; limit: number; offset: number; evaluationId?: string }) {
  let q = db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('scorecards as sc', 'sc.id', 'e.scorecard_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .select(resultColumns)
    .where('e.tenant_id', '=', actor.tenantId)
    .where('e.agent_user_id', '=', actor.userId)
    // A self-review is the agent's own work, not a result to respond to.
    .where('e.evaluator_user_id', '!=', actor.userId)
    .where('e.kind', '=', 'review')
    .where('e.status', '=', 'submitted');
  if (opts.pending) q = q.where('e.response_status', 'in', ['none', 'reaffirmed', 'reevaluated', 'disputed']);
  if (opts.evaluationId) q = q.where('e.id', '=', opts.evaluationId);
  return q.orderBy('e.submitted_at', 'desc').orderBy('e.id', 'desc').limit(opts.limit).offset(opts.offset).execute();
}

const resultColumns = [
  'e.id',
  'e.conversation_id',
  'c.title as conversation_title',
  'c.started_at as conversation_started_at',
  'e.scorecard_id',
  'sc.name as scorecard_name',
  'e.agent_user_id',
  'e.evaluator_user_id',
  'ev.name as evaluator_name',
  'e.submitted_at',
  'e.revision',
  'e.score',
  'e.max_score',
  'e.percent',
  'e.passed',
  'e.auto_failed',
  'e.auto_fail_reason',
  'e.response_status',
  'e.acknowledged_at',
  'e.auto_acknowledged',
] as const;

/** The disputes the actor handles: of evaluations they made, or of agents in their scope with quality.view_others. */
export function listDisputes(db: Executor, actor: Actor, opts: { state: 'open' | 'resolved' | 'all'; limit: number; offset: number; disputeId?: string }) {
  let q = db
    .selectFrom('evaluation_disputes as d')
    .innerJoin('evaluations as e', 'e.id', 'd.evaluation_id')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('scorecards as sc', 'sc.id', 'e.scorecard_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .leftJoin('users as rb', 'rb.id', 'd.resolved_by')
    .select([
      ...resultColumns,
      'ag.name as agent_name',
      'ag.group_id as agent_group_id',
      'e.kind',
      'e.status',
      'd.id as dispute_id',
      'd.revision as dispute_revision',
      'd.reason',
      'd.raised_at',
      'd.outcome',
      'd.resolved_by',
      'rb.name as resolved_by_name',
      'd.resolved_at',
      'd.resolution_comment',
    ])
    .where('d.tenant_id', '=', actor.tenantId)
    .where('e.kind', '=', 'review')
    .where((eb) => {
      const ors: Expression<SqlBool>[] = [eb('e.evaluator_user_id', '=', actor.userId)];
      if (actor.permissions.has('quality.view_others')) {
        if (actor.scope.all) ors.push(sql<SqlBool>`1 = 1`);
        else if (actor.scope.groupIds.length) ors.push(eb('ag.group_id', 'in', actor.scope.groupIds));
      }
      return eb.or(ors);
    });
  if (opts.state === 'open') q = q.where('d.outcome', 'is', null);
  if (opts.state === 'resolved') q = q.where('d.outcome', 'is not', null);
  if (opts.disputeId) q = q.where('d.id', '=', opts.disputeId);
  return q
    .orderBy('d.raised_at', opts.state === 'open' ? 'asc' : 'desc')
    .orderBy('d.id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export type DisputeRow = Awaited<ReturnType<typeof listDisputes>>[number];
export type ResultRow = Awaited<ReturnType<typeof listResults>>[number];

/** The latest dispute (by revision) of each evaluation, for the results list. */
export function latestDisputes(db: Executor, evaluationIds: string[]) {
  if (!evaluationIds.length) return Promise.resolve([]);
  return db
    .selectFrom('evaluation_disputes')
    .select(['evaluation_id', 'revision', 'reason', 'raised_at', 'outcome', 'resolved_at', 'resolution_comment'])
    .where('evaluation_id', 'in', evaluationIds)
    .orderBy('raised_at')
    .execute();
}

// ---- auto-acknowledge ---------------------------------------------------------------------------------------------

export const tenantsWithSettings = (db: Executor) => db.selectFrom('tenants').select(['id', 'settings']).execute();

/**
 * Submitted reviews still awaiting the agent's acknowledgement whose time ran out: submitted (or re-evaluated) before
 * `cutoff`, or re-affirmed before it (the clock restarts when a dispute is answered).
 */
export function dueForAutoAcknowledge(db: Executor, tenantId: string, cutoff: string, limit: number) {
  return db
    .selectFrom('evaluations as e')
    .select(['e.id', 'e.response_status', 'e.evaluator_user_id', 'e.planned_by'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.kind', '=', 'review')
    .where('e.status', '=', 'submitted')
    .where('e.acknowledged_at', 'is', null)
    .where('e.submitted_at', '<=', cutoff)
    .where((eb) =>
      eb.or([
        eb('e.response_status', 'in', ['none', 'reevaluated']),
        eb.and([
          eb('e.response_status', '=', 'reaffirmed'),
          eb.not(
            eb.exists(eb.selectFrom('evaluation_disputes as d').select('d.id').whereRef('d.evaluation_id', '=', 'e.id').where('d.resolved_at', '>', cutoff)),
          ),
        ]),
      ]),
    )
    .orderBy('e.submitted_at')
    .limit(limit)
    .execute();
}
