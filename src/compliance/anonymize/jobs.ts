// The job of anonymization (collected by src/jobs.ts): a run over a search's conversations, with progress.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { runAnonymization } from './service.ts';

const RunPayload = Type.Object({ runId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'compliance.anonymize': Static<typeof RunPayload>;
  }
}

export const anonymizationJobs = [
  defineJob({
    type: 'compliance.anonymize',
    description:
      'Anonymizes the conversations of a confirmed run (a search or a selection), one transaction each, skipping protected ones with the reason; resumes where it stopped.',
    payload: RunPayload,
    maxAttempts: 5,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { runId }, job) =>
      runAnonymization(ctx, runId, (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`)),
  }),
] as const;
