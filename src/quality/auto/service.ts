// The on-demand pre-fill of a saved search's results: a manager (quality.plan) starts a job that walks what the saved
// search finds — as the requester sees it, never as the search's owner, so a shared search cannot reach past the
// requester's group scope — and stores a fresh pre-fill on every review of those conversations not submitted yet (one
// scorecard's, or all). Useful once transcripts or insights arrived after the reviews were planned: the evaluator
// opens them with proposals instead of "not available". Answers are never touched; progress shows on the Jobs page.
import type { AppContext } from '../../context.ts';
import { initiatorOf, requirePermission, type Actor } from '../../auth/actor.ts';
import { actorFor } from '../../auth/session-service.ts';
import { DomainError, notFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { nowIso } from '../../platform/ids.ts';
import { searchConversations } from '../../search/service.ts';
import type { ScorecardDefinition } from '../model.ts';
import { getLatestVersion, getVersion } from '../scorecards/repository.ts';
import { prefillEvaluation } from './prefill.ts';
import * as repo from './repository.ts';

/** Conversations read per search page. */
export const PREFILL_BATCH = 100;

export async function requestPrefillRun(ctx: AppContext, actor: Actor, input: { savedSearchId: string; scorecardId?: string | null }) {
  requirePermission(actor, 'quality.plan');
  const saved = await repo.savedSearchOf(ctx.db, actor.tenantId, input.savedSearchId);
  if (!saved || saved.deleted_at || (saved.owner_id !== actor.userId && !saved.protected)) throw notFound('Saved search', input.savedSearchId);
  const scorecardId = input.scorecardId ?? null;
  if (scorecardId && !(await getLatestVersion(ctx.db, actor.tenantId, scorecardId))) throw notFound('Scorecard', scorecardId);
  const jobId = await inTransaction(ctx.db, async (uow) => {
    const id = await ctx.jobs.enqueue(
      uow,
      'quality.prefill',
      { tenantId: actor.tenantId, userId: actor.userId, savedSearchId: saved.id, scorecardId },
      { tenantId: actor.tenantId },
    );
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'saved_search',
        resourceId: saved.id,
        action: 'QUALITY_PREFILL_RUN',
        details: `Started the automated pre-fill of the open reviews found by saved search "${saved.name}"${scorecardId ? ` (scorecard ${scorecardId})` : ''}`,
      },
      uow.tx,
    );
    return id;
  });
  return { jobId };
}

export interface PrefillRunResult {
  conversations: number;
  evaluations: number;
}

/** The job's work; `onProgress(done, total)` counts conversations. */
export async function runPrefill(
  ctx: AppContext,
  p: { tenantId: string; userId: string; savedSearchId: string; scorecardId: string | null },
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<PrefillRunResult> {
  const saved = await repo.savedSearchOf(ctx.db, p.tenantId, p.savedSearchId);
  if (!saved || saved.deleted_at) throw new DomainError('NOT_FOUND', `Saved search ${p.savedSearchId} no longer exists`);
  const actor = await actorFor(ctx, p.userId, { ip: null, application: 'system' });
  if (!actor) throw new DomainError('NOT_FOUND', `User ${p.userId} no longer exists`);
  const filter = { ...ctx.adapter.fromJson<Record<string, unknown>>(saved.filter), sort: 'newest' };
  const definitions = new Map<string, ScorecardDefinition | null>();
  const definitionOf = async (versionId: string) => {
    if (!definitions.has(versionId)) definitions.set(versionId, (await getVersion(ctx.db, p.tenantId, versionId))?.definition ?? null);
    return definitions.get(versionId)!;
  };
  let cursor: string | undefined;
  let done = 0;
  let total = 0;
  let evaluations = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page = await searchConversations(ctx, actor, filter, { cursor, limit: PREFILL_BATCH });
    total = Math.max(total, page.total);
    const ids = page.items.map((i) => i.id);
    for (const e of await repo.openReviewsOn(ctx.db, p.tenantId, ids, p.scorecardId)) {
      const def = await definitionOf(e.scorecard_version_id);
      if (!def) continue;
      const prefill = await prefillEvaluation(ctx, p.tenantId, e.conversation_id, e.agent_user_id, def);
      if (await repo.setPrefill(ctx.db, e.id, ctx.adapter.json(prefill), nowIso())) evaluations++;
    }
    done += ids.length;
    onProgress(done, Math.max(total, done));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { conversations: done, evaluations };
}
