// The jobs of webhooks (collected by src/jobs.ts). webhooks.dispatch is queued by name by publishEvent
// (src/platform/events) in the transaction of the change; it makes one delivery per subscribed endpoint, each sent by
// webhooks.deliver, which schedules its own retries (a new job at the back-off time), so the queue's retries below
// only cover a worker that crashed or a database that failed mid-attempt.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import type { DomainEvent } from '../../platform/events/index.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { deliver, dispatchEvent, pruneDeliveries } from './service.ts';

const DispatchPayload = Type.Object(
  {
    event: Type.Object(
      {
        id: Type.String({ minLength: 1 }),
        type: Type.String({ minLength: 1 }),
        time: Type.String({ minLength: 1 }),
        tenant: Type.String({ minLength: 1 }),
        data: Type.Record(Type.String(), Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const DeliverPayload = Type.Object({ deliveryId: Type.String({ minLength: 1 }), manual: Type.Boolean() }, { additionalProperties: false });
const PrunePayload = Type.Object({}, { additionalProperties: false });

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'webhooks.dispatch': Static<typeof DispatchPayload>;
    'webhooks.deliver': Static<typeof DeliverPayload>;
    'webhooks.prune': Static<typeof PrunePayload>;
  }
}

export const webhookJobs = [
  defineJob({
    type: 'webhooks.dispatch',
    description: 'Turns a published domain event into one webhook delivery per enabled endpoint that chose it (queued by publishEvent).',
    payload: DispatchPayload,
    maxAttempts: 5,
    backoffMs: 10_000,
    handler: (ctx: AppContext, { event }) => dispatchEvent(ctx, event as unknown as DomainEvent),
  }),
  defineJob({
    type: 'webhooks.deliver',
    description: 'POSTs one signed webhook delivery and logs the attempt; on failure queues the next attempt (back-off over 24 h) or settles it.',
    payload: DeliverPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 60_000,
    handler: (ctx: AppContext, { deliveryId, manual }) => deliver(ctx, deliveryId, manual),
  }),
  defineJob({
    type: 'webhooks.prune',
    description: 'Removes finished webhook deliveries older than 30 days from the delivery log.',
    payload: PrunePayload,
    maxAttempts: 3,
    backoffMs: 60_000,
    everyMs: 24 * 3_600_000,
    handler: (ctx: AppContext) => pruneDeliveries(ctx),
  }),
] as const;
