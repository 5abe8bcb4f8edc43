// The jobs of speech tags (collected by src/jobs.ts): spotting one conversation after its transcript is stored, and
// spotting changed tags over every stored transcript of a tenant.
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../platform/jobs/registry.ts';
import { respotTenant, spotConversation } from './service.ts';

const SpotPayload = Type.Object({ conversationId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const RespotPayload = Type.Object(
  { tenantId: Type.String({ minLength: 1 }), tagIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
  { additionalProperties: false },
);

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    'speech.spot': Static<typeof SpotPayload>;
    'speech.respot': Static<typeof RespotPayload>;
  }
}

export const speechTagJobs = [
  defineJob({
    type: 'speech.spot',
    description: "Spots every speech tag of the tenant on a conversation's current transcript (queued when the transcript is stored).",
    payload: SpotPayload,
    maxAttempts: 5,
    backoffMs: 5_000,
    handler: async (ctx: AppContext, { conversationId }) => ({ hits: await spotConversation(ctx, conversationId) }),
  }),
  defineJob({
    type: 'speech.respot',
    description: 'Spots new or changed speech tags over every stored transcript of a tenant, in batches, with progress.',
    payload: RespotPayload,
    maxAttempts: 3,
    backoffMs: 30_000,
    leaseMs: 5 * 60_000,
    handler: (ctx: AppContext, { tenantId, tagIds }, job) =>
      respotTenant(ctx, tenantId, tagIds, (done, total) => void job.progress(total ? done / total : 1, `${done} of ${total} conversations`)),
  }),
] as const;
