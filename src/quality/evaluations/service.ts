// Evaluations: a review of one agent in one conversation with one scorecard version, by one evaluator. Created as a
// draft ("Review now") or planned for reviewers with a due date; drafts are saved; submitting checks every required
// answer, scores with the version the evaluation was opened with, writes a revision and marks the conversation
// reviewed. A disputed evaluation can be submitted again (a re-evaluation: a new revision, the history kept).
// Calibration sessions (src/quality/calibrations) make their rows through insertEvaluationRows and use the same form.
import type { AppContext } from '../../context.ts';
import { can, inScope, initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { rolesOfUsers } from '../../auth/repository.ts';
import { isPermission } from '../../auth/permissions.ts';
import * as convRepo from '../../conversations/repository.ts';
import { parseMentions } from '../../conversations/comments/mentions.ts';
import { mentionCandidates } from '../../conversations/comments/repository.ts';
import type { FieldChange } from '../../platform/audit/types.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { EvaluationsTable } from '../../platform/db/schema.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { DomainError, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { questionsOf, type Answers, type AnswerProblem, type Prefill, type ScoreResult, type ScorecardDefinition } from '../model.ts';
import { checkAnswers, scoreEvaluation } from '../scoring.ts';
import { getLatestVersion } from '../scorecards/repository.ts';
import { notifyQuality } from '../notifications.ts';
import { prefillEvaluation } from '../auto/prefill.ts';
import * as repo from './repository.ts';
import {
  PAGE_SIZE,
  type AnswersBody,
  type CommentBody,
  type CreateEvaluation,
  type EvaluationSummary,
  type EvaluationView,
  type ListQuery,
} from './schemas.ts';

const DAY_MS = 24 * 3600_000;

// ---- reading ----------------------------------------------------------------------------------------------------------

type Row = NonNullable<Awaited<ReturnType<typeof repo.getEvaluationRow>>>;

/** Why the actor may read an evaluation, or null. The list condition (repository evaluationVisibleTo) is its SQL twin. */
async function readAccess(ctx: AppContext, actor: Actor, e: Row): Promise<'evaluator' | 'planner' | 'agent' | 'manager' | 'calibrator' | null> {
  if (e.evaluator_user_id === actor.userId) return 'evaluator';
  if (e.kind === 'calibration') {
    // Calibrations are blind: only the evaluator and the session's creator (who compares them) read one.
    const cal = e.calibration_id ? await repo.getCalibrationCreator(ctx.db, actor.tenantId, e.calibration_id) : undefined;
    return cal?.created_by === actor.userId ? 'calibrator' : null;
  }
  if (e.planned_by && e.planned_by === actor.userId) return 'planner';
  if (e.agent_user_id === actor.userId && e.status === 'submitted' && can(actor, 'quality.respond')) return 'agent';
  if (can(actor, 'quality.view_others') && inScope(actor, e.agent_group_id ?? null)) return 'manager';
  return null;
}

async function loadReadable(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.getEvaluationRow(ctx.db, actor.tenantId, id);
  // Someone else's evaluation is "not found": its existence is not the caller's business.
  const access = row && (await readAccess(ctx, actor, row));
  if (!row || !access) throw notFound('Evaluation', id);
  return { row, access };
}

const person = (id: string | null, name: string | null | undefined) => ({ id: id ?? '', name: name ?? 'Unknown user' });
const bool = (v: unknown) => v === 1 || v === true;

function summaryOf(r: repo.EvaluationListRow | Row, now: string): EvaluationSummary {
  const open = r.status !== 'submitted';
  return {
    id: r.id,
    kind: r.kind as EvaluationSummary['kind'],
    calibrationId: r.calibration_id,
    conversation: { id: r.conversation_id, title: r.conversation_title, startedAt: r.conversation_started_at },
    agent: person(r.agent_user_id, r.agent_name),
    evaluator: person(r.evaluator_user_id, r.evaluator_name),
    scorecard: { id: r.scorecard_id, name: r.scorecard_name, version: Number(r.scorecard_version) },
    status: r.status as EvaluationSummary['status'],
    responseStatus: r.response_status as EvaluationSummary['responseStatus'],
    dueAt: r.due_at,
    overdue: open && r.due_at !== null && r.due_at < now,
    plannedBy: r.planned_by ? person(r.planned_by, r.planner_name) : null,
    submittedAt: r.submitted_at,
    revision: Number(r.revision),
    score: r.score === null ? null : Number(r.score),
    maxScore: r.max_score === null ? null : Number(r.max_score),
    percent: r.percent === null ? null : Number(r.percent),
    passed: r.passed === null ? null : bool(r.passed),
    autoFailed: bool(r.auto_failed),
    autoFailReason: r.auto_fail_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The evaluation as the form and the result page read it. */
export async function getEvaluation(ctx: AppContext, actor: Actor, id: string): Promise<EvaluationView> {
  const { row, access } = await loadReadable(ctx, actor, id);
  return viewOf(ctx, actor, row, access);
}

async function viewOf(ctx: AppContext, actor: Actor, row: Row, access: string): Promise<EvaluationView> {
  const [revisions, comments, disputes] = await Promise.all([
    repo.revisionsOf(ctx.db, row.id),
    repo.commentsOf(ctx.db, row.id),
    repo.disputesOf(ctx.db, row.id),
  ]);
  const names = new Map(
    (
      await repo.usersOf(ctx.db, actor.tenantId, [
        ...revisions.map((r) => r.evaluator_user_id),
        ...comments.map((c) => c.author_user_id),
        ...disputes.flatMap((d) => [d.raised_by, d.resolved_by ?? '']),
      ])
    ).map((u) => [u.id, u.name]),
  );
  const def = ctx.adapter.fromJson<ScorecardDefinition>(row.definition);
  const answers = ctx.adapter.fromJson<Answers | null>(row.answers) ?? {};
  const submitted = row.status === 'submitted';
  // The result is recomputed from the stored answers with the pure scorer: the section breakdown is not stored.
  const result: ScoreResult | null = submitted ? scoreEvaluation(def, answers) : null;
  const summary = summaryOf(row, nowIso());
  return {
    ...summary,
    scorecard: { ...summary.scorecard, definition: def },
    answers,
    generalComment: row.general_comment,
    result,
    prefill: ctx.adapter.fromJson<Prefill | null>(row.prefill) ?? null,
    startedAt: row.started_at,
    revisions: revisions.map((r) => ({
      revision: Number(r.revision),
      evaluator: person(r.evaluator_user_id, names.get(r.evaluator_user_id)),
      answers: ctx.adapter.fromJson<Answers>(r.answers),
      generalComment: r.general_comment,
      score: Number(r.score),
      maxScore: Number(r.max_score),
      percent: Number(r.percent),
      passed: r.passed === null ? null : bool(r.passed),
      autoFailed: bool(r.auto_failed),
      submittedAt: r.submitted_at,
    })),
    comments: comments.map((c) => ({
      id: c.id,
      author: person(c.author_user_id, names.get(c.author_user_id)),
      positionMs: c.position_ms === null ? null : Number(c.position_ms),
      body: c.body,
      createdAt: c.created_at,
    })),
    disputes: disputes.map((d) => ({
      id: d.id,
      revision: Number(d.revision),
      raisedBy: person(d.raised_by, names.get(d.raised_by)),
      reason: d.reason,
      raisedAt: d.raised_at,
      outcome: d.outcome,
      resolvedBy: d.resolved_by ? person(d.resolved_by, names.get(d.resolved_by)) : null,
      resolvedAt: d.resolved_at,
      resolutionComment: d.resolution_comment,
    })),
    can: {
      edit: access === 'evaluator' && !submitted,
      reevaluate: submitted && row.response_status === 'disputed' && mayReevaluate(actor, row, access),
      comment: true,
    },
  };
}

/** The evaluator, or a manager who may review and sees the agent, re-scores a disputed evaluation. */
function mayReevaluate(actor: Actor, row: Row, access: string) {
  if (row.kind !== 'review') return false;
  if (access === 'evaluator') return true;
  return access === 'manager' && can(actor, 'quality.review') && row.agent_user_id !== actor.userId;
}

export async function listEvaluations(ctx: AppContext, actor: Actor, q: ListQuery) {
  // A planner without quality.view_others sees in the team queue the reviews they planned (evaluationVisibleTo).
  if (q.queue === 'team') requirePermission(actor, 'quality.view_others', 'quality.plan');
  else if (q.queue === 'own') requirePermission(actor, 'quality.respond');
  else requirePermission(actor, 'quality.review', 'quality.review_self', 'quality.plan', 'quality.calibrate');
  const offset = decodeCursor(q.cursor);
  const limit = q.limit ?? PAGE_SIZE;
  const now = nowIso();
  const rows = await repo.listEvaluations(ctx.db, {
    actor,
    queue: q.queue,
    state: q.state ?? 'all',
    agentId: q.agentId,
    evaluatorId: q.evaluatorId,
    scorecardId: q.scorecardId,
    from: q.from,
    to: q.to,
    now,
    offset,
    limit: limit + 1,
  });
  return {
    items: rows.slice(0, limit).map((r) => summaryOf(r, now)),
    nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null,
  };
}

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw invalid('This list cursor is not one the server gave; start the list again without it', { reason: 'BAD_CURSOR', field: 'cursor' });
  return Number(m[1]);
}

/** The review history of a conversation (the preview pane, the detail page): the reviews the caller may read. */
export async function conversationEvaluations(ctx: AppContext, actor: Actor, conversationId: string) {
  await visibleConversation(ctx, actor, conversationId);
  const now = nowIso();
  // 'team' adds no condition of its own: every review of the conversation the caller may read.
  const all = await repo.listEvaluations(ctx.db, { actor, queue: 'team', state: 'all', conversationId, now, offset: 0, limit: 500 });
  return { items: all.map((r) => summaryOf(r, now)) };
}

/** Per conversation of a list page: whether it was reviewed, and the latest review score the caller may read. */
/** The agents of a conversation a review can be about (the Review dialog's first choice). */
export async function reviewableAgents(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'quality.review', 'quality.review_self', 'quality.plan');
  await visibleConversation(ctx, actor, conversationId);
  return { items: await repo.conversationAgents(ctx.db, conversationId) };
}

/** The users a planner may assign a review of this conversation to: they hold quality.review and see it. */
export async function possibleReviewers(ctx: AppContext, actor: Actor, conversationId: string) {
  requirePermission(actor, 'quality.plan');
  await visibleConversation(ctx, actor, conversationId);
  const users = await repo.enabledUsers(ctx.db, actor.tenantId);
  const roles = await rolesOfUsers(
    ctx.db,
    users.map((u) => u.id),
  );
  const reviewers = new Set(
    roles.filter((r) => ctx.adapter.fromJson<string[]>(r.permissions).some((p) => isPermission(p) && p === 'quality.review')).map((r) => r.user_id),
  );
  const items: Array<{ id: string; name: string }> = [];
  for (const u of users) {
    if (!reviewers.has(u.id)) continue;
    const a = await actorFor(ctx, u.id, { ip: null, application: 'system' });
    if (a && (await convRepo.getVisible(ctx.db, a, conversationId))) items.push({ id: u.id, name: u.name });
  }
  return { items };
}

// ---- creating -----------------------------------------------------------------------------------------------------------

async function visibleConversation(ctx: AppContext, actor: Actor, id: string) {
  const c = await convRepo.getVisible(ctx.db, actor, id);
  if (!c) throw notFound('Conversation', id);
  return c;
}

async function assertAgentTakesPart(ctx: AppContext, conversationId: string, agentUserId: string) {
  const agents = await repo.conversationAgents(ctx.db, conversationId);
  if (!agents.some((a) => a.id === agentUserId)) {
    throw invalid(
      agents.length
        ? `This user is not an agent of the conversation; choose one of: ${agents.map((a) => a.name).join(', ')}`
        : 'No known agent takes part in this conversation, so it cannot be reviewed',
      { reason: 'AGENT_NOT_IN_CONVERSATION', field: 'agentUserId' },
    );
  }
}

async function currentScorecard(ctx: AppContext, tenantId: string, scorecardId: string) {
  const found = await getLatestVersion(ctx.db, tenantId, scorecardId);
  if (!found) throw notFound('Scorecard', scorecardId);
  if (found.scorecard.archived_at) {
    throw new DomainError('CONFLICT', `The scorecard ${found.scorecard.name} is archived; unarchive it or choose another`, { reason: 'SCORECARD_ARCHIVED' });
  }
  return found;
}

/** A new evaluation row with every column at its starting value. */
export interface NewEvaluation {
  tenantId: string;
  conversationId: string;
  agentUserId: string;
  scorecardId: string;
  scorecardVersionId: string;
  evaluatorUserId: string;
  kind: 'review' | 'calibration';
  calibrationId?: string | null;
  status: 'planned' | 'draft';
  plannedBy?: string | null;
  dueAt?: string | null;
  prefill?: Prefill | null;
}

/**
 * Inserts evaluation rows in the caller's transaction and returns their ids (for calibrations: one row per evaluator,
 * kind 'calibration', status 'planned'). No audit and no notification: the caller writes its own.
 */
export async function insertEvaluationRows(ctx: AppContext, uow: Uow, rows: NewEvaluation[]): Promise<string[]> {
  const now = nowIso();
  const made: EvaluationsTable[] = rows.map((r) => ({
    id: newId(),
    tenant_id: r.tenantId,
    conversation_id: r.conversationId,
    agent_user_id: r.agentUserId,
    scorecard_id: r.scorecardId,
    scorecard_version_id: r.scorecardVersionId,
    evaluator_user_id: r.evaluatorUserId,
    kind: r.kind,
    calibration_id: r.calibrationId ?? null,
    status: r.status,
    response_status: 'none',
    planned_by: r.plannedBy ?? null,
    planned_at: r.plannedBy ? now : null,
    due_at: r.dueAt ?? null,
    reminded_at: null,
    started_at: r.status === 'draft' ? now : null,
    submitted_at: null,
    revision: 0,
    answers: ctx.adapter.json({}),
    general_comment: null,
    score: null,
    max_score: null,
    percent: null,
    passed: null,
    auto_failed: 0,
    auto_fail_reason: null,
    prefill: r.prefill ? ctx.adapter.json(r.prefill) : null,
    acknowledged_at: null,
    auto_acknowledged: 0,
    created_at: now,
    updated_at: now,
  }));
  await repo.insertEvaluations(uow.tx, made);
  return made.map((m) => m.id);
}

/** The automated pre-fill of a new draft; a failure leaves it empty rather than failing the review. */
async function computePrefill(ctx: AppContext, tenantId: string, conversationId: string, agentUserId: string, def: ScorecardDefinition, db?: Executor) {
  if (!questionsOf(def).some((q) => q.question.autoRule)) return null;
  try {
    return await prefillEvaluation(ctx, tenantId, conversationId, agentUserId, def, db);
  } catch (err) {
    ctx.log.warn({ err, conversationId }, 'evaluation pre-fill failed; the evaluator answers by hand');
    return null;
  }
}

export async function createEvaluation(ctx: AppContext, actor: Actor, input: CreateEvaluation) {
  if (input.mode === 'plan') return { planned: await planReviews(ctx, actor, input) };
  return { draft: await reviewNow(ctx, actor, input) };
}

async function reviewNow(ctx: AppContext, actor: Actor, input: Extract<CreateEvaluation, { mode: 'now' }>) {
  const self = input.agentUserId === actor.userId;
  if (self) requirePermission(actor, 'quality.review_self');
  else requirePermission(actor, 'quality.review');
  const conv = await visibleConversation(ctx, actor, input.conversationId);
  await assertAgentTakesPart(ctx, conv.id, input.agentUserId);
  const { scorecard, version, definition } = await currentScorecard(ctx, actor.tenantId, input.scorecardId);

  // The same review already open for this evaluator (a draft, or one planned for them) is opened instead of doubled.
  const open = await repo.findOpen(ctx.db, {
    tenantId: actor.tenantId,
    conversationId: conv.id,
    agentUserId: input.agentUserId,
    scorecardId: scorecard.id,
    evaluatorId: actor.userId,
  });
  if (open) {
    await startEvaluation(ctx, actor, open.id);
    return getEvaluation(ctx, actor, open.id);
  }
  const prefill = await computePrefill(ctx, actor.tenantId, conv.id, input.agentUserId, definition);
  const [id] = await inTransaction(ctx.db, async (uow) => {
    const ids = await insertEvaluationRows(ctx, uow, [
      {
        tenantId: actor.tenantId,
        conversationId: conv.id,
        agentUserId: input.agentUserId,
        scorecardId: scorecard.id,
        scorecardVersionId: version.id,
        evaluatorUserId: actor.userId,
        kind: 'review',
        status: 'draft',
        prefill,
      },
    ]);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: ids[0]!,
        action: 'EVALUATION_CREATE',
        details: `Started a ${self ? 'self-' : ''}review of conversation ${conv.title} (${conv.id}) with scorecard ${scorecard.name} v${version.version}`,
        changes: [
          { field: 'conversationId', old: null, new: conv.id },
          { field: 'agentUserId', old: null, new: input.agentUserId },
          { field: 'scorecardVersionId', old: null, new: version.id },
          { field: 'status', old: null, new: 'draft' },
        ],
      },
      uow.tx,
    );
    return ids;
  });
  return getEvaluation(ctx, actor, id!);
}

