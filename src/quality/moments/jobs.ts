// The job of moments (collected by src/jobs.ts): rendering a moment's clip once its conversation's audio is analysed.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { renderMoment } from './service.ts';

const RenderPayload = Type.Object({ momentId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'quality.moment_render': Static<typeof RenderPayload>;
  }
}

/** Enough retries to wait out the media analysis and redaction of a conversation saved right after its call. */
const MAX_ATTEMPTS = 8;

export const momentJobs = [
  defineJob({
    type: 'quality.moment_render',
    description: "Renders a moment's clip (MP3 of the range, and a redacted copy when the transcript holds personal data), encrypted like all media.",
    payload: RenderPayload,
    maxAttempts: MAX_ATTEMPTS,
    backoffMs: 30_000,
    maxBackoffMs: 10 * 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { momentId }, job) => renderMoment(ctx, momentId, { attempt: job.attempt, maxAttempts: MAX_ATTEMPTS, signal: job.signal }),
  }),
] as const;
