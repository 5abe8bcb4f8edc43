// The redaction feature's job (collected by src/jobs.ts): the redacted audio rendition, queued by the transcription
// job after it stores a transcript (queueRedaction).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { redactConversationAudio } from './service.ts';

const RedactPayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'speech.redact_audio': Static<typeof RedactPayload>;
  }
}

export const redactionJobs = [
  defineJob({
    type: 'speech.redact_audio',
    description:
      "Writes each analysed stream's redacted PCM (PII spans of the current transcript replaced by a tone) for users without media.play_unredacted; queued after a transcript is stored.",
    payload: RedactPayload,
    maxAttempts: 5,
    backoffMs: 10_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { conversationId }, job) => redactConversationAudio(ctx, conversationId, (f, note) => void job.progress(f, note)),
  }),
] as const;