async function planReviews(ctx: AppContext, actor: Actor, input: Extract<CreateEvaluation, { mode: 'plan' }>) {
  requirePermission(actor, 'quality.plan');
  const conv = await visibleConversation(ctx, actor, input.conversationId);
  await assertAgentTakesPart(ctx, conv.id, input.agentUserId);
  const { scorecard, version } = await currentScorecard(ctx, actor.tenantId, input.scorecardId);
  const due = new Date(input.dueAt);
  if (Number.isNaN(due.getTime())) throw invalid('The due date is not a date', { reason: 'INVALID_DUE_DATE', field: 'dueAt' });
  if (due.getTime() <= Date.now()) throw invalid('The due date is in the past; choose a later one', { reason: 'DUE_IN_PAST', field: 'dueAt' });
  const reviewerIds = [...new Set(input.reviewerIds)];
  const users = new Map((await repo.usersOf(ctx.db, actor.tenantId, reviewerIds)).map((u) => [u.id, u]));
  for (const rid of reviewerIds) {
    const u = users.get(rid);
    const who = await (u && !bool(u.disabled) ? actorFor(ctx, rid, { ip: null, application: 'system' }) : null);
    if (!u || !who) throw invalid(`There is no active user ${rid} to review`, { reason: 'UNKNOWN_REVIEWER', field: 'reviewerIds', reviewerId: rid });
    const self = rid === input.agentUserId;
    if (!can(who, self ? 'quality.review_self' : 'quality.review')) {
      throw invalid(
        `${u.name} may not ${self ? 'review their own conversations' : 'review'} (permission "${self ? 'quality.review_self' : 'quality.review'}")`,
        {
          reason: 'REVIEWER_NOT_ALLOWED',
          field: 'reviewerIds',
          reviewerId: rid,
        },
      );
    }
    // Group scope: a reviewer only gets conversations they may see.
    if (!(await convRepo.getVisible(ctx.db, who, conv.id))) {
      throw invalid(`${u.name} cannot see this conversation (outside their group scope)`, {
        reason: 'REVIEWER_OUT_OF_SCOPE',
        field: 'reviewerIds',
        reviewerId: rid,
      });
    }
    const open = await repo.findOpen(ctx.db, {
      tenantId: actor.tenantId,
      conversationId: conv.id,
      agentUserId: input.agentUserId,
      scorecardId: scorecard.id,
      evaluatorId: rid,
    });
    if (open) {
      throw new DomainError('ALREADY_EXISTS', `${u.name} already has this review to do`, {
        reason: 'ALREADY_ASSIGNED',
        reviewerId: rid,
        evaluationId: open.id,
      });
    }
  }
  const dueAt = due.toISOString();
  const ids = await inTransaction(ctx.db, async (uow) => {
    const made = await insertEvaluationRows(
      ctx,
      uow,
      reviewerIds.map((rid) => ({
        tenantId: actor.tenantId,
        conversationId: conv.id,
        agentUserId: input.agentUserId,
        scorecardId: scorecard.id,
        scorecardVersionId: version.id,
        evaluatorUserId: rid,
        kind: 'review' as const,
        status: 'planned' as const,
        plannedBy: actor.userId,
        dueAt,
      })),
    );
    for (const [i, id] of made.entries()) {
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'evaluation',
          resourceId: id,
          action: 'EVALUATION_PLAN',
          details: `Planned a review of conversation ${conv.title} (${conv.id}) for ${users.get(reviewerIds[i]!)!.name}, due ${dueAt}, with scorecard ${scorecard.name} v${version.version}`,
          changes: [
            { field: 'conversationId', old: null, new: conv.id },
            { field: 'agentUserId', old: null, new: input.agentUserId },
            { field: 'evaluatorUserId', old: null, new: reviewerIds[i] },
            { field: 'scorecardVersionId', old: null, new: version.id },
            { field: 'dueAt', old: null, new: dueAt },
            { field: 'status', old: null, new: 'planned' },
          ],
        },
        uow.tx,
      );
      await notifyQuality(ctx, uow, {
        event: 'evaluation_assigned',
        tenantId: actor.tenantId,
        toUserIds: [reviewerIds[i]!],
        evaluationId: id,
        actorName: actor.name,
      });
    }
    return made;
  });
  return { evaluations: await Promise.all(ids.map((id) => getEvaluation(ctx, actor, id))) };
}

