// The agent's response to a submitted review (issue 11): acknowledge it, or dispute it with a reason; the evaluator or
// a manager who reviews answers a dispute by re-affirming it with a comment, or by re-evaluating (a new revision through
// the evaluation's submit, src/quality/evaluations, which closes the dispute as `reevaluated`). One dispute per
// revision. With the tenant's "require acknowledgement", an evaluation left unanswered is acknowledged automatically
// after N days by the quality.auto_acknowledge job. Every response is audited with old/new values and e-mailed.
import type { AppContext } from '../../context.ts';
import { can, inScope, initiatorOf, requirePermission, systemActor, type Actor } from '../../auth/actor.ts';
import * as authRepo from '../../auth/repository.ts';
import { scopeFor } from '../../auth/scope.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { readSettings } from '../../settings/model.ts';
import { notifyQuality } from '../notifications.ts';
import * as repo from './repository.ts';
import { PAGE_SIZE, type AcknowledgeBody, type DisputeBody, type DisputesQuery, type ReaffirmBody, type ResultsQuery } from './schemas.ts';

type Row = NonNullable<Awaited<ReturnType<typeof repo.getEvaluation>>>;

const DAY_MS = 24 * 3600_000;

/** Responses an agent may still acknowledge: nothing yet, or the answer to their dispute. */
const ACKNOWLEDGEABLE = ['none', 'reaffirmed', 'reevaluated'];

const conflict = (message: string, reason: string) => new DomainError('CONFLICT', message, { reason });

/** The evaluation the actor responds to as its agent. Someone else's is refused (403) when the actor may read it
 * (its evaluator, planner or a manager), and "not found" otherwise: its existence is not the caller's business. */
async function loadOwn(ctx: AppContext, actor: Actor, id: string): Promise<Row> {
  requirePermission(actor, 'quality.respond');
  const row = await repo.getEvaluation(ctx.db, actor.tenantId, id);
  if (!row || row.kind !== 'review' || (row.agent_user_id === actor.userId && row.status !== 'submitted')) throw notFound('Evaluation', id);
  if (row.agent_user_id === actor.userId && row.evaluator_user_id === actor.userId)
    throw conflict('This is your own self-review: there is nothing to acknowledge or dispute', 'SELF_REVIEW');
  if (row.agent_user_id !== actor.userId) {
    if (mayHandle(actor, row) || row.planned_by === actor.userId)
      throw new DomainError('FORBIDDEN', 'Only the agent evaluated can acknowledge or dispute this evaluation', { reason: 'NOT_YOUR_EVALUATION' });
    throw notFound('Evaluation', id);
  }
  return row;
}

/** Who answers a dispute: the evaluator, or a manager who reviews and sees the agent (as for re-evaluating). */
function mayHandle(actor: Actor, row: Pick<Row, 'evaluator_user_id' | 'agent_user_id' | 'agent_group_id'>) {
  if (row.evaluator_user_id === actor.userId) return true;
  return can(actor, 'quality.view_others') && can(actor, 'quality.review') && inScope(actor, row.agent_group_id ?? null) && row.agent_user_id !== actor.userId;
}

async function tenantSettings(ctx: AppContext, tenantId: string) {
  const t = await authRepo.getTenant(ctx.db, tenantId);
  return readSettings(ctx.adapter.fromJson(t?.settings));
}

