// The job of vCon exports (collected by src/jobs.ts): building one export package.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { markExportFailed, runExport } from './service.ts';

const ExportPayload = Type.Object({ exportId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'compliance.vcon_export': Static<typeof ExportPayload>;
  }
}

const MAX_ATTEMPTS = 3;

export const vconJobs = [
  defineJob({
    type: 'compliance.vcon_export',
    description: 'Builds a vCon export package (vCons, media, audit events, a signed manifest) and stores it encrypted for download.',
    payload: ExportPayload,
    maxAttempts: MAX_ATTEMPTS,
    backoffMs: 30_000,
    maxBackoffMs: 5 * 60_000,
    leaseMs: 30 * 60_000,
    handler: async (ctx: AppContext, { exportId }, job) => {
      try {
        return await runExport(ctx, exportId, job);
      } catch (err) {
        // The last attempt: the Exports tab says it failed and why, instead of "running" for ever.
        if (job.attempt >= MAX_ATTEMPTS) await markExportFailed(ctx, exportId, err);
        throw err;
      }
    },
  }),
] as const;
