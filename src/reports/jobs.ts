// The jobs of the dashboard and call reports (collected by src/jobs.ts). reports.refresh_days is queued by name by the
// features that change conversations (ingest, deletion, e-mail thread merges, the pipeline after insights), so none of
// them imports reports; reports.backfill recounts every day of a tenant (an upgrade, or by hand from the Jobs page).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { backfill, refreshDays } from './refresh.ts';
import { sendDueReports } from './schedules.ts';

const RefreshPayload = Type.Object(
  {
    days: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 5000 })),
    conversations: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 5000, description: 'Conversation ids' })),
  },
  { additionalProperties: false },
);
const Empty = Type.Object({}, { additionalProperties: false });

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'reports.refresh_days': Static<typeof RefreshPayload>;
    'reports.backfill': Static<typeof Empty>;
    'reports.scheduled_emails': Static<typeof Empty>;
  }
}

const tenantOf = (job: { tenantId: string | null }) => {
  if (!job.tenantId) throw new Error('reports jobs are queued for a tenant');
  return job.tenantId;
};

export const reportJobs = [
  defineJob({
    type: 'reports.refresh_days',
    description:
      "Recounts the dashboard's and call reports' daily figures of some days: those given and those the given conversations count on now or counted on before (idempotent).",
    payload: RefreshPayload,
    maxAttempts: 8,
    backoffMs: 5_000,
    maxBackoffMs: 5 * 60_000,
    handler: (ctx: AppContext, payload, job) => refreshDays(ctx, tenantOf(job), payload),
  }),
  defineJob({
    type: 'reports.backfill',
    description: "Recounts every day of an organisation's conversations for the dashboard and call reports (after an upgrade), with progress.",
    payload: Empty,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, _payload, job) => backfill(ctx, tenantOf(job), (f, note) => job.progress(f, note), job.signal),
  }),
  defineJob({
    type: 'reports.scheduled_emails',
    description: 'Sends the scheduled call report e-mails whose period (day, week, month) has ended, once each.',
    payload: Empty,
    everyMs: 15 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext) => sendDueReports(ctx),
  }),
] as const;
