// The jobs of conversation insights (collected by src/jobs.ts): analytics.insights is the conversation pipeline's step
// after speech.transcribe (calls) or ingest (chats, e-mails); analytics.reanalyze runs it over a whole tenant.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { analyseConversation, markFailed, reanalyseTenant } from './service.ts';

const InsightsPayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const ReanalyzePayload = Type.Object(
  {
    tenantId: Type.String({ minLength: 1 }),
    /** Only conversations without insights (the start-up backfill). */
    onlyMissing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'analytics.insights': Static<typeof InsightsPayload>;
    'analytics.reanalyze': Static<typeof ReanalyzePayload>;
  }
}

export const INSIGHTS_MAX_ATTEMPTS = 3;

export const insightsJobs = [
  defineJob({
    type: 'analytics.insights',
    description:
      "Analyses a conversation's transcript or messages: sentiment, engagement, agent summary, next steps and questions, then the indicators and topics; replaces what was stored (pipeline step after speech.transcribe).",
    payload: InsightsPayload,
    maxAttempts: INSIGHTS_MAX_ATTEMPTS,
    backoffMs: 30_000,
    // The optional chat endpoint may take its whole timeout; the lease is renewed meanwhile.
    leaseMs: 5 * 60_000,
    handler: async (ctx: AppContext, { conversationId }, job) => {
      try {
        return await analyseConversation(ctx, conversationId, { signal: job.signal });
      } catch (err) {
        if (job.attempt >= INSIGHTS_MAX_ATTEMPTS && !job.signal.aborted) await markFailed(ctx, conversationId, err).catch(() => {});
        throw err;
      }
    },
  }),
  defineJob({
    type: 'analytics.reanalyze',
    description: 'Analyses every conversation of a tenant again (insights, indicators, topics), page by page, with progress.',
    payload: ReanalyzePayload,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    priority: -10,
    handler: (ctx: AppContext, { tenantId, onlyMissing }, job) =>
      reanalyseTenant(
        ctx,
        tenantId,
        (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`),
        job.signal,
        onlyMissing ?? false,
      ),
  }),
] as const;
