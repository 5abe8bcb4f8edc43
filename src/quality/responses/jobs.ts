// The job of evaluation responses (collected by src/jobs.ts): auto-acknowledging unanswered reviews.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { autoAcknowledge } from './service.ts';

const AutoAckPayload = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'quality.auto_acknowledge': Static<typeof AutoAckPayload>;
  }
}

export const responseJobs = [
  defineJob({
    type: 'quality.auto_acknowledge',
    description:
      'Acknowledges the reviews agents left unanswered for the days the tenant allows (Settings: acknowledgement required, auto-acknowledge after N days).',
    payload: AutoAckPayload,
    everyMs: 60 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext) => autoAcknowledge(ctx),
  }),
] as const;