export async function acknowledge(ctx: AppContext, actor: Actor, id: string, body: AcknowledgeBody) {
  const row = await loadOwn(ctx, actor, id);
  if (row.response_status === 'acknowledged') throw conflict('You already acknowledged this evaluation', 'ALREADY_ACKNOWLEDGED');
  if (row.response_status === 'disputed') throw conflict('This evaluation is disputed; it can be acknowledged once the dispute is answered', 'DISPUTE_OPEN');
  const comment = body.comment?.trim() || null;
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const set = await repo.setResponse(tx, id, row.response_status, {
      response_status: 'acknowledged',
      acknowledged_at: now,
      auto_acknowledged: 0,
      updated_at: now,
    });
    if (!set) throw conflict('This evaluation changed meanwhile; open it again', 'CHANGED_MEANWHILE');
    if (comment)
      await repo.insertComment(tx, {
        id: newId(),
        tenant_id: actor.tenantId,
        evaluation_id: id,
        author_user_id: actor.userId,
        position_ms: null,
        body: comment,
        created_at: now,
      });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_ACKNOWLEDGE',
        details: `Acknowledged the evaluation of conversation ${row.conversation_title} (${row.conversation_id}), revision ${row.revision}${comment ? `: “${excerpt(comment)}”` : ''}`,
        changes: [
          { field: 'responseStatus', old: row.response_status, new: 'acknowledged' },
          { field: 'acknowledgedAt', old: row.acknowledged_at, new: now },
          ...(comment ? [{ field: 'comment', old: null, new: comment }] : []),
        ],
      },
      tx,
    );
    await notifyQuality(ctx, uow, {
      event: 'evaluation_acknowledged',
      tenantId: actor.tenantId,
      toUserIds: [row.evaluator_user_id].filter((u) => u !== actor.userId),
      evaluationId: id,
      actorName: actor.name,
      reason: comment ?? undefined,
    });
  });
  return resultOf(ctx, actor, id);
}

export async function dispute(ctx: AppContext, actor: Actor, id: string, body: DisputeBody) {
  const row = await loadOwn(ctx, actor, id);
  const reason = body.reason.trim();
  if (!reason) throw new DomainError('VALIDATION_FAILED', 'Say why you dispute this evaluation', { reason: 'REASON_REQUIRED', field: 'reason' });
  if (row.response_status === 'acknowledged') throw conflict('You acknowledged this evaluation; it can no longer be disputed', 'ALREADY_ACKNOWLEDGED');
  if (row.response_status === 'disputed') throw conflict('This evaluation is already disputed', 'ALREADY_DISPUTED');
  const revision = Number(row.revision);
  if (await repo.disputeOfRevision(ctx.db, id, revision))
    throw conflict('This revision was disputed and re-affirmed already; it can be acknowledged', 'ALREADY_DISPUTED');
  const now = nowIso();
  const disputeId = newId();
  const managers = await managersOf(ctx, actor.tenantId, row);
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const set = await repo.setResponse(tx, id, row.response_status, { response_status: 'disputed', updated_at: now });
    if (!set) throw conflict('This evaluation changed meanwhile; open it again', 'CHANGED_MEANWHILE');
    await repo.insertDispute(tx, {
      id: disputeId,
      tenant_id: actor.tenantId,
      evaluation_id: id,
      revision,
      raised_by: actor.userId,
      reason,
      raised_at: now,
      outcome: null,
      resolved_by: null,
      resolved_at: null,
      resolution_comment: null,
    });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_DISPUTE',
        details: `Disputed the evaluation of conversation ${row.conversation_title} (${row.conversation_id}), revision ${revision}: “${excerpt(reason)}”`,
        changes: [
          { field: 'responseStatus', old: row.response_status, new: 'disputed' },
          { field: 'disputeReason', old: null, new: reason },
        ],
      },
      tx,
    );
    await publishEvent(ctx, uow, actor.tenantId, 'evaluation.disputed', { evaluationId: id, conversationId: row.conversation_id, revision });
    await notifyQuality(ctx, uow, {
      event: 'dispute_raised',
      tenantId: actor.tenantId,
      toUserIds: [row.evaluator_user_id, ...managers].filter((u) => u !== actor.userId),
      evaluationId: id,
      actorName: actor.name,
      reason,
    });
  });
  return resultOf(ctx, actor, id);
}

