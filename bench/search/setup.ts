// The tenant of the benchmark data set, made through the application (tenant, built-in roles, admin) plus plain rows
// for what the conversations point at: 3 sites in different time zones, 6 groups, 500 agents, 2 custom fields, tags.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { FEATURES } from '../../src/features.ts';
import { bootstrapUser, createTenant } from '../../src/auth/tenants.ts';
import { newId } from '../../src/platform/ids.ts';
import { mulberry32, streamSeed, Zipf } from './prng.ts';
import type { GenAgent, GenSetup, GenSite } from './generate.ts';
import { FIRST_NAMES, LAST_NAMES } from './vocabulary.ts';

export const AGENTS = 500;
const SITES: Array<Omit<GenSite, 'id'>> = [
  { name: 'London', timeZone: 'Europe/London', region: 'EMEA', currency: '£', share: 0.4 },
  { name: 'New York', timeZone: 'America/New_York', region: 'NA', currency: '$', share: 0.35 },
  { name: 'Manila', timeZone: 'Asia/Manila', region: 'APAC', currency: '$', share: 0.25 },
];
const GROUPS = ['Billing', 'Technical support', 'Retention', 'Sales', 'Orders', 'Customer care'];
const TAGS = ['Escalation', 'Training', 'Complaint', 'Upsell', 'Compliance'];

/** An AppContext on a database URL, with a throwaway data directory (nothing is stored there). */
export async function benchContext(databaseUrl: string): Promise<{ ctx: AppContext; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-search-bench-'));
  const config = loadConfig({
    EARSHOT_DATA_DIR: dataDir,
    EARSHOT_DATABASE_URL: databaseUrl,
    EARSHOT_MASTER_KEY: randomBytes(32).toString('base64'),
    EARSHOT_LOG_LEVEL: 'silent',
    EARSHOT_DEMO: 'false',
    // The bench measures latency: a slow run on a loaded machine is a figure to report, not a search to stop (5 s).
    EARSHOT_SEARCH_TIMEOUT_MS: '120000',
  });
  const ctx = await createContext(config, { features: FEATURES, log: pino({ level: 'silent' }) });
  return {
    ctx,
    async close() {
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the tenant and its reference rows; the conversations come later, loaded in bulk. */
export async function createSetup(ctx: AppContext, n: number, seed: number, now: number, spokenWords = 0): Promise<GenSetup> {
  const r = mulberry32(streamSeed(seed, 0xfffffff1));
  const at = new Date(now - 800 * 86400_000).toISOString();
  const tenantId = await createTenant(ctx, { name: 'Search benchmark' });
  const adminId = await bootstrapUser(ctx, tenantId, {
    email: 'admin@bench.example',
    name: 'Bench Admin',
    password: `Bench-${randomBytes(8).toString('hex')}!`,
    roles: ['admin'],
  });
  const sites: GenSite[] = SITES.map((s) => ({ ...s, id: newId() }));
  const groups = GROUPS.map((name, i) => ({ id: newId(), name, site: i % sites.length }));
  const first = new Zipf(FIRST_NAMES.length, 0.5);
  const last = new Zipf(LAST_NAMES.length, 0.5);
  const agents: GenAgent[] = Array.from({ length: AGENTS }, (_, i) => {
    const group = groups[i % groups.length]!;
    return {
      id: newId(),
      first: FIRST_NAMES[first.sample(r)]!,
      last: LAST_NAMES[last.sample(r)]!,
      extension: String(2000 + i),
      groupId: group.id,
      site: group.site,
    };
  });
  const fields = { ciscoId: newId(), region: newId() };
  const tagIds = TAGS.map(() => newId());
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('sites')
      .values(sites.map((s) => ({ id: s.id, tenant_id: tenantId, name: s.name, time_zone: s.timeZone, created_at: at, updated_at: at })))
      .execute();
    await tx
      .insertInto('groups')
      .values(groups.map((g) => ({ id: g.id, tenant_id: tenantId, parent_id: null, site_id: sites[g.site]!.id, name: g.name, created_at: at, updated_at: at })))
      .execute();
    for (let i = 0; i < agents.length; i += 100) {
      await tx
        .insertInto('users')
        .values(
          agents.slice(i, i + 100).map((a) => ({
            id: a.id,
            tenant_id: tenantId,
            email: `${a.first}.${a.last}.${a.extension}@northwind.example`.toLowerCase(),
            name: `${a.first} ${a.last}`,
            password_hash: null,
            group_id: a.groupId,
            site_id: sites[a.site]!.id,
            extension: a.extension,
            external_id: null,
            language: 'en',
            disabled: 0,
            failed_logins: 0,
            locked_until: null,
            password_changed_at: null,
            last_login_at: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
    }
    await tx
      .insertInto('custom_field_definitions')
      .values([
        {
          id: fields.ciscoId,
          tenant_id: tenantId,
          key: 'cisco_id',
          label: 'Cisco ID',
          type: 'text',
          options: ctx.adapter.json([]),
          show_in_list: 1,
          position: 0,
          created_at: at,
          updated_at: at,
        },
        {
          id: fields.region,
          tenant_id: tenantId,
          key: 'region',
          label: 'Region',
          type: 'option',
          options: ctx.adapter.json(['EMEA', 'NA', 'APAC']),
          show_in_list: 0,
          position: 1,
          created_at: at,
          updated_at: at,
        },
      ])
      .execute();
    await tx
      .insertInto('tag_definitions')
      .values(
        TAGS.map((name, i) => ({
          id: tagIds[i]!,
          tenant_id: tenantId,
          name,
          color: '#1c7ed6',
          data_key: null,
          data_value: null,
          comment_required: 0,
          preset: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  });
  return { n, seed, now, spokenWords, tenantId, adminId, sites, agents, fields, tagIds };
}
