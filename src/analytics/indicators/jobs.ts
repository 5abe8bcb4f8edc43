// The job of indicators and topics (collected by src/jobs.ts): finding changed definitions again over a tenant's
// stored conversations. Per-conversation matching needs no job of its own: analytics.insights runs the line analysers.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { reanalyseMentions } from './reanalyse.ts';

const ReanalysePayload = Type.Object(
  {
    tenantId: Type.String({ minLength: 1 }),
    indicatorIds: Type.Array(Type.String({ minLength: 1 })),
    topics: Type.Boolean(),
  },
  { additionalProperties: false },
);

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'analytics.mentions.reanalyse': Static<typeof ReanalysePayload>;
  }
}

export const indicatorJobs = [
  defineJob({
    type: 'analytics.mentions.reanalyse',
    description:
      'Finds new or changed indicators (and re-scores the topics after a topic changed) over every stored conversation of a tenant, page by page, with progress.',
    payload: ReanalysePayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    // History in the background: conversations arriving meanwhile are analysed first.
    priority: -10,
    handler: (ctx: AppContext, { tenantId, indicatorIds, topics }, job) =>
      reanalyseMentions(
        ctx,
        tenantId,
        { indicatorIds, topics },
        (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`),
        job.signal,
      ),
  }),
] as const;
