// The demo's recorder setup (issue 13): the loopback address as a source, so SIPp or an SBC simulator on the demo host
// records into the demo tenant at once, and one party rule (the demo agents' extension range) beside the extensions
// the users already have. Through the sources service (audited as the demo administrator would be). Nothing random:
// the demo's draws are unchanged. Idempotent: a tenant that has any source keeps its own setup.
import { systemActor } from '../auth/actor.ts';
import type { AppContext } from '../context.ts';
import { createPartyRule, createSource } from '../recorder/sources/service.ts';
import { listAllSources, listPartyRules, listSources } from '../recorder/sources/repository.ts';

export async function seedDemoRecorder(ctx: AppContext, tenantId: string): Promise<{ skipped?: true }> {
  if ((await listSources(ctx.db, tenantId)).length > 0) return { skipped: true };
  const actor = systemActor(tenantId, 'Demo administrator', 'system');
  // An address belongs to one tenant: a second demo tenant (tests) keeps the loopback source of the first.
  const taken = (await listAllSources(ctx.db)).some((s) => s.address === '127.0.0.1');
  if (!taken) await createSource(ctx, actor, { name: 'Local SBC (loopback)', address: '127.0.0.1', vendor: 'generic' });
  if ((await listPartyRules(ctx.db, tenantId)).length === 0) {
    await createPartyRule(ctx, actor, { kind: 'extension_range', value: '1000', valueTo: '2999', role: 'agent' });
  }
  return {};
}
