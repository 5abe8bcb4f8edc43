// The deletion job (collected by src/jobs.ts): runs planned deletions of media or of whole conversations.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { DELETIONS_PER_JOB, executeDeletion } from './service.ts';

const DeletePayload = Type.Object(
  { deletionIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: DELETIONS_PER_JOB }) },
  { additionalProperties: false },
);

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'compliance.delete': Static<typeof DeletePayload>;
  }
}

export const deletionJobs = [
  defineJob({
    type: 'compliance.delete',
    description:
      'Deletes the media of conversations or whole conversations (planned by a person, anonymization or a retention policy): destroys the data keys, removes the rows, then the objects.',
    payload: DeletePayload,
    maxAttempts: 10,
    backoffMs: 30_000,
    maxBackoffMs: 30 * 60_000,
    leaseMs: 5 * 60_000,
    handler: async (ctx: AppContext, { deletionIds }, job) => {
      const out = { done: 0, cancelled: 0, skipped: 0 };
      for (const [i, id] of deletionIds.entries()) {
        if (job.signal.aborted) throw new Error('cancelled');
        out[await executeDeletion(ctx, id)]++;
        await job.progress((i + 1) / deletionIds.length, `${i + 1} of ${deletionIds.length}`);
      }
      return out;
    },
  }),
] as const;
