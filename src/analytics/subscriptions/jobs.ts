// The jobs of indicator subscriptions (collected by src/jobs.ts): the alert of continuous subscribers after a
// conversation's mentions are stored, and the digests the scheduler sends when their period has ended.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { alertConversation, sendDueDigests } from './service.ts';

const AlertPayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const DigestsPayload = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'insights.subscription_alert': Static<typeof AlertPayload>;
    'insights.subscription_digests': Static<typeof DigestsPayload>;
  }
}

export const subscriptionJobs = [
  defineJob({
    type: 'insights.subscription_alert',
    description: 'E-mails the continuous subscribers of the indicators mentioned in a conversation (queued when its mentions are stored), once each.',
    payload: AlertPayload,
    maxAttempts: 5,
    backoffMs: 30_000,
    handler: (ctx: AppContext, { conversationId }) => alertConversation(ctx, conversationId),
  }),
  defineJob({
    type: 'insights.subscription_digests',
    description: 'Sends the daily, weekly and monthly indicator digests whose period ended (in the zone of the subscriber site, an hour after the period).',
    payload: DigestsPayload,
    everyMs: 15 * 60_000,
    maxAttempts: 3,
    backoffMs: 60_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext) => sendDueDigests(ctx),
  }),
] as const;
