// The demo tenant: a site per time zone, a small group tree and one user per built-in role. Idempotent.
import type { AppContext } from '../context.ts';
import * as repo from '../auth/repository.ts';
import { CLI_INITIATOR, bootstrapUser, createTenant } from '../auth/tenants.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { inTransaction } from '../platform/db/uow.ts';

export const DEMO_TENANT = 'Demo';

/** The demo logins, also listed in the README. */
export const DEMO_USERS = [
  { email: 'admin@demo.earshot.local', name: 'Ada Admin', password: 'Admin-Demo-2026!', roles: ['admin'], group: null, site: 'Paris' },
  { email: 'manager@demo.earshot.local', name: 'Marc Manager', password: 'Manager-Demo-2026!', roles: ['cc_manager'], group: 'Customer Care', site: 'Paris' },
  { email: 'evaluator@demo.earshot.local', name: 'Eva Evaluator', password: 'Evaluator-Demo-2026!', roles: ['evaluator'], group: 'Customer Care', site: 'Paris' },
  { email: 'agent@demo.earshot.local', name: 'Alex Agent', password: 'Agent-Demo-2026!', roles: ['agent'], group: 'Billing', site: 'Paris', extension: '1001' },
  { email: 'agent2@demo.earshot.local', name: 'Sam Support', password: 'Agent-Demo-2026!', roles: ['agent'], group: 'Tech Support', site: 'New York', extension: '2001' },
  { email: 'compliance@demo.earshot.local', name: 'Chloé Compliance', password: 'Compliance-Demo-2026!', roles: ['compliance_analyst'], group: null, site: 'Paris' },
] as const;

const SITES = [
  { name: 'Paris', timeZone: 'Europe/Paris' },
  { name: 'New York', timeZone: 'America/New_York' },
];
const GROUPS = [
  { name: 'Customer Care', parent: null, site: 'Paris' },
  { name: 'Billing', parent: 'Customer Care', site: 'Paris' },
  { name: 'Tech Support', parent: 'Customer Care', site: 'New York' },
];

export async function seedDemo(ctx: AppContext): Promise<{ created: boolean; tenantId: string }> {
  const existing = await repo.findTenantByName(ctx.db, DEMO_TENANT);
  if (existing) return { created: false, tenantId: existing.id };
  const tenantId = await createTenant(ctx, { name: DEMO_TENANT });
  const now = nowIso();
  const siteIds = new Map<string, string>();
  const groupIds = new Map<string, string>();
  await inTransaction(ctx.db, async ({ tx }) => {
    for (const s of SITES) {
      const id = newId();
      siteIds.set(s.name, id);
      await repo.insertSite(tx, { id, tenant_id: tenantId, name: s.name, time_zone: s.timeZone, created_at: now, updated_at: now });
    }
    for (const g of GROUPS) {
      const id = newId();
      groupIds.set(g.name, id);
      await repo.insertGroup(tx, { id, tenant_id: tenantId, name: g.name, parent_id: g.parent ? groupIds.get(g.parent)! : null, site_id: siteIds.get(g.site)!, created_at: now, updated_at: now });
    }
    await ctx.audit.append({ tenantId, initiator: CLI_INITIATOR, resourceType: 'tenant', resourceId: tenantId, action: 'DEMO_SEED', details: `Seeded ${SITES.length} sites and ${GROUPS.length} groups` }, tx);
  });
  for (const u of DEMO_USERS) {
    await bootstrapUser(ctx, tenantId, {
      email: u.email, name: u.name, password: u.password, roles: [...u.roles], groupId: u.group ? groupIds.get(u.group)! : null,
      siteId: siteIds.get(u.site)!, extension: 'extension' in u ? u.extension : null,
    });
  }
  return { created: true, tenantId };
}
