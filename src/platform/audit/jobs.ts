// The jobs of the audit trail (collected by src/jobs.ts). Handlers name only the platform services they use.
import { Type, type Static } from 'typebox';
import { defineJob } from '../jobs/registry.ts';
import type { AuditLog } from './service.ts';

const VerifyPayload = Type.Object({ tenantId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'audit.verify': Static<typeof VerifyPayload>;
  }
}

export const auditJobs = [
  defineJob({
    type: 'audit.verify',
    description: 'Verifies the audit hash chain of one tenant.',
    payload: VerifyPayload,
    maxAttempts: 2,
    backoffMs: 30_000,
    handler: (ctx: { audit: AuditLog }, { tenantId }) => ctx.audit.verifyChain(tenantId),
  }),
] as const;