/**
 * The evaluator opens a planned evaluation: it becomes a draft and gets its pre-fill. Opening a draft again does
 * nothing (its pre-fill is what the evaluator already saw).
 */
export async function startEvaluation(ctx: AppContext, actor: Actor, id: string) {
  const { row } = await loadReadable(ctx, actor, id);
  if (row.evaluator_user_id !== actor.userId) throw new DomainError('FORBIDDEN', 'Only its evaluator starts an evaluation', { reason: 'NOT_EVALUATOR' });
  if (row.status !== 'planned') return getEvaluation(ctx, actor, id);
  await visibleConversation(ctx, actor, row.conversation_id);
  const def = ctx.adapter.fromJson<ScorecardDefinition>(row.definition);
  const prefill = await computePrefill(ctx, actor.tenantId, row.conversation_id, row.agent_user_id, def);
  await inTransaction(ctx.db, async ({ tx }) => {
    const now = nowIso();
    const locked = await repo.lockEvaluation(tx, ctx.adapter, actor.tenantId, id);
    if (!locked || locked.status !== 'planned') return;
    await repo.updateEvaluation(tx, id, { status: 'draft', started_at: now, updated_at: now, prefill: prefill ? ctx.adapter.json(prefill) : null });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_START',
        details: `Started the planned review of conversation ${row.conversation_title} (${row.conversation_id})`,
        changes: [{ field: 'status', old: 'planned', new: 'draft' }],
      },
      tx,
    );
  });
  return getEvaluation(ctx, actor, id);
}

