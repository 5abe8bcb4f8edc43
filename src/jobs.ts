// Every background job, declared once: its payload type, its retry policy and its handler.
import type { AppContext } from './context.ts';
import type { JobSpec } from './platform/jobs/types.ts';
import type { JobHandlers } from './platform/jobs/worker.ts';
import { purgeExpiredSessions } from './auth/session-service.ts';
import { purgeDeletedSavedSearches } from './search/saved/service.ts';
import { indexConversation, reindexTenant } from './search/index/indexer.ts';
import { analyzeConversation } from './media/pipeline/service.ts';
import { reprocessConversations } from './media/pipeline/reprocess.ts';

export interface JobPayloads {
  /** Deletes expired sessions (scheduler, hourly). */
  'sessions.purge_expired': Record<string, never>;
  /** Re-reads and checks every stored media object; an admin's integrity check with progress. */
  'blobs.verify_all': Record<string, never>;
  /** Removes stored objects that no row references and stale temp files left by crashed writes (scheduler, hourly). */
  'blobs.sweep_orphans': Record<string, never>;
  /** Verifies the audit hash chain of one tenant. */
  'audit.verify': { tenantId: string };
  /** Removes saved searches whose undo window has passed (scheduler, every 10 minutes). */
  'saved_searches.purge': Record<string, never>;
  /** Brings the search documents of these conversations up to date (after ingest and tag comment changes). */
  'search.index': { conversationIds: string[] };
  /** Re-analyses every conversation of a tenant in its search language (after the language changes), with progress. */
  'search.reindex': { tenantId: string };
  /** Decodes a conversation's call audio: PCM per party, waveform peaks, voice activity, speech events (after ingest). */
  'media.analyze': { conversationId: string };
  /** Queues media.analyze for many conversations (all of a tenant's calls, or what a saved search finds), in batches. */
  'media.reprocess': { tenantId: string; userId: string; savedSearchId?: string | null };
}

export type JobType = keyof JobPayloads;

export const JOB_SPECS: { [K in JobType]: JobSpec } = {
  'sessions.purge_expired': { maxAttempts: 3, backoffMs: 30_000 },
  'blobs.verify_all': { maxAttempts: 2, backoffMs: 60_000, leaseMs: 5 * 60_000 },
  'blobs.sweep_orphans': { maxAttempts: 3, backoffMs: 60_000, leaseMs: 5 * 60_000 },
  'audit.verify': { maxAttempts: 2, backoffMs: 30_000 },
  'saved_searches.purge': { maxAttempts: 3, backoffMs: 30_000 },
  'search.index': { maxAttempts: 5, backoffMs: 2_000 },
  'search.reindex': { maxAttempts: 3, backoffMs: 30_000, leaseMs: 5 * 60_000 },
  'media.analyze': { maxAttempts: 3, backoffMs: 10_000, leaseMs: 10 * 60_000 },
  'media.reprocess': { maxAttempts: 3, backoffMs: 30_000, leaseMs: 5 * 60_000 },
};

export function jobHandlers(ctx: AppContext): JobHandlers<JobPayloads> {
  return {
    'sessions.purge_expired': () => purgeExpiredSessions(ctx),
    'blobs.verify_all': async (_p, job) => {
      const r = await ctx.blobs.verifyAll({ onProgress: (p) => void job.progress(p.total ? p.checked / p.total : 1, `${p.checked} of ${p.total} objects, ${p.failed} failed`) });
      if (r.failed.length) ctx.log.error({ failed: r.failed }, 'media integrity check found failures');
      return { checked: r.checked, failed: r.failed.length };
    },
    'blobs.sweep_orphans': () => ctx.blobs.sweepOrphans(),
    'audit.verify': ({ tenantId }) => ctx.audit.verifyChain(tenantId),
    'saved_searches.purge': () => purgeDeletedSavedSearches(ctx),
    'search.index': async ({ conversationIds }) => {
      for (const id of conversationIds) await indexConversation(ctx, id);
      return { indexed: conversationIds.length };
    },
    'search.reindex': ({ tenantId }, job) =>
      reindexTenant(ctx, tenantId, (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`)),
    'media.analyze': ({ conversationId }, job) => analyzeConversation(ctx, conversationId, (f, note) => void job.progress(f, note)),
    'media.reprocess': (payload, job) => reprocessConversations(ctx, payload, (queued, total) => void job.progress(total ? queued / total : 1, `${queued} of ${total} conversations queued`)),
  };
}
