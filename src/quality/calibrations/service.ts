// Calibration sessions (issue 11): a manager has several evaluators score the same conversation and agent with the
// same scorecard version, each on their own evaluation row (kind 'calibration'), so the evaluation form, scoring and
// reports treat them like reviews. Nobody sees the others' scores before submitting their own (or before the session
// is closed); the creator and managers in scope see them as they come in. The result page compares them per question
// and in total (stats.ts).
import type { AppContext } from '../../context.ts';
import { can, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { canViewAny } from '../../conversations/access.ts';
import { getVisible } from '../../conversations/repository.ts';
import { loadVisible } from '../../conversations/service.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { CalibrationsTable } from '../../platform/db/schema.ts';
import { insertEvaluationRows } from '../evaluations/service.ts';
import type { Answers, ScorecardDefinition } from '../model.ts';
import * as repo from './repository.ts';
import type { CalibrationCreate, CalibrationListQuery } from './schemas.ts';
import { calibrationResult, type CalibrationEntry } from './stats.ts';
import { notifyCalibrationAssigned } from './notify.ts';

type Row = CalibrationsTable;

/** Whether `userId` may score the conversation: an active user of the tenant holding "Review" who can see it. */
async function evaluatorProblem(ctx: AppContext, tenantId: string, conversationId: string, userId: string): Promise<string | null> {
  const who = await actorFor(ctx, userId, { ip: null, application: 'system' });
  if (!who || who.tenantId !== tenantId) return 'is not an active user of this organisation';
  if (!can(who, 'quality.review')) return 'does not hold the permission "Review"';
  if (!canViewAny(who) || !(await getVisible(ctx.db, who, conversationId))) return 'cannot see this conversation (group scope)';
  return null;
}

export async function createCalibration(ctx: AppContext, actor: Actor, input: CalibrationCreate) {
  requirePermission(actor, 'quality.calibrate');
  const conv = await loadVisible(ctx, actor, input.conversationId);
  const name = input.name.trim();
  if (!name) throw invalid('The session needs a name', { reason: 'NAME_REQUIRED' });
  if (!(await repo.isAgentOf(ctx.db, conv.id, input.agentUserId)))
    throw invalid('This user is not an agent of the conversation; choose one of its agents', { reason: 'AGENT_NOT_IN_CONVERSATION' });
  const card = await repo.scorecardWithLatest(ctx.db, actor.tenantId, input.scorecardId);
  if (!card) throw notFound('Scorecard', input.scorecardId);
  if (card.archived_at) throw invalid(`The scorecard "${card.name}" is archived; restore it or choose another`, { reason: 'SCORECARD_ARCHIVED' });
  const evaluatorIds = input.evaluatorIds;
  if (new Set(evaluatorIds).size !== evaluatorIds.length) throw invalid('An evaluator is listed twice', { reason: 'DUPLICATE_EVALUATOR' });
  if (evaluatorIds.length < 2) throw invalid('A calibration needs at least two evaluators', { reason: 'TOO_FEW_EVALUATORS' });
  if (evaluatorIds.includes(input.agentUserId)) throw invalid('The agent being evaluated cannot be one of the evaluators', { reason: 'AGENT_AS_EVALUATOR' });
  const referenceUserId = input.referenceUserId ?? null;
  if (referenceUserId && !evaluatorIds.includes(referenceUserId))
    throw invalid('The reference evaluator must be one of the evaluators (their scores are what the others are compared with)', {
      reason: 'REFERENCE_NOT_EVALUATOR',
    });
  const dueAt = input.dueAt ? new Date(input.dueAt).toISOString() : null;
  if (dueAt && Date.parse(dueAt) < Date.now() - 60_000) throw invalid('The due date is in the past', { reason: 'DUE_IN_PAST' });
  const names = new Map((await repo.userNames(ctx.db, actor.tenantId, evaluatorIds)).map((u) => [u.id, u.name]));
  for (const id of evaluatorIds) {
    const problem = await evaluatorProblem(ctx, actor.tenantId, conv.id, id);
    if (problem)
      throw invalid(`${names.get(id) ?? `User ${id}`} ${problem}`, {
        reason: problem.startsWith('cannot see') ? 'EVALUATOR_OUT_OF_SCOPE' : 'EVALUATOR_CANNOT_REVIEW',
        userId: id,
      });
  }

  const now = nowIso();
  const row: Row = {
    id: newId(),
    tenant_id: actor.tenantId,
    name,
    conversation_id: conv.id,
    agent_user_id: input.agentUserId,
    scorecard_id: card.id,
    scorecard_version_id: card.version_id,
    reference_user_id: referenceUserId,
    status: 'open',
    due_at: dueAt,
    created_by: actor.userId,
    created_at: now,
    closed_at: null,
  };
  await inTransaction(ctx.db, async (uow) => {
    await repo.insertCalibration(uow.tx, row);
    // One evaluation row per evaluator, made by the evaluations feature so the form, scoring and reports know them.
    await insertEvaluationRows(
      ctx,
      uow,
      evaluatorIds.map((userId) => ({
        tenantId: actor.tenantId,
        conversationId: conv.id,
        agentUserId: input.agentUserId,
        scorecardId: card.id,
        scorecardVersionId: card.version_id,
        evaluatorUserId: userId,
        kind: 'calibration' as const,
        calibrationId: row.id,
        status: 'planned' as const,
        plannedBy: actor.userId,
        dueAt,
      })),
    );
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'calibration',
        resourceId: row.id,
        action: 'CALIBRATION_CREATE',
        details: `Created calibration "${name}" on conversation ${conv.id} with scorecard "${card.name}" v${card.version} for ${evaluatorIds.length} evaluators (${evaluatorIds.map((id) => names.get(id) ?? id).join(', ')})`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'conversationId', old: null, new: conv.id },
          { field: 'agentUserId', old: null, new: input.agentUserId },
          { field: 'scorecardVersionId', old: null, new: card.version_id },
          { field: 'evaluatorIds', old: null, new: evaluatorIds },
          { field: 'referenceUserId', old: null, new: referenceUserId },
          { field: 'dueAt', old: null, new: dueAt },
        ],
      },
      uow.tx,
    );
    await notifyCalibrationAssigned(ctx, uow, { tenantId: actor.tenantId, calibrationId: row.id, toUserIds: evaluatorIds, actorName: actor.name });
  });
  return getCalibration(ctx, actor, row.id);
}

