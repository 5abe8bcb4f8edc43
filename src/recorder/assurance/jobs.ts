// The recorder's scheduled jobs (collected by src/jobs.ts): assessing ended calls, probing the SRCs with OPTIONS, and
// e-mailing the administrators a digest of what went wrong (notify.ts).
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { notifyAssurance } from './notify.ts';
import { probeSources } from './options.ts';
import { assessEndedCalls } from './service.ts';

const Empty = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'recorder.assurance': Static<typeof Empty>;
    'recorder.probe_sources': Static<typeof Empty>;
    'recorder.assurance_notify': Static<typeof Empty>;
  }
}

export const assuranceJobs = [
  defineJob({
    type: 'recorder.assurance',
    description:
      'Assesses ended recording sessions once: flags (not recorded, one-sided, empty, clipped, long gaps…) on the call and its conversation, per-leg network quality for the player and the Poor quality filter.',
    payload: Empty,
    everyMs: 60_000,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: async (ctx: AppContext) => void (await assessEndedCalls(ctx)),
  }),
  defineJob({
    type: 'recorder.probe_sources',
    description: 'Sends SIP OPTIONS to every enabled recording source with a ping URI; one that stops answering shows on Recording health.',
    payload: Empty,
    everyMs: 60_000,
    maxAttempts: 1,
    backoffMs: 60_000,
    leaseMs: 60_000,
    handler: async (ctx: AppContext) => void (await probeSources(ctx)),
  }),
  defineJob({
    type: 'recorder.assurance_notify',
    description:
      'E-mails the administrators who manage the recorder a digest of flagged calls (not recorded, one-sided, empty, clipped, long gaps) and recording sources that stopped answering OPTIONS — at most once an hour per organisation.',
    payload: Empty,
    everyMs: 5 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: async (ctx: AppContext) => void (await notifyAssurance(ctx)),
  }),
] as const;
