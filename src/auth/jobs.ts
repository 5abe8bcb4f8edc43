// The jobs of the auth feature (collected by src/jobs.ts).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { purgeExpiredSessions } from './session-service.ts';

const Empty = Type.Object({}, { additionalProperties: false });

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'sessions.purge_expired': Static<typeof Empty>;
  }
}

export const authJobs = [
  defineJob({
    type: 'sessions.purge_expired',
    description: 'Deletes expired sessions (scheduler, hourly).',
    payload: Empty,
    maxAttempts: 3,
    backoffMs: 30_000,
    everyMs: 60 * 60_000,
    handler: (ctx: AppContext) => purgeExpiredSessions(ctx),
  }),
] as const;