// ---- answering ------------------------------------------------------------------------------------------------------------

/** Refuses answers the scorecard version does not accept, naming each question. */
function refuse(problems: AnswerProblem[], def: ScorecardDefinition, mode: 'draft' | 'submit') {
  if (!problems.length) return;
  const text = new Map(questionsOf(def).map((q) => [q.question.id, q.question.text]));
  const required = problems.filter((p) => p.code === 'REQUIRED');
  const other = problems.filter((p) => p.code !== 'REQUIRED');
  if (mode === 'submit' && required.length && !other.length) {
    throw invalid(
      `Answer the required question${required.length > 1 ? 's' : ''} before submitting: ${required.map((p) => text.get(p.questionId) ?? p.questionId).join('; ')}`,
      {
        reason: 'REQUIRED_ANSWERS_MISSING',
        problems,
      },
    );
  }
  throw invalid(other.map((p) => p.message).join('; '), {
    reason: other.some((p) => p.code === 'UNKNOWN_QUESTION') ? 'UNKNOWN_QUESTION' : 'INVALID_ANSWERS',
    problems,
  });
}

/** Answers as stored: trimmed comments, and for proposed questions whether the evaluator kept the proposal. */
function withAutoFlags(answers: Answers, prefill: Prefill | null): Answers {
  const proposed = new Map((prefill?.proposals ?? []).filter((p) => p.available).map((p) => [p.questionId, p.proposed]));
  const out: Answers = {};
  for (const [qid, a] of Object.entries(answers)) {
    const comment = a.comment?.trim();
    // A cleared answer is absent (the model's "blank"), unless it still carries a comment.
    if (!a.na && (a.value === null || a.value === '') && !comment) continue;
    const next = { value: a.na ? null : a.value, ...(a.na ? { na: true } : {}), ...(comment ? { comment } : {}) } as Answers[string];
    if (proposed.has(qid)) {
      const p = proposed.get(qid)!;
      next.auto = { proposed: p, overridden: Boolean(a.na) || String(a.value) !== String(p) };
    }
    out[qid] = next;
  }
  return out;
}

