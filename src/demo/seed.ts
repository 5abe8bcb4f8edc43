// The demo tenant: a site per time zone, a small group tree, one user per built-in role, a dozen agents, about
// 2,000 conversations over the last 90 days (see conversations.ts) and a quality programme on them (quality.ts).
// Idempotent: an existing tenant gets its conversations only when it has none, its quality programme only once.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import * as repo from '../auth/repository.ts';
import { CLI_INITIATOR, bootstrapUser, createTenant } from '../auth/tenants.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { seedDemoConversations, demoConversationsSeeded, type SeedConversationsOptions, type SeedConversationsResult } from './conversations.ts';
import { DEMO_AGENTS } from './people.ts';
import { seedDemoQuality, type SeedQualityResult } from './quality.ts';
import { seedDemoAnonymization } from './anonymization.ts';
import { seedDemoRetention } from './retention.ts';
import { seedDemoRecorder } from './recorder.ts';
import { seedDemoArchive } from './archive.ts';
import { seedDemoRecordingPolicies } from './recording-policies.ts';

export const DEMO_TENANT = 'Demo';

/** The demo logins, also listed in the README. */
export const DEMO_USERS = [
  { email: 'admin@demo.earshot.local', name: 'Ada Admin', password: 'Admin-Demo-2026!', roles: ['admin'], group: null, site: 'Paris' },
  { email: 'manager@demo.earshot.local', name: 'Marc Manager', password: 'Manager-Demo-2026!', roles: ['cc_manager'], group: 'Customer Care', site: 'Paris' },
  {
    email: 'evaluator@demo.earshot.local',
    name: 'Eva Evaluator',
    password: 'Evaluator-Demo-2026!',
    roles: ['evaluator'],
    group: 'Customer Care',
    site: 'Paris',
  },
  { email: 'agent@demo.earshot.local', name: 'Alex Agent', password: 'Agent-Demo-2026!', roles: ['agent'], group: 'Billing', site: 'Paris', extension: '1001' },
  {
    email: 'agent2@demo.earshot.local',
    name: 'Sam Support',
    password: 'Agent-Demo-2026!',
    roles: ['agent'],
    group: 'Tech Support',
    site: 'New York',
    extension: '2001',
  },
  {
    email: 'compliance@demo.earshot.local',
    name: 'Chloé Compliance',
    password: 'Compliance-Demo-2026!',
    roles: ['compliance_analyst'],
    group: null,
    site: 'Paris',
  },
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

export interface SeedDemoOptions extends SeedConversationsOptions {
  /** false: only the tenant, sites, groups and users (default true). */
  conversations?: boolean;
}

export interface SeedDemoResult {
  /** True when the tenant was created now. */
  created: boolean;
  tenantId: string;
  /** What the conversation seed did; null when not asked for. */
  conversations: SeedConversationsResult | null;
  /** What the quality seed did (scorecards, evaluations, calibrations, moments); absent when it had nothing to do. */
  quality?: SeedQualityResult;
}

const STAFF = { manager: 'manager@demo.earshot.local', evaluator: 'evaluator@demo.earshot.local', admin: 'admin@demo.earshot.local' };

export async function seedDemo(ctx: AppContext, opts: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const existing = await repo.findTenantByName(ctx.db, DEMO_TENANT);
  let created = false;
  let tenantId: string;
  if (existing) {
    tenantId = existing.id;
    if (opts.conversations === false) return { created: false, tenantId, conversations: null };
    if (await demoConversationsSeeded(ctx, tenantId)) {
      // A demo from before quality management gets its quality programme once.
      const quality = await seedDemoQuality(ctx, tenantId, STAFF, { scale: opts.scale, now: opts.now });
      await seedDemoAnonymization(ctx, tenantId);
      await seedDemoRetention(ctx, tenantId);
      await seedDemoRecorder(ctx, tenantId);
      await seedDemoArchive(ctx, tenantId);
      await seedDemoRecordingPolicies(ctx, tenantId);
      return { created: false, tenantId, conversations: null, ...(quality.skipped ? {} : { quality }) };
    }
  } else {
    tenantId = await seedOrganisation(ctx);
    created = true;
  }
  await ensureDemoAgents(ctx, tenantId);
  if (opts.conversations === false) return { created, tenantId, conversations: null };
  const conversations = await seedDemoConversations(ctx, tenantId, STAFF, opts);
  const quality = await seedDemoQuality(ctx, tenantId, STAFF, { scale: opts.scale, now: opts.now });
  await seedDemoAnonymization(ctx, tenantId);
  await seedDemoRetention(ctx, tenantId);
  await seedDemoRecorder(ctx, tenantId);
  await seedDemoArchive(ctx, tenantId);
  await seedDemoRecordingPolicies(ctx, tenantId);
  return { created, tenantId, conversations, ...(quality.skipped ? {} : { quality }) };
}

async function seedOrganisation(ctx: AppContext): Promise<string> {
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
      await repo.insertGroup(tx, {
        id,
        tenant_id: tenantId,
        name: g.name,
        parent_id: g.parent ? groupIds.get(g.parent)! : null,
        site_id: siteIds.get(g.site)!,
        created_at: now,
        updated_at: now,
      });
    }
    await ctx.audit.append(
      {
        tenantId,
        initiator: CLI_INITIATOR,
        resourceType: 'tenant',
        resourceId: tenantId,
        action: 'DEMO_SEED',
        details: `Seeded ${SITES.length} sites and ${GROUPS.length} groups`,
      },
      tx,
    );
  });
  for (const u of DEMO_USERS) {
    await bootstrapUser(ctx, tenantId, {
      email: u.email,
      name: u.name,
      password: u.password,
      roles: [...u.roles],
      groupId: u.group ? groupIds.get(u.group)! : null,
      siteId: siteIds.get(u.site)!,
      extension: 'extension' in u ? u.extension : null,
    });
  }
  return tenantId;
}

/**
 * The agents beyond the demo logins, so lists and filters show variety. They have random passwords (nobody logs in
 * as them); an admin can reset one to try it. Created by email, so this is idempotent.
 */
async function ensureDemoAgents(ctx: AppContext, tenantId: string) {
  const sites = new Map((await repo.listSites(ctx.db, tenantId)).map((s) => [s.name, s.id]));
  const groups = new Map((await repo.listGroups(ctx.db, tenantId)).map((g) => [g.name, g.id]));
  const logins = new Set<string>(DEMO_USERS.map((u) => u.email));
  await Promise.all(
    DEMO_AGENTS.filter((a) => !logins.has(a.email)).map((a) =>
      bootstrapUser(ctx, tenantId, {
        email: a.email,
        name: a.name,
        password: randomBytes(18).toString('base64url'),
        roles: ['agent'],
        groupId: groups.get(a.group) ?? null,
        siteId: sites.get(a.site) ?? null,
        extension: a.extension,
      }),
    ),
  );
}
