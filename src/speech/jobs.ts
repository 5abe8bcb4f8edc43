// The jobs of the speech feature (collected by src/jobs.ts). speech.transcribe is the conversation pipeline's step
// after media.analyze (src/conversations/pipeline.ts); speech.retranscribe queues it again for many conversations.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { transcribeConversation } from './transcribe/run.ts';
import { retranscribeConversations } from './transcribe/bulk.ts';

const TranscribePayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const RetranscribePayload = Type.Object(
  { tenantId: Type.String({ minLength: 1 }), userId: Type.String({ minLength: 1 }), savedSearchId: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
  { additionalProperties: false },
);

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'speech.transcribe': Static<typeof TranscribePayload>;
    'speech.retranscribe': Static<typeof RetranscribePayload>;
  }
}

export const TRANSCRIBE_MAX_ATTEMPTS = 3;

export const speechJobs = [
  defineJob({
    type: 'speech.transcribe',
    description:
      "Transcribes a conversation's call audio per party with the tenant's speech engine, normalises numbers and entities, marks PII, and stores the transcript in one transaction (pipeline step after media.analyze).",
    payload: TranscribePayload,
    // An engine that is down or restarting gets two more chances, minutes apart; then the conversation says why.
    maxAttempts: TRANSCRIBE_MAX_ATTEMPTS,
    backoffMs: 2 * 60_000,
    // The lease is renewed every quarter while the engine works (a 3-hour call goes in 10-minute chunks, each well
    // inside it); it only bounds how long a crashed worker's call waits before another worker takes it over.
    leaseMs: 30 * 60_000,
    // Behind ingest's quick steps (indexing, media analysis): new calls show up and play before they are transcribed.
    priority: -5,
    handler: (ctx: AppContext, { conversationId }, job) =>
      transcribeConversation(ctx, conversationId, {
        attempt: job.attempt,
        maxAttempts: TRANSCRIBE_MAX_ATTEMPTS,
        signal: job.signal,
        progress: (f, note) => void job.progress(f, note),
      }),
  }),
  defineJob({
    type: 'speech.retranscribe',
    description:
      "Re-runs the conversation pipeline from speech.transcribe for many conversations (all of a tenant's calls, or what a saved search finds), in batches, with progress.",
    payload: RetranscribePayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, payload, job) =>
      retranscribeConversations(ctx, payload, (queued, total) => void job.progress(total ? queued / total : 1, `${queued} of ${total} conversations queued`)),
  }),
] as const;