/** The evaluator or a manager keeps the score as it is, saying why; the agent may then acknowledge it. */
export async function reaffirm(ctx: AppContext, actor: Actor, id: string, body: ReaffirmBody) {
  requirePermission(actor, 'quality.review', 'quality.review_self', 'quality.view_others');
  const row = await repo.getEvaluation(ctx.db, actor.tenantId, id);
  if (!row || row.kind !== 'review' || row.status !== 'submitted') throw notFound('Evaluation', id);
  if (!mayHandle(actor, row)) {
    if (row.agent_user_id === actor.userId) throw new DomainError('FORBIDDEN', 'You cannot answer a dispute of your own evaluation', { reason: 'OWN_DISPUTE' });
    throw notFound('Evaluation', id);
  }
  const comment = body.comment.trim();
  if (!comment) throw new DomainError('VALIDATION_FAILED', 'Say why the evaluation stands', { reason: 'COMMENT_REQUIRED', field: 'comment' });
  if (row.response_status !== 'disputed') throw conflict('This evaluation has no open dispute', 'NO_OPEN_DISPUTE');
  const open = await repo.openDispute(ctx.db, id);
  if (!open) throw conflict('This evaluation has no open dispute', 'NO_OPEN_DISPUTE');
  const now = nowIso();
  await inTransaction(ctx.db, async (uow) => {
    const { tx } = uow;
    const set = await repo.setResponse(tx, id, 'disputed', { response_status: 'reaffirmed', updated_at: now });
    if (!set) throw conflict('This evaluation changed meanwhile; open it again', 'CHANGED_MEANWHILE');
    await repo.resolveDispute(tx, open.id, { outcome: 'reaffirmed', resolved_by: actor.userId, resolved_at: now, resolution_comment: comment });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'evaluation',
        resourceId: id,
        action: 'EVALUATION_REAFFIRM',
        details: `Re-affirmed the disputed evaluation of ${row.agent_name ?? 'the agent'} on conversation ${row.conversation_title} (${row.conversation_id}): “${excerpt(comment)}”`,
        changes: [
          { field: 'responseStatus', old: 'disputed', new: 'reaffirmed' },
          { field: 'disputeOutcome', old: null, new: 'reaffirmed' },
          { field: 'resolutionComment', old: null, new: comment },
        ],
      },
      tx,
    );
    await notifyQuality(ctx, uow, {
      event: 'dispute_resolved',
      outcome: 'reaffirmed',
      tenantId: actor.tenantId,
      toUserIds: [row.agent_user_id],
      evaluationId: id,
      actorName: actor.name,
      reason: comment,
    });
  });
  const [item] = await disputeViews(ctx, actor, await repo.listDisputes(ctx.db, actor, { state: 'all', limit: 1, offset: 0, disputeId: open.id }));
  return item!;
}

/** The users to tell of a dispute besides the evaluator: managers who review and whose scope covers the agent. */
async function managersOf(ctx: AppContext, tenantId: string, row: Row): Promise<string[]> {
  const [rows, groups] = await Promise.all([repo.enabledUsersWithRoles(ctx.db, tenantId), authRepo.listGroups(ctx.db, tenantId)]);
  const users = new Map<string, { groupId: string | null; perms: Set<string> }>();
  for (const r of rows) {
    const u = users.get(r.id) ?? { groupId: r.group_id, perms: new Set<string>() };
    for (const p of ctx.adapter.fromJson<string[]>(r.permissions)) u.perms.add(p);
    users.set(r.id, u);
  }
  const out: string[] = [];
  for (const [id, u] of users) {
    if (!u.perms.has('quality.view_others') || !u.perms.has('quality.review')) continue;
    const scope = scopeFor(u.groupId, groups);
    if (scope.all || (row.agent_group_id !== null && scope.groupIds.includes(row.agent_group_id))) out.push(id);
  }
  return out;
}

// ---- lists --------------------------------------------------------------------------------------------------------

const bool = (v: unknown) => v === 1 || v === true;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** "My results": the agent's submitted reviews, with what they may do and when silence becomes acknowledgement. */
export async function listResults(ctx: AppContext, actor: Actor, q: ResultsQuery) {
  requirePermission(actor, 'quality.respond');
  const settings = await tenantSettings(ctx, actor.tenantId);
  const offset = q.offset ?? 0;
  const limit = q.limit ?? PAGE_SIZE;
  const rows = await repo.listResults(ctx.db, actor, { pending: q.state === 'pending', limit: limit + 1, offset });
  const items = await resultViews(ctx, settings, rows.slice(0, limit));
  return {
    items,
    nextOffset: rows.length > limit ? offset + limit : null,
    requireAcknowledgement: settings.qualityRequireAcknowledgement,
    autoAcknowledgeDays: settings.qualityAutoAcknowledgeDays,
  };
}