/** The session if the actor may see it (creator, evaluator, or a calibration manager who sees the conversation); else 404. */
async function loadSession(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.getCalibration(ctx.db, actor.tenantId, id);
  if (!row) throw notFound('Calibration', id);
  const evaluations = await repo.evaluationsOf(ctx.db, id);
  const mine = evaluations.find((e) => e.evaluator_user_id === actor.userId) ?? null;
  const isCreator = row.created_by === actor.userId;
  const managerInScope = can(actor, 'quality.calibrate') && canViewAny(actor) && (await getVisible(ctx.db, actor, row.conversation_id)) !== undefined;
  if (!isCreator && !mine && !managerInScope) throw notFound('Calibration', id);
  // An evaluator of this session scores blind, even one who could manage it (the Evaluator role may calibrate too).
  return { row, evaluations, mine, canManage: isCreator || (managerInScope && !mine) };
}

export async function getCalibration(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'quality.calibrate', 'quality.review');
  const { row, evaluations: rows, mine, canManage } = await loadSession(ctx, actor, id);
  // The reference first, then by name: a stable order for the tables and the results.
  const evaluations = [...rows].sort(
    (a, b) =>
      Number(b.evaluator_user_id === row.reference_user_id) - Number(a.evaluator_user_id === row.reference_user_id) ||
      (a.evaluator_name ?? '').localeCompare(b.evaluator_name ?? '') ||
      a.id.localeCompare(b.id),
  );
  const [version, card, people, conv] = await Promise.all([
    repo.versionById(ctx.db, row.scorecard_version_id),
    repo.scorecardName(ctx.db, row.scorecard_id),
    repo.userNames(ctx.db, actor.tenantId, [row.agent_user_id, row.created_by, ...(row.reference_user_id ? [row.reference_user_id] : [])]),
    ctx.db.selectFrom('conversations').select(['id', 'title', 'started_at']).where('id', '=', row.conversation_id).executeTakeFirst(),
  ]);
  const nameOf = (uid: string) => people.find((p) => p.id === uid)?.name ?? null;
  const definition = ctx.adapter.fromJson<ScorecardDefinition>(version!.definition);
  // A score submitted after the session was closed is left out: by then the others' scores were visible to everyone.
  const submitted = evaluations.filter((e) => e.status === 'submitted' && (!row.closed_at || String(e.submitted_at) <= String(row.closed_at)));
  let resultsHiddenReason: string | null = null;
  if (row.status !== 'closed' && (mine ? mine.status !== 'submitted' : !canManage))
    resultsHiddenReason = 'Submit your own evaluation first: the others’ scores show once you have (or when the session is closed).';
  const resultsVisible = resultsHiddenReason === null;
  const entries: CalibrationEntry[] = submitted.map((e) => ({
    userId: e.evaluator_user_id,
    name: e.evaluator_name ?? e.evaluator_user_id,
    answers: (ctx.adapter.fromJson<Answers>(e.answers) ?? {}) as Answers,
    percent: Number(e.percent ?? 0),
    score: Number(e.score ?? 0),
    passed: e.passed === null ? null : Boolean(e.passed),
    autoFailed: Boolean(e.auto_failed),
  }));
  return {
    ...summaryOf(row, {
      conversationTitle: conv?.title ?? null,
      conversationStartedAt: conv?.started_at ?? null,
      agentName: nameOf(row.agent_user_id),
      createdByName: nameOf(row.created_by),
      scorecardName: card?.name ?? '',
      evaluations,
      userId: actor.userId,
    }),
    scorecard: { id: row.scorecard_id, name: card?.name ?? '', version: Number(version!.version), versionId: version!.id, definition },
    reference: row.reference_user_id
      ? { id: row.reference_user_id, name: evaluations.find((e) => e.evaluator_user_id === row.reference_user_id)?.evaluator_name ?? null }
      : null,
    participants: evaluations.map((e) => ({
      userId: e.evaluator_user_id,
      name: e.evaluator_name ?? null,
      evaluationId: e.id,
      status: e.status,
      submittedAt: e.submitted_at,
      reference: e.evaluator_user_id === row.reference_user_id,
      percent: resultsVisible || e.evaluator_user_id === actor.userId ? (e.percent === null ? null : Number(e.percent)) : null,
    })),
    resultsVisible,
    resultsHiddenReason,
    results: resultsVisible ? calibrationResult(definition, entries, row.reference_user_id) : null,
    canManage,
  };
}

