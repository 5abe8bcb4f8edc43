// Factories: each test makes its own tenant, so suites run in parallel without a shared seeded database.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import type { App } from '../../src/platform/http/types.ts';
import { bootstrapUser, createTenant } from '../../src/auth/tenants.ts';
import * as repo from '../../src/auth/repository.ts';
import { newId, nowIso } from '../../src/platform/ids.ts';
import type { Permission } from '../../src/auth/permissions.ts';
import { SESSION_COOKIE } from '../../src/auth/tokens.ts';

export const PASSWORD = 'Correct-Horse-42!';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  tenantId: string;
}

// Random names are drawn from consonants that are not hex digits: a test that searches users or tenants by a
// digit or a word ("100", "al") cannot find a random one by chance (a hex name once held "100": CI failed).
const LETTERS = 'ghjkmnpqrsvwxz';
export function randomToken(length = 10) {
  return Array.from(randomBytes(length), (b) => LETTERS[b % LETTERS.length]).join('');
}

export async function makeTenant(ctx: AppContext, name = `T-${randomToken()}`) {
  const tenantId = await createTenant(ctx, { name });
  const admin = await makeUser(ctx, tenantId, { roles: ['admin'] });
  return { tenantId, name, admin };
}

export async function makeUser(
  ctx: AppContext,
  tenantId: string,
  opts: { roles?: string[]; permissions?: Permission[]; groupId?: string | null; email?: string; name?: string; extension?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? `u-${randomToken()}@example.test`;
  const id = await bootstrapUser(ctx, tenantId, {
    email,
    name: opts.name ?? email.split('@')[0]!,
    password: PASSWORD,
    roles: opts.roles ?? [],
    groupId: opts.groupId ?? null,
    extension: opts.extension ?? null,
  });
  if (opts.permissions) {
    const roleId = newId();
    await repo.insertRole(ctx.db, {
      id: roleId,
      tenant_id: tenantId,
      builtin_key: null,
      name: `role-${roleId}`,
      description: '',
      permissions: ctx.adapter.json(opts.permissions),
      created_at: nowIso(),
      updated_at: nowIso(),
    });
    const current = (await repo.rolesOfUsers(ctx.db, [id])).map((r) => r.id);
    await repo.setUserRoles(ctx.db, id, [...current, roleId]);
  }
  return { id, email, password: PASSWORD, tenantId };
}

export async function makeGroup(ctx: AppContext, tenantId: string, name: string, parentId: string | null = null) {
  const id = newId();
  await repo.insertGroup(ctx.db, { id, tenant_id: tenantId, parent_id: parentId, site_id: null, name, created_at: nowIso(), updated_at: nowIso() });
  return id;
}

/** Logs in through the API and returns the cookie header to send. */
export async function login(app: App, user: { email: string; password: string }): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  return `${SESSION_COOKIE}=${cookie!.value}`;
}

export async function makeSite(ctx: AppContext, tenantId: string, name: string, timeZone = 'Europe/Paris') {
  const id = newId();
  await repo.insertSite(ctx.db, { id, tenant_id: tenantId, name: `${name}-${id.slice(-6)}`, time_zone: timeZone, created_at: nowIso(), updated_at: nowIso() });
  return id;
}
