// The retention purge (collected by src/jobs.ts): hourly for every tenant with a policy, or one tenant's on demand.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { runPurge } from './service.ts';

const PurgePayload = Type.Object({ tenantId: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'compliance.retention_purge': Static<typeof PurgePayload>;
  }
}

export const retentionJobs = [
  defineJob({
    type: 'compliance.retention_purge',
    description:
      'Plans the deletion of conversations (or their media) whose retention has expired, oldest first, in batches, skipping protected ones; finishes deletions a crash interrupted.',
    payload: PurgePayload,
    everyMs: 60 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 10 * 60_000,
    handler: (ctx: AppContext, { tenantId }, job) => runPurge(ctx, tenantId, (note) => job.progress(0.5, note)),
  }),
] as const;
