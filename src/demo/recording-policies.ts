// The demo's recording policies (issue 12, C4): three rules a contact centre typically has — a private line never
// recorded, and (disabled, as examples) calls under 3 s dropped and a 20 % quality sample of the Sales queue — added after the demo's conversations,
// so they decide what is ingested or recorded from now on and change nothing already seeded. Through the service (so
// they are audited like an administrator's); no random draws; idempotent (a tenant with rules already is left alone).
import type { AppContext } from '../context.ts';
import { systemActor } from '../auth/actor.ts';
import { listPolicies } from '../compliance/recording-policies/repository.ts';
import { createPolicy } from '../compliance/recording-policies/service.ts';

export async function seedDemoRecordingPolicies(ctx: AppContext, tenantId: string): Promise<{ skipped?: true; created: number }> {
  if ((await listPolicies(ctx.db, tenantId)).length) return { skipped: true, created: 0 };
  const actor = systemActor(tenantId, 'Demo compliance officer', 'system');
  await createPolicy(ctx, actor, { name: 'HR private line', action: 'skip', appliesTo: 'all', numbers: ['+44 20 7946 0999*'] });
  // Shown, not applied: a short test file or a Sales call imported into the demo would otherwise arrive without its
  // audio (and the e2e imports short calls), which is not what someone trying the demo expects.
  await createPolicy(ctx, actor, { name: 'Calls under 3 s', action: 'skip', shorterThanSeconds: 3, enabled: false });
  await createPolicy(ctx, actor, { name: 'Sales quality sample', action: 'sample', samplePercent: 20, queues: ['Sales'], enabled: false });
  return { created: 3 };
}