async function resultOf(ctx: AppContext, actor: Actor, id: string) {
  const settings = await tenantSettings(ctx, actor.tenantId);
  const rows = await repo.listResults(ctx.db, actor, { pending: false, limit: 1, offset: 0, evaluationId: id });
  const [item] = await resultViews(ctx, settings, rows);
  if (!item) throw notFound('Evaluation', id);
  return item;
}

async function resultViews(ctx: AppContext, settings: ReturnType<typeof readSettings>, rows: repo.ResultRow[]) {
  const disputes = await repo.latestDisputes(
    ctx.db,
    rows.map((r) => r.id),
  );
  const byEvaluation = new Map<string, (typeof disputes)[number][]>();
  for (const d of disputes) byEvaluation.set(d.evaluation_id, [...(byEvaluation.get(d.evaluation_id) ?? []), d]);
  return rows.map((r) => {
    const own = byEvaluation.get(r.id) ?? [];
    const revision = Number(r.revision);
    const disputedThisRevision = own.some((d) => Number(d.revision) === revision);
    const last = own.at(-1);
    const awaiting = ACKNOWLEDGEABLE.includes(r.response_status) && !r.acknowledged_at;
    // The clock of auto-acknowledgement restarts when a dispute is answered.
    const since = r.response_status === 'reaffirmed' && last?.resolved_at ? last.resolved_at : r.submitted_at;
    const autoAt =
      awaiting && settings.qualityRequireAcknowledgement && settings.qualityAutoAcknowledgeDays > 0 && since
        ? new Date(Date.parse(since) + settings.qualityAutoAcknowledgeDays * DAY_MS).toISOString()
        : null;
    return {
      id: r.id,
      conversation: { id: r.conversation_id, title: r.conversation_title, startedAt: r.conversation_started_at },
      scorecard: { id: r.scorecard_id, name: r.scorecard_name },
      evaluator: { id: r.evaluator_user_id, name: r.evaluator_name ?? 'Unknown user' },
      submittedAt: r.submitted_at,
      revision,
      score: num(r.score),
      maxScore: num(r.max_score),
      percent: num(r.percent),
      passed: r.passed === null ? null : bool(r.passed),
      autoFailed: bool(r.auto_failed),
      autoFailReason: r.auto_fail_reason,
      responseStatus: r.response_status as 'none' | 'acknowledged' | 'disputed' | 'reaffirmed' | 'reevaluated',
      acknowledgedAt: r.acknowledged_at,
      autoAcknowledged: bool(r.auto_acknowledged),
      autoAcknowledgeAt: autoAt,
      dispute: last
        ? {
            revision: Number(last.revision),
            reason: last.reason,
            raisedAt: last.raised_at,
            outcome: last.outcome as 'reaffirmed' | 'reevaluated' | null,
            resolvedAt: last.resolved_at,
            resolutionComment: last.resolution_comment,
          }
        : null,
      can: {
        acknowledge: awaiting,
        dispute: (r.response_status === 'none' || r.response_status === 'reevaluated') && !disputedThisRevision,
      },
    };
  });
}

/** The disputes the actor may answer or follow (open first, oldest first; or resolved, newest first). */
export async function listDisputes(ctx: AppContext, actor: Actor, q: DisputesQuery) {
  requirePermission(actor, 'quality.review', 'quality.review_self', 'quality.view_others');
  const offset = q.offset ?? 0;
  const limit = q.limit ?? PAGE_SIZE;
  const rows = await repo.listDisputes(ctx.db, actor, { state: q.state ?? 'open', limit: limit + 1, offset });
  return { items: await disputeViews(ctx, actor, rows.slice(0, limit)), nextOffset: rows.length > limit ? offset + limit : null };
}

