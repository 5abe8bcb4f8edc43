// The redaction feature's job (collected by src/jobs.ts): the redacted audio rendition, queued by the transcription
// job after it stores a transcript (queueRedaction).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { redactConversationAudio } from './service.ts';
import { redetectTenant } from './redetect.ts';

const RedactPayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const RedetectPayload = Type.Object({ tenantId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'speech.redact_audio': Static<typeof RedactPayload>;
    'speech.redetect_pii': Static<typeof RedetectPayload>;
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
  defineJob({
    type: 'speech.redetect_pii',
    description:
      "Runs PII detection again over a tenant's stored transcripts after its PII types change (Settings); rewrites the redacted text, audio and search document where spans changed.",
    payload: RedetectPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 10 * 60_000,
    handler: (ctx: AppContext, { tenantId }, job) =>
      redetectTenant(
        ctx,
        tenantId,
        (done, total, changed) => void job.progress(total ? done / total : 1, `${done} of ${total} transcripts checked, ${changed} changed`),
      ),
  }),
] as const;