/** Changes of answers for the audit: one entry per question whose answer changed. */
function answerChanges(before: Answers, after: Answers): FieldChange[] {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const show = (a: Answers[string] | undefined) => (a ? { value: a.value, ...(a.na ? { na: true } : {}), ...(a.comment ? { comment: a.comment } : {}) } : null);
  return ids
    .filter((q) => JSON.stringify(show(before[q])) !== JSON.stringify(show(after[q])))
    .map((q) => ({ field: `answers.${q}`, old: show(before[q]), new: show(after[q]) }));
}

async function writableRow(ctx: AppContext, actor: Actor, id: string) {
  const { row, access } = await loadReadable(ctx, actor, id);
  if (access !== 'evaluator') throw new DomainError('FORBIDDEN', 'Only the evaluator fills in an evaluation', { reason: 'NOT_EVALUATOR' });
  await visibleConversation(ctx, actor, row.conversation_id);
  return row;
}

export async function saveDraft(ctx: AppContext, actor: Actor, id: string, body: AnswersBody) {
  // Answering a planned evaluation starts it first: its pre-fill is what an answer is compared with (overrides).
  if ((await writableRow(ctx, actor, id)).status === 'planned') await startEvaluation(ctx, actor, id);
  const row = await writableRow(ctx, actor, id);
  if (row.status === 'submitted')
    throw new DomainError('CONFLICT', 'This evaluation is submitted; its answers no longer change as a draft', { reason: 'ALREADY_SUBMITTED' });
  const def = ctx.adapter.fromJson<ScorecardDefinition>(row.definition);
  refuse(checkAnswers(def, body.answers as Answers, 'draft'), def, 'draft');
  const prefill = ctx.adapter.fromJson<Prefill | null>(row.prefill) ?? null;
  const answers = withAutoFlags(body.answers as Answers, prefill);
  const comment = body.generalComment?.trim() || null;
  await inTransaction(ctx.db, async ({ tx }) => {
    const locked = await repo.lockEvaluation(tx, ctx.adapter, actor.tenantId, id);
    if (!locked || locked.status === 'submitted') throw new DomainError('CONFLICT', 'This evaluation was submitted meanwhile', { reason: 'ALREADY_SUBMITTED' });
    if (await repo.inClosedCalibration(tx, locked.calibration_id)) {
      throw new DomainError('CONFLICT', 'This calibration session is closed; reopen it to change a score', { reason: 'CALIBRATION_CLOSED' });
    }
    const before = ctx.adapter.fromJson<Answers | null>(locked.answers) ?? {};
    const changes = answerChanges(before, answers);
    if (comment !== locked.general_comment) changes.push({ field: 'generalComment', old: locked.general_comment, new: comment });
    if (locked.status === 'planned') changes.push({ field: 'status', old: 'planned', new: 'draft' });
    if (!changes.length) return;
    const now = nowIso();
    await repo.updateEvaluation(tx, id, {
      answers: ctx.adapter.json(answers),
      general_comment: comment,
      status: 'draft',
      started_at: locked.started_at ?? now,
      updated_at: now,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_DRAFT_SAVE',
        details: `Saved the draft review of conversation ${row.conversation_title} (${row.conversation_id}): ${changes.length} change(s)`,
        changes,
      },
      tx,
    );
  });
  return getEvaluation(ctx, actor, id);
}

