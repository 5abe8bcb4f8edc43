// The job of evaluations (collected by src/jobs.ts): reminding evaluators of planned reviews due soon or overdue.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { sendDueReminders } from './service.ts';

const RemindersPayload = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'quality.evaluation_reminders': Static<typeof RemindersPayload>;
  }
}

export const evaluationJobs = [
  defineJob({
    type: 'quality.evaluation_reminders',
    description: 'E-mails the evaluators of planned reviews due within 24 hours or overdue, at most once a day per evaluation.',
    payload: RemindersPayload,
    everyMs: 60 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext) => sendDueReminders(ctx),
  }),
] as const;
