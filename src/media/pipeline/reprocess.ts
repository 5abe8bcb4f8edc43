// Reprocessing many conversations: every call conversation of a tenant (an organisation-wide requester only), or what
// a saved search finds as the requester (payload userId) sees it — never as its owner, so another user's protected
// search cannot reach past the requester's group scope (test/routes-permissions.test.ts) — streamed page by page and
// queued in batches.
import type { AppContext } from '../../context.ts';
import { actorFor } from '../../auth/session-service.ts';
import { DomainError } from '../../platform/errors.ts';
import { searchConversations } from '../../search/service.ts';
import * as repo from './repository.ts';
import { enqueueInBatches, REPROCESS_BATCH } from './service.ts';

export async function reprocessConversations(
  ctx: AppContext,
  p: { tenantId: string; userId: string; savedSearchId?: string | null },
  onProgress: (queued: number, total: number) => void,
) {
  if (!p.savedSearchId) {
    const total = await repo.countCallConversations(ctx.db, p.tenantId);
    const queued = await enqueueInBatches(
      ctx,
      p.tenantId,
      async (after) => (await repo.callConversationsAfter(ctx.db, p.tenantId, after, REPROCESS_BATCH)).map((r) => r.id),
      (n) => onProgress(n, total),
    );
    return { queued };
  }
  const saved = await ctx.db
    .selectFrom('saved_searches')
    .select(['filter', 'deleted_at'])
    .where('id', '=', p.savedSearchId)
    .where('tenant_id', '=', p.tenantId)
    .executeTakeFirst();
  if (!saved || saved.deleted_at) throw new DomainError('NOT_FOUND', `Saved search ${p.savedSearchId} no longer exists`);
  const actor = await actorFor(ctx, p.userId, { ip: null, application: 'system' });
  if (!actor) throw new DomainError('NOT_FOUND', `User ${p.userId} no longer exists`);
  const filter = { ...ctx.adapter.fromJson<Record<string, unknown>>(saved.filter), channels: ['call'], sort: 'newest' };
  let cursor: string | undefined;
  let done = false;
  let total = 0;
  const queued = await enqueueInBatches(
    ctx,
    p.tenantId,
    async () => {
      if (done) return [];
      const page = await searchConversations(ctx, actor, filter, { cursor, limit: REPROCESS_BATCH });
      total = Math.max(total, page.total);
      cursor = page.nextCursor ?? undefined;
      done = !page.nextCursor;
      return page.items.map((i) => i.id);
    },
    (n) => onProgress(n, Math.max(total, n)),
  );
  return { queued };
}
