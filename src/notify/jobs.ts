// The job of outgoing e-mail (collected by src/jobs.ts): delivering one outbox e-mail through the tenant's SMTP server.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.ts';
import { defineJob } from '../platform/jobs/registry.ts';
import { deliverQueued, SEND_ATTEMPTS } from './service.ts';

const SendPayload = Type.Object({ outboxId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../platform/jobs/types.ts' {
  interface JobPayloads {
    'notify.send': Static<typeof SendPayload>;
  }
}

export const notifyJobs = [
  defineJob({
    type: 'notify.send',
    description: 'Delivers one e-mail of the outbox (subscription alerts and digests) through the tenant SMTP server; retried with back-off.',
    payload: SendPayload,
    // The handler's last attempt settles the row as failed instead of throwing.
    maxAttempts: SEND_ATTEMPTS,
    backoffMs: 30_000,
    maxBackoffMs: 30 * 60_000,
    handler: (ctx: AppContext, { outboxId }, job) => deliverQueued(ctx, outboxId, job.attempt),
  }),
] as const;