/**
 * Submits the answers: every required question answered, the score computed with the evaluation's scorecard version,
 * a revision written. A submitted evaluation is submitted again only while disputed: that is a re-evaluation (by
 * the evaluator or a manager who reviews), which closes the dispute as `reevaluated`.
 */
export async function submitEvaluation(ctx: AppContext, actor: Actor, id: string, body: AnswersBody) {
  const first = await loadReadable(ctx, actor, id);
  if (first.row.status === 'planned' && first.access === 'evaluator') await startEvaluation(ctx, actor, id);
  const { row, access } = first.row.status === 'planned' ? await loadReadable(ctx, actor, id) : first;
  const reevaluation = row.status === 'submitted';
  if (reevaluation) {
    if (row.response_status !== 'disputed') {
      throw new DomainError('CONFLICT', 'This evaluation is already submitted; it is scored again only when the agent disputes it', {
        reason: 'ALREADY_SUBMITTED',
      });
    }
    if (!mayReevaluate(actor, row, access))
      throw new DomainError('FORBIDDEN', 'Only the evaluator or a manager who reviews may re-evaluate', { reason: 'NOT_EVALUATOR' });
  } else if (access !== 'evaluator') {
    throw new DomainError('FORBIDDEN', 'Only the evaluator fills in an evaluation', { reason: 'NOT_EVALUATOR' });
  }
  await visibleConversation(ctx, actor, row.conversation_id);
  const def = ctx.adapter.fromJson<ScorecardDefinition>(row.definition);
  refuse(checkAnswers(def, body.answers as Answers, 'submit'), def, 'submit');
  const prefill = ctx.adapter.fromJson<Prefill | null>(row.prefill) ?? null;
  const answers = withAutoFlags(body.answers as Answers, prefill);
  const comment = body.generalComment?.trim() || null;
  const result = scoreEvaluation(def, answers);
  const text = new Map(questionsOf(def).map((q) => [q.question.id, q.question.text]));
  const autoFailReason = result.autoFailed ? `Failed on: ${result.autoFailQuestionIds.map((q) => text.get(q) ?? q).join('; ')}` : null;

  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const locked = await repo.lockEvaluation(tx, ctx.adapter, actor.tenantId, id);
    if (!locked || locked.status !== row.status || locked.response_status !== row.response_status || Number(locked.revision) !== Number(row.revision)) {
      throw new DomainError('CONFLICT', 'This evaluation changed meanwhile; open it again', { reason: 'CHANGED_MEANWHILE' });
    }
    if (await repo.inClosedCalibration(tx, locked.calibration_id)) {
      throw new DomainError('CONFLICT', 'This calibration session is closed; reopen it to change a score', { reason: 'CALIBRATION_CLOSED' });
    }
    const now = nowIso();
    const revision = Number(locked.revision) + 1;
    const before = ctx.adapter.fromJson<Answers | null>(locked.answers) ?? {};
    await repo.updateEvaluation(tx, id, {
      status: 'submitted',
      answers: ctx.adapter.json(answers),
      general_comment: comment,
      score: result.score,
      max_score: result.maxScore,
      percent: result.percent,
      passed: result.passed === null ? null : result.passed ? 1 : 0,
      auto_failed: result.autoFailed ? 1 : 0,
      auto_fail_reason: autoFailReason,
      revision,
      started_at: locked.started_at ?? now,
      submitted_at: now,
      ...(reevaluation ? { response_status: 'reevaluated', acknowledged_at: null, auto_acknowledged: 0 } : {}),
      updated_at: now,
    });
    await repo.insertRevision(tx, {
      id: newId(),
      tenant_id: actor.tenantId,
      evaluation_id: id,
      revision,
      evaluator_user_id: actor.userId,
      answers: ctx.adapter.json(answers),
      general_comment: comment,
      score: result.score,
      max_score: result.maxScore,
      percent: result.percent,
      passed: result.passed === null ? null : result.passed ? 1 : 0,
      auto_failed: result.autoFailed ? 1 : 0,
      submitted_at: now,
    });
    if (locked.kind === 'review') await repo.markReviewed(tx, locked.conversation_id, now);
    if (reevaluation) await repo.resolveOpenDisputes(tx, id, actor.userId, now);
    const changes: FieldChange[] = [
      { field: 'status', old: locked.status, new: 'submitted' },
      { field: 'revision', old: Number(locked.revision), new: revision },
      { field: 'score', old: locked.score === null ? null : Number(locked.score), new: result.score },
      { field: 'percent', old: locked.percent === null ? null : Number(locked.percent), new: result.percent },
      { field: 'passed', old: locked.passed === null ? null : bool(locked.passed), new: result.passed },
      { field: 'autoFailed', old: bool(locked.auto_failed), new: result.autoFailed },
      ...(reevaluation ? [{ field: 'responseStatus', old: locked.response_status, new: 'reevaluated' }] : []),
      ...answerChanges(before, answers),
      ...(comment !== locked.general_comment ? [{ field: 'generalComment', old: locked.general_comment, new: comment }] : []),
    ];
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: reevaluation ? 'EVALUATION_REEVALUATE' : 'EVALUATION_SUBMIT',
        details: `${reevaluation ? 'Re-evaluated' : 'Submitted'} the review of conversation ${row.conversation_title} (${row.conversation_id}): ${result.score}/${result.maxScore} (${result.percent} %)${
          result.passed === null ? '' : result.passed ? ', passed' : ', failed'
        }${autoFailReason ? `; automatic failure — ${autoFailReason}` : ''}`,
        changes,
      },
      tx,
    );
    await publishEvent(ctx, uow, actor.tenantId, 'evaluation.completed', {
      evaluationId: id,
      conversationId: locked.conversation_id,
      agentUserId: locked.agent_user_id,
      score: result.score,
      maxScore: result.maxScore,
      percent: result.percent,
      passed: result.passed,
      reevaluation,
    });
    // The agent hears of their review (not of a self-review, nor of a calibration exercise).
    if (locked.kind === 'review' && locked.agent_user_id !== actor.userId) {
      await notifyQuality(
        ctx,
        uow,
        reevaluation
          ? {
              event: 'dispute_resolved',
              outcome: 'reevaluated',
              tenantId: actor.tenantId,
              toUserIds: [locked.agent_user_id],
              evaluationId: id,
              actorName: actor.name,
            }
          : { event: 'evaluation_submitted', tenantId: actor.tenantId, toUserIds: [locked.agent_user_id], evaluationId: id, actorName: actor.name },
      );
    }
  });
  return getEvaluation(ctx, actor, id);
}

