// The jobs of the media feature (collected by src/jobs.ts). media.analyze is the first, audio-only step of the
// conversation pipeline (src/conversations/pipeline.ts).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { analyzeConversation } from './pipeline/service.ts';
import { reprocessConversations } from './pipeline/reprocess.ts';

const AnalyzePayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const ReprocessPayload = Type.Object(
  { tenantId: Type.String({ minLength: 1 }), userId: Type.String({ minLength: 1 }), savedSearchId: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
  { additionalProperties: false },
);

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'media.analyze': Static<typeof AnalyzePayload>;
    'media.reprocess': Static<typeof ReprocessPayload>;
  }
}

export const mediaJobs = [
  defineJob({
    type: 'media.analyze',
    description: "Decodes a conversation's call audio: PCM per party, waveform peaks, voice activity, speech events (pipeline step after call ingest).",
    payload: AnalyzePayload,
    maxAttempts: 3,
    backoffMs: 10_000,
    leaseMs: 10 * 60_000,
    handler: (ctx: AppContext, { conversationId }, job) => analyzeConversation(ctx, conversationId, (f, note) => void job.progress(f, note)),
  }),
  defineJob({
    type: 'media.reprocess',
    description:
      "Re-runs the conversation pipeline from media.analyze for many conversations (all of a tenant's calls, or what a saved search finds), in batches.",
    payload: ReprocessPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, payload, job) =>
      reprocessConversations(ctx, payload, (queued, total) => void job.progress(total ? queued / total : 1, `${queued} of ${total} conversations queued`)),
  }),
] as const;
