// Re-transcription of many conversations (after an engine change, a new vocabulary, or for what a saved search finds):
// every call of a tenant (an organisation-wide requester only), or what a saved search finds as the requester (payload
// userId) sees it — never as its owner, as in media reprocessing (src/media/pipeline/reprocess.ts). Ids are streamed
// page by page and queued in batches; each conversation re-runs its pipeline from speech.transcribe (then indexing).
import type { AppContext } from '../../context.ts';
import { actorFor } from '../../auth/session-service.ts';
import { startConversationPipeline } from '../../conversations/pipeline.ts';
import { DomainError } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { searchConversations } from '../../search/service.ts';
import * as repo from './repository.ts';

export const RETRANSCRIBE_BATCH = 100;
const PENDING_NOTE = 'Queued for transcription again';

async function enqueueBatches(ctx: AppContext, tenantId: string, next: (after: string | null) => Promise<string[]>, onProgress: (queued: number) => void) {
  let after: string | null = null;
  let queued = 0;
  for (;;) {
    const ids = await next(after);
    if (ids.length === 0) break;
    await inTransaction(ctx.db, async (uow) => {
      await repo.markPending(uow.tx, ids, PENDING_NOTE);
      for (const id of ids) await startConversationPipeline(ctx, uow, tenantId, { conversationId: id, hasAudio: true }, { from: 'speech.transcribe' });
    });
    queued += ids.length;
    after = ids[ids.length - 1]!;
    onProgress(queued);
  }
  return queued;
}

export async function retranscribeConversations(
  ctx: AppContext,
  p: { tenantId: string; userId: string; savedSearchId?: string | null },
  onProgress: (queued: number, total: number) => void,
) {
  if (!p.savedSearchId) {
    const total = await repo.countCallConversations(ctx.db, p.tenantId);
    const queued = await enqueueBatches(
      ctx,
      p.tenantId,
      (after) => repo.callConversationsAfter(ctx.db, p.tenantId, after, RETRANSCRIBE_BATCH),
      (n) => onProgress(n, total),
    );
    return { queued };
  }
  const saved = await repo.savedSearch(ctx.db, p.tenantId, p.savedSearchId);
  if (!saved || saved.deleted_at) throw new DomainError('NOT_FOUND', `Saved search ${p.savedSearchId} no longer exists`);
  const actor = await actorFor(ctx, p.userId, { ip: null, application: 'system' });
  if (!actor) throw new DomainError('NOT_FOUND', `User ${p.userId} no longer exists`);
  const filter = { ...ctx.adapter.fromJson<Record<string, unknown>>(saved.filter), channels: ['call'], sort: 'newest' };
  let cursor: string | undefined;
  let done = false;
  let total = 0;
  const queued = await enqueueBatches(
    ctx,
    p.tenantId,
    async () => {
      if (done) return [];
      const page = await searchConversations(ctx, actor, filter, { cursor, limit: RETRANSCRIBE_BATCH });
      total = Math.max(total, page.total);
      cursor = page.nextCursor ?? undefined;
      done = !page.nextCursor;
      return page.items.map((i) => i.id);
    },
    (n) => onProgress(n, Math.max(total, n)),
  );
  return { queued };
}