export async function addComment(ctx: AppContext, actor: Actor, id: string, body: CommentBody) {
  const { row } = await loadReadable(ctx, actor, id);
  const text = body.body.trim();
  if (!text) throw invalid('Write something in the comment', { reason: 'EMPTY_COMMENT', field: 'body' });
  const positionMs = body.positionMs ?? null;
  const mentions = await checkMentions(ctx, actor, row, parseMentions(text));
  const commentId = newId();
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    await repo.insertComment(tx, {
      id: commentId,
      tenant_id: actor.tenantId,
      evaluation_id: id,
      author_user_id: actor.userId,
      position_ms: positionMs,
      body: text,
      created_at: now,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_COMMENT_ADD',
        details: `Commented on the review of conversation ${row.conversation_title}${positionMs === null ? '' : ` at ${formatPosition(positionMs)}`}`,
        changes: [
          { field: 'comment', old: null, new: text },
          ...(positionMs === null ? [] : [{ field: 'positionMs', old: null, new: positionMs }]),
          ...(mentions.length ? [{ field: 'mentions', old: null, new: mentions }] : []),
        ],
      },
      tx,
    );
    const to = mentions.filter((u) => u !== actor.userId);
    if (to.length)
      await notifyQuality(ctx, uow, {
        event: 'comment_mention',
        tenantId: actor.tenantId,
        toUserIds: to,
        evaluationId: id,
        actorName: actor.name,
        excerpt: text,
      });
  });
  return { id: commentId, author: { id: actor.userId, name: actor.name }, positionMs, body: text, createdAt: now };
}

