// Tenants: created from the CLI (or the demo); each gets the built-in roles.
import type { AppContext } from '../context.ts';
import type { Initiator } from '../platform/audit/types.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { DEFAULT_SETTINGS } from '../settings/model.ts';
import { hashPassword } from './passwords.ts';
import * as repo from './repository.ts';
import { ensureBuiltinRoles } from './roles-service.ts';

export const CLI_INITIATOR: Initiator = { userId: null, name: 'earshot CLI', ip: null, application: 'cli' };

export async function createTenant(ctx: AppContext, input: { name: string; language?: string }, initiator: Initiator = CLI_INITIATOR) {
  if (await repo.findTenantByName(ctx.db, input.name)) throw new DomainError('ALREADY_EXISTS', `A tenant named "${input.name}" already exists`);
  const now = nowIso();
  const id = newId();
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertTenant(tx, {
      id,
      name: input.name,
      language: input.language ?? 'en',
      settings: ctx.adapter.json(DEFAULT_SETTINGS),
      created_at: now,
      updated_at: now,
    });
    await ensureBuiltinRoles(ctx, tx, id);
    // Other features' per-tenant defaults (tag presets, ...), hooked in through src/features.ts.
    await ctx.hooks.tenantCreated(tx, id);
    await ctx.audit.append(
      { tenantId: id, initiator, resourceType: 'tenant', resourceId: id, action: 'TENANT_CREATE', details: `Created tenant "${input.name}"` },
      tx,
    );
  });
  return id;
}

/** Creates a user with built-in roles, bypassing the admin checks: for bootstrapping from the CLI and the demo. */
export async function bootstrapUser(
  ctx: AppContext,
  tenantId: string,
  input: { email: string; name: string; password: string; roles: string[]; groupId?: string | null; siteId?: string | null; extension?: string | null },
  initiator: Initiator = CLI_INITIATOR,
) {
  const email = input.email.toLowerCase();
  const existing = await repo.findUserByEmail(ctx.db, tenantId, email);
  if (existing) return existing.id;
  const now = nowIso();
  const id = newId();
  const hash = await hashPassword(input.password);
  const roleIds: string[] = [];
  for (const key of input.roles) {
    const role = await repo.getBuiltinRole(ctx.db, tenantId, key);
    if (!role) throw new DomainError('VALIDATION_FAILED', `Unknown built-in role "${key}"`);
    roleIds.push(role.id);
  }
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertUser(
      tx,
      {
        id,
        tenant_id: tenantId,
        email,
        name: input.name,
        password_hash: hash,
        group_id: input.groupId ?? null,
        site_id: input.siteId ?? null,
        extension: input.extension ?? null,
        external_id: null,
        // None of their own: they read their group's language, else the organisation's (auth/languages.ts).
        language: '',
      },
      now,
    );
    await repo.setUserRoles(tx, id, roleIds);
    await ctx.audit.append(
      {
        tenantId,
        initiator,
        resourceType: 'user',
        resourceId: id,
        action: 'USER_CREATE',
        details: `Created user ${email} with roles ${input.roles.join(', ')}`,
        changes: [
          { field: 'email', old: null, new: email },
          { field: 'roles', old: null, new: input.roles },
        ],
      },
      tx,
    );
  });
  return id;
}

/** Keeps every tenant's built-in roles and the features' per-tenant defaults in step with this version (run at start-up). */
export async function refreshBuiltinRoles(ctx: AppContext) {
  const tenants = await ctx.db.selectFrom('tenants').select('id').execute();
  for (const t of tenants) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await ensureBuiltinRoles(ctx, tx, t.id);
      await ctx.hooks.tenantCreated(tx, t.id);
    });
  }
}
