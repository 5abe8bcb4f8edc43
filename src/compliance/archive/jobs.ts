// The archive run (collected by src/jobs.ts): one job for every tenant, queued by the scheduler each minute unless one
// is waiting or running (and by "Run now"), so two runs never copy the same file at once.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { runArchive } from './service.ts';

const Empty = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'compliance.archive_run': Static<typeof Empty>;
  }
}

export const archiveJobs = [
  defineJob({
    type: 'compliance.archive_run',
    description:
      'Copies finished recordings with their JSON sidecars to each tenant’s primary and secondary archive targets, verifies each copy (size and SHA-256 read back) and retries failures with back-off (scheduler, every minute; Administration → Compliance → Archiving → Run now).',
    payload: Empty,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    everyMs: 60_000,
    handler: (ctx: AppContext, _p, job) => runArchive(ctx, { signal: job.signal, progress: (fraction, note) => void job.progress(fraction, note) }),
  }),
] as const;
