// The job of automated scoring (collected by src/jobs.ts): the on-demand pre-fill of a saved search's open reviews.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { runPrefill } from './service.ts';

const PrefillPayload = Type.Object(
  {
    tenantId: Type.String({ minLength: 1 }),
    userId: Type.String({ minLength: 1 }),
    savedSearchId: Type.String({ minLength: 1 }),
    scorecardId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
);

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'quality.prefill': Static<typeof PrefillPayload>;
  }
}

export const autoJobs = [
  defineJob({
    type: 'quality.prefill',
    description: "Proposes answers from the auto rules for the open reviews of a saved search's conversations, page by page, with progress.",
    payload: PrefillPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    priority: -10,
    handler: (ctx: AppContext, payload, job) =>
      runPrefill(ctx, payload, (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`), job.signal),
  }),
] as const;
