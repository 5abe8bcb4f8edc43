// Keeps the search index in step with conversations: one document per conversation, analysed in the tenant's search
// language. Run by the search.index job after ingest, after tag comment changes and after a transcript is stored or its
// redaction changes (the speech feature queues it with queueIndexing in the same unit of work), and by search.reindex.
import type { AppContext } from '../../context.ts';
import { inTransaction, type Uow } from '../../platform/db/uow.ts';
import type { Executor } from '../../platform/db/index.ts';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../analyzer/index.ts';
import { indexTerms, packFields, preferredDocKey, DOC_KEY_SLOTS } from './document.ts';
import { currentUtterances } from '../../speech/repository.ts';
import * as repo from './repository.ts';

export async function searchLanguageOf(db: Executor, adapter: AppContext['adapter'], tenantId: string): Promise<Language> {
  const t = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return searchLanguageIn(adapter, t?.settings);
}

/** The search language a tenant's settings (the `tenants.settings` column) name, else the default. */
export function searchLanguageIn(adapter: AppContext['adapter'], settings: unknown): Language {
  const lang = adapter.fromJson<{ searchLanguage?: string } | null>(settings)?.searchLanguage;
  return lang && isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

/** Indexes one conversation now (or removes its document when it is gone). */
export async function indexConversation(ctx: Pick<AppContext, 'db' | 'adapter'>, conversationId: string, language?: Language): Promise<'indexed' | 'removed'> {
  const conv = await repo.conversationForIndex(ctx.db, conversationId);
  if (!conv) {
    await repo.deleteDoc(ctx.db, conversationId);
    return 'removed';
  }
  const lang = language ?? (await searchLanguageOf(ctx.db, ctx.adapter, conv.tenant_id));
  const utterances = await currentUtterances(ctx.db, ctx.adapter, conversationId);
  const fields = await repo.loadFields(ctx.db, conversationId, utterances);
  const terms = indexTerms(fields, lang);
  const texts = packFields(fields);
  await inTransaction(ctx.db, async ({ tx }) => {
    const existing = await repo.docOf(tx, conversationId);
    const preferred = preferredDocKey(String(conv.started_at), conversationId);
    const oldKey = existing ? Number(existing.doc_key) : null;
    // Keep the key while the start second is the same; otherwise take one in the new second.
    const sameSecond = oldKey !== null && Math.floor(oldKey / DOC_KEY_SLOTS) === Math.floor(preferred / DOC_KEY_SLOTS);
    const docKey = sameSecond ? oldKey! : await repo.freeDocKey(tx, preferred, conversationId);
    await repo.writeDoc(tx, ctx.adapter, { conversationId, tenantId: conv.tenant_id, docKey, language: lang, texts, terms }, oldKey);
  });
  return 'indexed';
}

/**
 * Queues indexing of conversations after the surrounding transaction commits. Whoever changes what a document holds
 * calls it in the same unit of work: ingest, tag comments, a stored transcript (speech.transcribe, re-transcription)
 * and a changed redaction.
 */
export function queueIndexing(ctx: Pick<AppContext, 'jobs'>, uow: Uow, tenantId: string, conversationIds: string[]) {
  const ids = [...new Set(conversationIds)];
  if (ids.length === 0) return Promise.resolve('');
  return ctx.jobs.enqueue(uow, 'search.index', { conversationIds: ids }, { tenantId });
}

export const REINDEX_BATCH = 200;

/** Re-analyses every conversation of a tenant (after a language change), reporting progress. */
export async function reindexTenant(ctx: Pick<AppContext, 'db' | 'adapter'>, tenantId: string, onProgress: (done: number, total: number) => void) {
  const lang = await searchLanguageOf(ctx.db, ctx.adapter, tenantId);
  const total = await repo.countConversations(ctx.db, tenantId);
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await repo.conversationIdsAfter(ctx.db, tenantId, after, REINDEX_BATCH);
    if (batch.length === 0) break;
    for (const { id } of batch) await indexConversation(ctx, id, lang);
    done += batch.length;
    after = batch[batch.length - 1]!.id;
    onProgress(done, total);
  }
  return { reindexed: done, language: lang };
}
