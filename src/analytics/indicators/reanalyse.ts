// Retroactive mentions: after an indicator (or a topic) changed, find it again in every stored conversation of the
// tenant. Conversations are read a page at a time by id (a retried job simply starts over), their lines loaded the way
// analytics.insights loads them, and each page's results replace the old ones in one short transaction, so the API
// keeps answering while a large history is re-analysed. Only what changed is redone: the given indicators' mentions
// (other indicators keep theirs), and the topic hits when a topic changed.
import type { AppContext } from '../../context.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { loadLines } from '../insights/service.ts';
import { TopicMatcher } from '../topics/matching.ts';
import * as topicRepo from '../topics/repository.ts';
import { indicatorDefinitions, mentionRows, tenantLanguage, topicDefinitions, topicRows, type Subject } from './analysis.ts';
import type { InsightLine } from '../insights/model.ts';
import { IndicatorMatcher } from './matching.ts';
import * as repo from './repository.ts';

/** Conversations per page (one transaction each). */
export const REANALYSIS_BATCH = 100;
/** Conversations matched between two yields to the event loop (about 15–30 ms of work for 5-minute calls). */
const YIELD_EVERY = 10;

export interface ReanalysisResult {
  conversations: number;
  mentions: number;
  topicHits: number;
}

/**
 * The lines of a page of conversations. Calls without chat or e-mail (most of a contact center's history) are read
 * in one query for the page, as loadLines maps them (the current transcript's redacted text); the others through
 * loadLines itself, which also redacts chat and e-mail text. The words are not read: matching needs none.
 */
async function loadPage(ctx: AppContext, page: Awaited<ReturnType<typeof repo.conversationsPage>>): Promise<Subject[]> {
  const callsOnly = page.filter((c) => !Number(c.has_chat) && !Number(c.has_email)).map((c) => c.id);
  const byConv = new Map<string, InsightLine[]>(callsOnly.map((id) => [id, []]));
  for (const u of await repo.currentUtterancesOf(ctx.db, callsOnly))
    byConv.get(u.conversation_id)!.push({
      id: u.id,
      kind: 'utterance',
      segmentId: u.segment_id,
      role: u.role === 'agent' || u.role === 'customer' ? u.role : 'unknown',
      startMs: Number(u.start_ms),
      endMs: Number(u.end_ms),
      text: u.redacted_text,
    });
  const out: Subject[] = [];
  for (const c of page) {
    const lines = byConv.get(c.id) ?? (await loadLines(ctx, ctx.db, c.id))?.lines;
    if (lines) out.push({ conversationId: c.id, startedAt: c.started_at, lines });
  }
  return out;
}

export async function reanalyseMentions(
  ctx: AppContext,
  tenantId: string,
  what: { indicatorIds: readonly string[]; topics: boolean },
  progress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ReanalysisResult> {
  const lang = await tenantLanguage(ctx, ctx.db, tenantId);
  // Indicators deleted since the job was queued are skipped (their mentions went with them).
  const defs = what.indicatorIds.length ? await indicatorDefinitions(ctx.db, tenantId, what.indicatorIds) : [];
  const indicatorIds = defs.map((d) => d.id);
  const indicators = new IndicatorMatcher(defs, lang);
  const topics = what.topics ? new TopicMatcher(await topicDefinitions(ctx, ctx.db, tenantId), lang) : null;
  const result: ReanalysisResult = { conversations: 0, mentions: 0, topicHits: 0 };
  if (indicatorIds.length === 0 && !topics) return result;
  const total = await repo.countConversations(ctx.db, tenantId);
  progress(0, total);
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page = await repo.conversationsPage(ctx.db, tenantId, after, REANALYSIS_BATCH);
    if (page.length === 0) break;
    const subjects = await loadPage(ctx, page);
    const ids = subjects.map((s) => s.conversationId);
    const mentions: ReturnType<typeof mentionRows> = [];
    const hits: ReturnType<typeof topicRows> = [];
    // Matching is synchronous: yield to the event loop every few conversations, so an API served by the same process
    // (npm start runs every role in one) is not held up for a whole page.
    for (let i = 0; i < subjects.length; i += YIELD_EVERY) {
      const slice = subjects.slice(i, i + YIELD_EVERY);
      if (indicatorIds.length) mentions.push(...mentionRows(tenantId, indicators, slice));
      if (topics) hits.push(...topicRows(tenantId, topics, slice));
      await new Promise((r) => setImmediate(r));
    }
    await inTransaction(ctx.db, async ({ tx }) => {
      if (indicatorIds.length) await repo.replaceMentions(tx, ids, indicatorIds, mentions);
      if (topics) await topicRepo.replaceTopicHits(tx, ids, hits);
    });
    result.conversations += page.length;
    result.mentions += mentions.length;
    result.topicHits += hits.length;
    after = page[page.length - 1]!.id;
    progress(Math.min(result.conversations, total), Math.max(total, result.conversations));
  }
  return result;
}