function summaryOf(
  row: Row,
  x: {
    conversationTitle: string | null;
    conversationStartedAt: string | null;
    agentName: string | null;
    createdByName: string | null;
    scorecardName: string;
    evaluations: Array<{ id: string; evaluator_user_id: string; status: string }>;
    userId: string;
  },
) {
  const mine = x.evaluations.find((e) => e.evaluator_user_id === x.userId);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    conversation: { id: row.conversation_id, title: x.conversationTitle, startedAt: x.conversationStartedAt },
    agent: { id: row.agent_user_id, name: x.agentName },
    scorecard: { id: row.scorecard_id, name: x.scorecardName },
    createdBy: { id: row.created_by, name: x.createdByName },
    createdAt: row.created_at,
    dueAt: row.due_at,
    closedAt: row.closed_at,
    evaluators: x.evaluations.length,
    submitted: x.evaluations.filter((e) => e.status === 'submitted').length,
    myEvaluationId: mine?.id ?? null,
    myStatus: mine?.status ?? null,
  };
}

export async function listCalibrations(ctx: AppContext, actor: Actor, query: CalibrationListQuery) {
  requirePermission(actor, 'quality.calibrate', 'quality.review');
  const limit = query.limit ?? 50;
  const rows = await repo.listCalibrations(ctx.db, actor, {
    status: query.status ?? 'all',
    inScope: can(actor, 'quality.calibrate') && canViewAny(actor),
    limit,
    before: query.cursor ?? null,
  });
  const page = rows.slice(0, limit);
  const evals = await repo.evaluationsOfMany(
    ctx.db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) =>
      summaryOf(r, {
        conversationTitle: r.conversation_title,
        conversationStartedAt: r.conversation_started_at,
        agentName: r.agent_name,
        createdByName: r.created_by_name,
        scorecardName: r.scorecard_name,
        evaluations: evals.filter((e) => e.calibration_id === r.id),
        userId: actor.userId,
      }),
    ),
    nextCursor: rows.length > limit && last ? `${last.created_at}|${last.id}` : null,
  };
}

/** Closing shows every evaluator the results and ends the session; evaluations not submitted by then stay out of them. */
export async function setCalibrationStatus(ctx: AppContext, actor: Actor, id: string, status: 'open' | 'closed') {
  requirePermission(actor, 'quality.calibrate');
  const { row, canManage } = await loadSession(ctx, actor, id);
  if (!canManage) throw new DomainError('FORBIDDEN', 'Only the session’s creator or a calibration manager who sees the conversation can close or reopen it');
  if (row.status === status)
    throw new DomainError('CONFLICT', `The session is already ${status}`, { reason: status === 'closed' ? 'ALREADY_CLOSED' : 'ALREADY_OPEN' });
  const closedAt = status === 'closed' ? nowIso() : null;
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateCalibration(tx, id, { status, closed_at: closedAt });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'calibration',
        resourceId: id,
        action: status === 'closed' ? 'CALIBRATION_CLOSE' : 'CALIBRATION_REOPEN',
        details: `${status === 'closed' ? 'Closed' : 'Reopened'} calibration "${row.name}"`,
        changes: [
          { field: 'status', old: row.status, new: status },
          { field: 'closedAt', old: row.closed_at, new: closedAt },
        ],
      },
      tx,
    );
  });
  return getCalibration(ctx, actor, id);
}