async function disputeViews(_ctx: AppContext, actor: Actor, rows: repo.DisputeRow[]) {
  return rows.map((r) => {
    const open = r.outcome === null;
    const handles = mayHandle(actor, { evaluator_user_id: r.evaluator_user_id, agent_user_id: r.agent_user_id, agent_group_id: r.agent_group_id });
    return {
      id: r.dispute_id,
      evaluationId: r.id,
      conversation: { id: r.conversation_id, title: r.conversation_title, startedAt: r.conversation_started_at },
      scorecard: { id: r.scorecard_id, name: r.scorecard_name },
      agent: { id: r.agent_user_id, name: r.agent_name ?? 'Unknown user' },
      evaluator: { id: r.evaluator_user_id, name: r.evaluator_name ?? 'Unknown user' },
      revision: Number(r.dispute_revision),
      currentRevision: Number(r.revision),
      score: num(r.score),
      maxScore: num(r.max_score),
      percent: num(r.percent),
      passed: r.passed === null ? null : bool(r.passed),
      autoFailed: bool(r.auto_failed),
      reason: r.reason,
      raisedAt: r.raised_at,
      outcome: r.outcome as 'reaffirmed' | 'reevaluated' | null,
      resolvedBy: r.resolved_by ? { id: r.resolved_by, name: r.resolved_by_name ?? 'Unknown user' } : null,
      resolvedAt: r.resolved_at,
      resolutionComment: r.resolution_comment,
      // Re-evaluating is the evaluation form's submit (it also checks the caller may review there).
      can: { reaffirm: open && handles, reevaluate: open && handles && (r.evaluator_user_id === actor.userId || can(actor, 'quality.review')) },
    };
  });
}

// ---- auto-acknowledge ---------------------------------------------------------------------------------------------

const AUTO_BATCH = 200;

/** The quality.auto_acknowledge job: acknowledges, in every tenant that requires acknowledgement with a delay, the
 * reviews left unanswered for that many days; each audited as the system and e-mailed to the evaluator. */
export async function autoAcknowledge(ctx: AppContext, now = new Date()) {
  let acknowledged = 0;
  for (const t of await repo.tenantsWithSettings(ctx.db)) {
    const s = readSettings(ctx.adapter.fromJson(t.settings));
    if (!s.qualityRequireAcknowledgement || s.qualityAutoAcknowledgeDays <= 0) continue;
    const cutoff = new Date(now.getTime() - s.qualityAutoAcknowledgeDays * DAY_MS).toISOString();
    const system = systemActor(t.id, 'Auto-acknowledgement', 'system');
    for (;;) {
      const due = await repo.dueForAutoAcknowledge(ctx.db, t.id, cutoff, AUTO_BATCH);
      let done = 0;
      for (const e of due) {
        const at = nowIso();
        const ok = await inTransaction(ctx.db, async (uow) => {
          // Conditional on the response read: an agent answering meanwhile wins.
          if (
            !(await repo.setResponse(uow.tx, e.id, e.response_status, {
              response_status: 'acknowledged',
              acknowledged_at: at,
              auto_acknowledged: 1,
              updated_at: at,
            }))
          )
            return false;
          await ctx.audit.append(
            {
              tenantId: t.id,
              initiator: initiatorOf(system),
              resourceType: 'evaluation',
              resourceId: e.id,
              action: 'EVALUATION_ACKNOWLEDGE',
              details: `Acknowledged automatically: no response within ${s.qualityAutoAcknowledgeDays} day(s)`,
              changes: [
                { field: 'responseStatus', old: e.response_status, new: 'acknowledged' },
                { field: 'autoAcknowledged', old: false, new: true },
              ],
            },
            uow.tx,
          );
          await notifyQuality(ctx, uow, { event: 'evaluation_acknowledged', auto: true, tenantId: t.id, toUserIds: [e.evaluator_user_id], evaluationId: e.id });
          return true;
        });
        if (ok) done++;
      }
      acknowledged += done;
      // A batch where nothing moved (all taken meanwhile) would come back identical: stop.
      if (due.length < AUTO_BATCH || done === 0) break;
    }
  }
  return { acknowledged };
}

const excerpt = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);
