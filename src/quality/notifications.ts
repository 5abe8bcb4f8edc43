// Quality-management e-mail (issue 11): one call per event from the service that caused it, inside its unit of work,
// so the e-mails go out only if the action commits. One e-mail per recipient, in their language, with a direct link;
// users who turned the event off (notification_preferences, default on), disabled users and users without an address
// get none. Delivery is the notify.send job's business: a mail server that is down never fails the action.
import type { AppContext } from '../context.ts';
import type { Uow } from '../platform/db/uow.ts';
import { languagesOf } from '../auth/languages.ts';
import { formatMailDateTime, formatMailNumber } from '../notify/mail-language.ts';
import { publicBaseUrl, queueEmail } from '../notify/service.ts';
import { isEmailAddress } from '../notify/smtp.ts';
import type { ScorecardDefinition } from './model.ts';
import { renderQualityMail, type MailFacts, type MailLanguage, type QualityEvent } from './notification-emails.ts';
import * as repo from './notification-repository.ts';
import { mentionsAsNames } from '../conversations/comments/mentions.ts';

export { QUALITY_EVENTS, type QualityEvent } from './notification-emails.ts';

export interface QualityNotification {
  event: QualityEvent;
  tenantId: string;
  toUserIds: string[];
  evaluationId?: string;
  calibrationId?: string;
  /** Who did it (shown as "Ana asked you to review…"). */
  actorName?: string;
  /** The dispute's reason, the re-affirmation's comment, an acknowledgement's comment. */
  reason?: string;
  /** dispute_resolved: how. */
  outcome?: 'reaffirmed' | 'reevaluated';
  /** evaluation_acknowledged: by the auto-acknowledge job rather than the agent. */
  auto?: boolean;
  /** comment_mention on a conversation comment (evaluation comments give evaluationId instead). */
  conversationId?: string;
  commentId?: string;
  /** comment_mention: the comment's text (mention tokens are shown as @Name). */
  excerpt?: string;
}

/** Where each event's link leads: the agent to their results, the evaluator to the evaluation, and so on. */
export function qualityLink(base: string, n: Pick<QualityNotification, 'event' | 'evaluationId' | 'calibrationId' | 'conversationId' | 'commentId'>): string {
  const e = n.evaluationId ? encodeURIComponent(n.evaluationId) : '';
  switch (n.event) {
    case 'evaluation_submitted':
    case 'dispute_resolved':
      return `${base}/quality/results?evaluation=${e}`;
    case 'dispute_raised':
      return `${base}/quality/disputes?evaluation=${e}`;
    case 'calibration_assigned':
      return `${base}/quality/calibrations/${encodeURIComponent(n.calibrationId ?? '')}`;
    case 'comment_mention':
      if (!n.evaluationId && n.conversationId)
        return `${base}/conversations/${encodeURIComponent(n.conversationId)}${n.commentId ? `?comment=${encodeURIComponent(n.commentId)}` : ''}`;
      return `${base}/quality/evaluations/${e}`;
    default:
      return `${base}/quality/evaluations/${e}`;
  }
}

const formatDate = formatMailDateTime;
const num = (n: number, lang: MailLanguage) => formatMailNumber(n, lang);

type EvaluationFacts = NonNullable<Awaited<ReturnType<typeof repo.evaluationFacts>>>;

function scoreText(ctx: AppContext, e: EvaluationFacts, lang: MailLanguage): string | undefined {
  if (e.score === null || e.percent === null) return undefined;
  const def = ctx.adapter.fromJson<ScorecardDefinition | null>(e.definition);
  const pct = `${num(Number(e.percent), lang)} %`;
  return def?.scoring === 'percentage' ? pct : `${num(Number(e.score), lang)} / ${num(Number(e.max_score), lang)} (${pct})`;
}

/** Queues the e-mails of one quality event in the caller's unit of work. Never throws: a notification is not worth
 * failing the action that caused it (an error is logged instead). */
export async function notifyQuality(ctx: AppContext, uow: Uow, n: QualityNotification): Promise<void> {
  await repo.savepoint(uow.tx);
  try {
    await queueQualityMails(ctx, uow, n);
    await repo.releaseSavepoint(uow.tx);
  } catch (err) {
    await repo.rollbackToSavepoint(uow.tx);
    await repo.releaseSavepoint(uow.tx);
    ctx.log.warn({ err, event: n.event, evaluationId: n.evaluationId, calibrationId: n.calibrationId }, 'quality notification not queued');
  }
}

async function queueQualityMails(ctx: AppContext, uow: Uow, n: QualityNotification) {
  const ids = [...new Set(n.toUserIds.filter(Boolean))];
  if (!ids.length) return;
  const [users, off] = await Promise.all([repo.recipients(uow.tx, n.tenantId, ids), repo.optedOut(uow.tx, n.tenantId, n.event, ids)]);
  const to = users.filter((u) => !off.has(u.id) && isEmailAddress(u.email));
  if (!to.length) return;

  const evaluation = n.evaluationId ? await repo.evaluationFacts(uow.tx, n.tenantId, n.evaluationId) : undefined;
  const calibrationId = n.calibrationId ?? evaluation?.calibration_id ?? undefined;
  const calibration = calibrationId ? await repo.calibrationFacts(uow.tx, n.tenantId, calibrationId) : undefined;
  const conversationId = evaluation?.conversation_id ?? calibration?.conversation_id ?? n.conversationId;
  const conversation = !evaluation && !calibration && conversationId ? await repo.conversationFacts(uow.tx, n.tenantId, conversationId) : undefined;
  const base = publicBaseUrl(ctx);
  const link = qualityLink(base, { ...n, calibrationId });
  const title = evaluation?.title ?? calibration?.title ?? conversation?.title;
  const startedAt = evaluation?.started_at ?? calibration?.started_at ?? conversation?.started_at;
  const excerpt = n.excerpt === undefined ? undefined : mentionsAsNames(n.excerpt);
  // Each recipient reads it in their language: their own, else their group's, else the organisation's.
  const languages = await languagesOf(
    uow.tx,
    n.tenantId,
    to.map((u) => u.id),
  );

  for (const u of to) {
    const lang: MailLanguage = languages.get(u.id)?.language ?? 'en';
    const due = evaluation?.due_at ?? calibration?.due_at;
    const facts: MailFacts = {
      event: n.event,
      lang,
      link,
      base,
      actorName: n.actorName,
      conversationTitle: title,
      startedAt: formatDate(startedAt, lang, u.time_zone),
      dueAt: formatDate(due, lang, u.time_zone),
      overdue: due ? Date.parse(due) < Date.now() : false,
      scorecardName: evaluation?.scorecard_name ?? calibration?.scorecard_name,
      agentName: evaluation?.agent_name ?? calibration?.agent_name ?? undefined,
      evaluatorName: evaluation?.evaluator_name ?? undefined,
      calibrationName: calibration?.name,
      score: evaluation ? scoreText(ctx, evaluation, lang) : undefined,
      passed: evaluation?.passed === null || evaluation?.passed === undefined ? null : Boolean(evaluation.passed),
      autoFailed: Boolean(evaluation?.auto_failed),
      revision: evaluation ? Number(evaluation.revision) : undefined,
      reason: n.reason,
      outcome: n.outcome,
      auto: n.auto,
      excerpt: excerpt && excerpt.length > 500 ? `${excerpt.slice(0, 499)}…` : excerpt,
    };
    const mail = renderQualityMail(facts);
    await queueEmail(ctx, uow, { tenantId: n.tenantId, userId: u.id, kind: n.event, to: u.email, ...mail });
  }
}