/** At most this many people a comment may mention, and the picker offers at once. */
const MENTIONS_MAX = 20;

/** Who may read this evaluation, of these enabled users (as each of them would be let in by loadReadable). */
async function mayRead<U extends { id: string }>(ctx: AppContext, e: Row, users: U[]) {
  const out: U[] = [];
  for (const u of users) {
    const a = await actorFor(ctx, u.id, { ip: null, application: 'system' });
    if (a && (await readAccess(ctx, a, e))) out.push(u);
  }
  return out;
}

/** The mentioned users, each able to read the evaluation: a mention must not show it to someone who may not. */
async function checkMentions(ctx: AppContext, actor: Actor, e: Row, ids: string[]) {
  if (ids.length === 0) return [];
  if (ids.length > MENTIONS_MAX) throw invalid(`A comment may mention at most ${MENTIONS_MAX} people`, { reason: 'TOO_MANY_MENTIONS', field: 'body' });
  const users = await mentionCandidates(ctx.db, ctx.adapter, actor.tenantId, { ids, limit: ids.length });
  const readers = new Set((await mayRead(ctx, e, users)).map((u) => u.id));
  const refused = ids.filter((id) => !readers.has(id));
  if (refused.length) {
    const names = users.filter((u) => refused.includes(u.id)).map((u) => u.name);
    throw invalid(`Only people who can read this evaluation can be mentioned${names.length ? `; ${names.join(', ')} cannot` : ''}`, {
      reason: 'MENTION_CANNOT_READ',
      field: 'body',
      userIds: refused,
    });
  }
  return ids;
}

/** Who the @mention picker offers in an evaluation's comments: enabled users who may read it, matching `q`, by name. */
export async function mentionable(ctx: AppContext, actor: Actor, id: string, q: string | undefined) {
  const { row } = await loadReadable(ctx, actor, id);
  // Read a few times the page: some of the matches may not read the evaluation.
  const candidates = await mentionCandidates(ctx.db, ctx.adapter, actor.tenantId, { q, limit: MENTIONS_MAX * 3 });
  return { items: (await mayRead(ctx, row, candidates)).slice(0, MENTIONS_MAX).map((u) => ({ id: u.id, name: u.name, email: u.email })) };
}

function formatPosition(ms: number) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// ---- reminders ----------------------------------------------------------------------------------------------------------

/**
 * E-mails the evaluators of open planned reviews due within 24 hours or overdue, at most once a day per evaluation
 * (reminded_at). Each reminder is claimed in its own transaction, so two schedulers never send one twice.
 */
export async function sendDueReminders(ctx: AppContext, now = new Date()): Promise<{ reminded: number }> {
  const horizon = new Date(now.getTime() + DAY_MS).toISOString();
  const cutoff = new Date(now.getTime() - DAY_MS).toISOString();
  const at = now.toISOString();
  let reminded = 0;
  for (;;) {
    const due = await repo.dueForReminder(ctx.db, horizon, cutoff, 200);
    if (!due.length) break;
    for (const e of due) {
      await inTransaction(ctx.db, async (uow) => {
        if (!(await repo.claimReminder(uow.tx, e.id, at, cutoff))) return;
        reminded++;
        await notifyQuality(ctx, uow, { event: 'evaluation_reminder', tenantId: e.tenant_id, toUserIds: [e.evaluator_user_id], evaluationId: e.id });
      });
    }
    if (due.length < 200) break;
  }
  return { reminded };
}
