// The job of the Import screen (collected by src/jobs.ts): one uploaded import, read and ingested as `earshot import`
// does, with progress on its run.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { IMPORT_JOB_ATTEMPTS, runImport } from './runs.ts';

const ImportPayload = Type.Object({ runId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'conversations.import': Static<typeof ImportPayload>;
  }
}

export const importJobs = [
  defineJob({
    type: 'conversations.import',
    description:
      'Imports the files uploaded on the Import screen (audio + sidecar JSON, .eml, chat JSON, Amazon Connect exports, zips) as `earshot import` does.',
    payload: ImportPayload,
    maxAttempts: IMPORT_JOB_ATTEMPTS,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { runId }, job) => runImport(ctx, runId, job),
  }),
] as const;
