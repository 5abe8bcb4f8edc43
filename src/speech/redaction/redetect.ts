// Detection again over stored transcripts, after a tenant changes its PII types (Settings): each utterance gets its
// spans and redacted text from the new types, and where they changed the redacted audio is rewritten and the search
// document (which holds the redacted text) is refreshed. Walks the tenant's transcripts in batches.
import type { AppContext } from '../../context.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import { readSettings } from '../../settings/model.ts';
import * as authRepo from '../../auth/repository.ts';
import { PII_TYPES, type PiiSpan, type PiiType } from '../model.ts';
import { currentUtterances, updateRedaction } from '../repository.ts';
import { renderRedacted } from '../text/redact.ts';
import { detectPii } from './detect.ts';
import * as repo from './repository.ts';
import { queueRedaction } from './service.ts';

/** The utterances before one that count as its context (as the transcription job passes them). */
export const PII_CONTEXT_UTTERANCES = 2;
const BATCH = 50;

/** Queues the re-detection of a tenant's transcripts (in the transaction that changes its PII types). */
export const queueRedetection = (ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string) =>
  ctx.jobs.enqueue(uow, 'speech.redetect_pii', { tenantId }, { tenantId });

/** Re-runs detection on one conversation's current transcript; true when any span changed (then its audio is queued). */
export async function redetectConversation(ctx: AppContext, tenantId: string, conversationId: string, types: readonly PiiType[]): Promise<boolean> {
  const utts = await currentUtterances(ctx.db, ctx.adapter, conversationId);
  return inTransaction(ctx.db, async (uow) => {
    let changed = false;
    for (const [i, u] of utts.entries()) {
      const words = u.words.map((w) => w.w);
      const context = utts.slice(Math.max(0, i - PII_CONTEXT_UTTERANCES), i).flatMap((p) => p.words.map((w) => w.w));
      const pii: PiiSpan[] = detectPii(words, types, context).map((m) => ({
        type: m.type,
        firstWord: m.firstWord,
        lastWord: m.lastWord,
        startMs: u.words[m.firstWord]!.s,
        endMs: u.words[m.lastWord]!.e,
      }));
      if (JSON.stringify(pii) === JSON.stringify(u.pii)) continue;
      await updateRedaction(uow.tx, ctx.adapter, u.id, pii, renderRedacted(words, pii));
      changed = true;
    }
    if (changed) {
      await queueRedaction(ctx, uow, tenantId, conversationId);
      await ctx.jobs.enqueue(uow, 'search.index', { conversationIds: [conversationId] }, { tenantId });
    }
    return changed;
  });
}

export async function redetectTenant(ctx: AppContext, tenantId: string, onProgress: (done: number, total: number, changed: number) => void = () => {}) {
  const tenant = await authRepo.getTenant(ctx.db, tenantId);
  if (!tenant) return { status: 'gone' as const };
  const types = readSettings(ctx.adapter.fromJson(tenant.settings)).piiTypes.filter((x): x is PiiType => (PII_TYPES as readonly string[]).includes(x));
  const total = await repo.countTranscribed(ctx.db, tenantId);
  let after: string | null = null;
  let done = 0;
  let changed = 0;
  for (;;) {
    const ids = await repo.transcribedConversationsAfter(ctx.db, tenantId, after, BATCH);
    if (ids.length === 0) break;
    for (const id of ids) if (await redetectConversation(ctx, tenantId, id, types)) changed++;
    done += ids.length;
    after = ids[ids.length - 1]!;
    onProgress(done, total, changed);
  }
  return { status: 'done' as const, conversations: done, changed };
}
