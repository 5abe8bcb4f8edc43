// All SQL of evaluations: the rows, their submitted revisions, timestamped comments, the review lists and the queue of
// reminders. Visibility of a list is one WHERE condition (evaluationVisibleTo) so lists, the conversation's review
// history and the Reviewed column agree with what GET /api/evaluations/:id allows.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Database, EvaluationCommentsTable, EvaluationRevisionsTable, EvaluationsTable } from '../../platform/db/schema.ts';

export const insertEvaluations = (db: Executor, rows: EvaluationsTable[]) =>
  rows.length ? db.insertInto('evaluations').values(rows).execute() : Promise.resolve([]);

export const getEvaluation = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('evaluations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

/** The row locked for its read-modify-write (PostgreSQL; SQLite serialises writers). */
export const lockEvaluation = (db: Executor, adapter: DialectAdapter, tenantId: string, id: string) =>
  adapter.lockForUpdate(db.selectFrom('evaluations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)).executeTakeFirst();

/** Whether an evaluation belongs to a calibration session that is closed (its scores are final). */
export async function inClosedCalibration(db: Executor, calibrationId: string | null): Promise<boolean> {
  if (!calibrationId) return false;
  const k = await db.selectFrom('calibrations').select('status').where('id', '=', calibrationId).executeTakeFirst();
  return k?.status === 'closed';
}

export const updateEvaluation = (db: Executor, id: string, patch: Partial<EvaluationsTable>) =>
  db.updateTable('evaluations').set(patch).where('id', '=', id).execute();

/** Sets reminded_at unless another worker reminded it since `cutoff`; true when this call claimed it. */
export async function claimReminder(db: Executor, id: string, now: string, cutoff: string) {
  const r = await db
    .updateTable('evaluations')
    .set({ reminded_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<=', cutoff)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** An open evaluation of the same review by the same evaluator (so "Review now" twice opens one draft). */
export const findOpen = (db: Executor, k: { tenantId: string; conversationId: string; agentUserId: string; scorecardId: string; evaluatorId: string }) =>
  db
    .selectFrom('evaluations')
    .selectAll()
    .where('tenant_id', '=', k.tenantId)
    .where('conversation_id', '=', k.conversationId)
    .where('agent_user_id', '=', k.agentUserId)
    .where('scorecard_id', '=', k.scorecardId)
    .where('evaluator_user_id', '=', k.evaluatorId)
    .where('kind', '=', 'review')
    .where('status', 'in', ['planned', 'draft'])
    .orderBy('created_at')
    .executeTakeFirst();

export const insertRevision = (db: Executor, row: EvaluationRevisionsTable) => db.insertInto('evaluation_revisions').values(row).execute();
export const revisionsOf = (db: Executor, evaluationId: string) =>
  db.selectFrom('evaluation_revisions').selectAll().where('evaluation_id', '=', evaluationId).orderBy('revision').execute();

export const insertComment = (db: Executor, row: EvaluationCommentsTable) => db.insertInto('evaluation_comments').values(row).execute();
export const commentsOf = (db: Executor, evaluationId: string) =>
  db
    .selectFrom('evaluation_comments')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy(sql`coalesce(position_ms, -1)`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const disputesOf = (db: Executor, evaluationId: string) =>
  db.selectFrom('evaluation_disputes').selectAll().where('evaluation_id', '=', evaluationId).orderBy('raised_at').orderBy('id').execute();

/** The open dispute of an evaluation, closed by a re-evaluation. */
export const resolveOpenDisputes = (db: Executor, evaluationId: string, by: string, at: string) =>
  db
    .updateTable('evaluation_disputes')
    .set({ outcome: 'reevaluated', resolved_by: by, resolved_at: at })
    .where('evaluation_id', '=', evaluationId)
    .where('outcome', 'is', null)
    .execute();

export const getCalibrationCreator = (db: Executor, tenantId: string, calibrationId: string) =>
  db.selectFrom('calibrations').select(['created_by', 'status']).where('tenant_id', '=', tenantId).where('id', '=', calibrationId).executeTakeFirst();

/** The first submission of a review marks the conversation reviewed (list column, filter, retention). */
export const markReviewed = (db: Executor, conversationId: string, at: string) =>
  db.updateTable('conversations').set({ reviewed_at: at }).where('id', '=', conversationId).where('reviewed_at', 'is', null).execute();

// People

export const usersOf = (db: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as Array<{ id: string; name: string; group_id: string | null; disabled: number }>)
    : db
        .selectFrom('users')
        .select(['id', 'name', 'group_id', 'disabled'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...new Set(ids)])
        .execute();

/** The users taking part in the conversation as agents (the ones a review can be about). */
export const conversationAgents = (db: Executor, conversationId: string) =>
  db
    .selectFrom('conversation_participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.name'])
    .where('p.conversation_id', '=', conversationId)
    .where('p.role', '=', 'agent')
    .distinct()
    .orderBy('u.name')
    .execute();

/** The tenant's enabled users (candidates for reviewers; the service filters by permission and scope). */
export const enabledUsers = (db: Executor, tenantId: string) =>
  db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('disabled', '=', 0).orderBy('name').orderBy('id').execute();

// Lists

type EB = ExpressionBuilder<Database & { e: Database['evaluations']; ag: Database['users'] }, 'e' | 'ag'>;

/**
 * The evaluations (aliased e, with the agent's user row as ag) the actor may read — the list twin of the service's
 * canRead: their own as evaluator or planner; their own conversations' once submitted (quality.respond); every agent
 * in their scope with quality.view_others. Calibration evaluations are only their evaluator's here (their creator
 * reads them through the calibration).
 */
export function evaluationVisibleTo(actor: Actor) {
  return (eb: EB): Expression<SqlBool> => {
    const ors: Expression<SqlBool>[] = [eb('e.evaluator_user_id', '=', actor.userId)];
    const review = (x: Expression<SqlBool>) => eb.and([eb('e.kind', '=', 'review'), x]);
    ors.push(review(eb('e.planned_by', '=', actor.userId)));
    if (actor.permissions.has('quality.respond')) ors.push(review(eb.and([eb('e.agent_user_id', '=', actor.userId), eb('e.status', '=', 'submitted')])));
    if (actor.permissions.has('quality.view_others')) {
      if (actor.scope.all) ors.push(review(sql<SqlBool>`1 = 1`));
      else if (actor.scope.groupIds.length) ors.push(review(eb('ag.group_id', 'in', actor.scope.groupIds)));
    }
    return eb.and([eb('e.tenant_id', '=', actor.tenantId), eb.or(ors)]);
  };
}

export interface ListFilter {
  actor: Actor;
  queue: 'mine' | 'team' | 'own';
  state: 'todo' | 'overdue' | 'done' | 'all';
  agentId?: string;
  evaluatorId?: string;
  scorecardId?: string;
  conversationId?: string;
  from?: string;
  to?: string;
  now: string;
  offset: number;
  limit: number;
}

/** A page of evaluation summaries with the names and scorecard version lists show. */
export function listEvaluations(db: Executor, f: ListFilter) {
  const me = f.actor.userId;
  let q = db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('scorecards as s', 's.id', 'e.scorecard_id')
    .innerJoin('scorecard_versions as v', 'v.id', 'e.scorecard_version_id')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .leftJoin('users as pl', 'pl.id', 'e.planned_by')
    .selectAll('e')
    .select([
      'c.title as conversation_title',
      'c.started_at as conversation_started_at',
      's.name as scorecard_name',
      'v.version as scorecard_version',
      'ag.name as agent_name',
      'ev.name as evaluator_name',
      'pl.name as planner_name',
    ])
    .where(evaluationVisibleTo(f.actor) as never)
    .where('e.kind', '=', 'review');
  if (f.queue === 'mine') q = q.where('e.evaluator_user_id', '=', me);
  else if (f.queue === 'own') q = q.where('e.agent_user_id', '=', me).where('e.status', '=', 'submitted');
  if (f.state === 'todo') q = q.where('e.status', 'in', ['planned', 'draft']);
  else if (f.state === 'overdue') q = q.where('e.status', 'in', ['planned', 'draft']).where('e.due_at', '<', f.now);
  else if (f.state === 'done') q = q.where('e.status', '=', 'submitted');
  if (f.agentId) q = q.where('e.agent_user_id', '=', f.agentId);
  if (f.evaluatorId) q = q.where('e.evaluator_user_id', '=', f.evaluatorId);
  if (f.scorecardId) q = q.where('e.scorecard_id', '=', f.scorecardId);
  if (f.conversationId) q = q.where('e.conversation_id', '=', f.conversationId);
  // The date a person thinks of: when it was submitted, else when it is due, else when it was made.
  const when = sql<string>`coalesce(e.submitted_at, e.due_at, e.created_at)`;
  if (f.from) q = q.where(when, '>=', f.from);
  if (f.to) q = q.where(when, '<', f.to);
  q =
    f.state === 'todo' || f.state === 'overdue'
      ? // Soonest due first; undated work after the dated.
        q
          .orderBy(sql`case when e.due_at is null then 1 else 0 end`)
          .orderBy('e.due_at')
          .orderBy('e.created_at')
      : q.orderBy(when, 'desc');
  return q.orderBy('e.id').offset(f.offset).limit(f.limit).execute();
}
export type EvaluationListRow = Awaited<ReturnType<typeof listEvaluations>>[number];

/** One evaluation with the names lists show (the same row shape as listEvaluations). */
export const getEvaluationRow = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('evaluations as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .innerJoin('scorecards as s', 's.id', 'e.scorecard_id')
    .innerJoin('scorecard_versions as v', 'v.id', 'e.scorecard_version_id')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .leftJoin('users as ev', 'ev.id', 'e.evaluator_user_id')
    .leftJoin('users as pl', 'pl.id', 'e.planned_by')
    .selectAll('e')
    .select([
      'c.title as conversation_title',
      'c.started_at as conversation_started_at',
      's.name as scorecard_name',
      'v.version as scorecard_version',
      'v.definition as definition',
      'ag.name as agent_name',
      'ag.group_id as agent_group_id',
      'ev.name as evaluator_name',
      'pl.name as planner_name',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.id', '=', id)
    .executeTakeFirst();

/** Per conversation: the submitted reviews the actor may read, newest first (the list rows' Reviewed cell). */
export function submittedReviewsOf(db: Executor, actor: Actor, conversationIds: string[]) {
  return db
    .selectFrom('evaluations as e')
    .leftJoin('users as ag', 'ag.id', 'e.agent_user_id')
    .select(['e.id', 'e.conversation_id', 'e.score', 'e.max_score', 'e.percent', 'e.passed', 'e.auto_failed', 'e.submitted_at'])
    .where(evaluationVisibleTo(actor) as never)
    .where('e.kind', '=', 'review')
    .where('e.status', '=', 'submitted')
    .where('e.conversation_id', 'in', conversationIds)
    .orderBy('e.submitted_at', 'desc')
    .orderBy('e.id')
    .execute();
}

/** Open reviews due before `horizon` whose evaluator was not reminded since `cutoff` (every tenant). */
export const dueForReminder = (db: Executor, horizon: string, cutoff: string, limit: number) =>
  db
    .selectFrom('evaluations')
    .select(['id', 'tenant_id', 'evaluator_user_id', 'due_at'])
    .where('kind', '=', 'review')
    .where('status', 'in', ['planned', 'draft'])
    .where('due_at', 'is not', null)
    .where('due_at', '<=', horizon)
    .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<=', cutoff)]))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
