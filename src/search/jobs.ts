// The jobs of the search feature (collected by src/jobs.ts). search.index is also the last step of the conversation
// pipeline (src/conversations/pipeline.ts).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { indexConversation, reindexTenant } from './index/indexer.ts';
import { purgeDeletedSavedSearches } from './saved/service.ts';

const Empty = Type.Object({}, { additionalProperties: false });
const IndexPayload = Type.Object({ conversationIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, { additionalProperties: false });
const ReindexPayload = Type.Object({ tenantId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'search.index': Static<typeof IndexPayload>;
    'search.reindex': Static<typeof ReindexPayload>;
    'saved_searches.purge': Static<typeof Empty>;
  }
}

export const searchJobs = [
  defineJob({
    type: 'search.index',
    description: 'Brings the search documents of these conversations up to date (last pipeline step after ingest; after tag comment changes).',
    payload: IndexPayload,
    maxAttempts: 5,
    backoffMs: 2_000,
    handler: async (ctx: AppContext, { conversationIds }) => {
      for (const id of conversationIds) await indexConversation(ctx, id);
      return { indexed: conversationIds.length };
    },
  }),
  defineJob({
    type: 'search.reindex',
    description: 'Re-analyses every conversation of a tenant in its search language (after the language changes), with progress.',
    payload: ReindexPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { tenantId }, job) =>
      reindexTenant(ctx, tenantId, (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`)),
  }),
  defineJob({
    type: 'saved_searches.purge',
    description: 'Removes saved searches whose undo window has passed (scheduler, every 10 minutes).',
    payload: Empty,
    maxAttempts: 3,
    backoffMs: 30_000,
    everyMs: 10 * 60_000,
    handler: (ctx: AppContext) => purgeDeletedSavedSearches(ctx),
  }),
] as const;
