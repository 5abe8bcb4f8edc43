// Built-in roles are read-only; custom roles are assembled from the permission catalogue.
import type { AppContext } from '../context.ts';
import type { RolesTable } from '../platform/db/schema.ts';
import type { Executor } from '../platform/db/index.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, forbidden, invalid, notFound } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from './actor.ts';
import { BUILTIN_ROLES, PERMISSIONS, PERMISSION_IDS, isPermission, type BuiltinRoleKey } from './permissions.ts';
import * as repo from './repository.ts';

export function permissionCatalogue() {
  return { items: PERMISSIONS.map((p) => ({ ...p })) };
}

export async function listRoles(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'roles.manage', 'users.manage');
  const [rows, counts] = await Promise.all([repo.listRoles(ctx.db, actor.tenantId), repo.roleUserCounts(ctx.db, actor.tenantId)]);
  return { items: rows.map((r) => view(ctx, r, counts.get(r.id) ?? 0)) };
}

export async function createRole(ctx: AppContext, actor: Actor, input: { name: string; description?: string; permissions: string[] }) {
  requirePermission(actor, 'roles.manage');
  const name = input.name.trim();
  if (!name) throw invalid('The role needs a name', { field: 'name' });
  const permissions = checkPermissions(actor, input.permissions);
  const now = nowIso();
  const row: RolesTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    builtin_key: null,
    name,
    description: input.description?.trim() ?? '',
    permissions: ctx.adapter.json(permissions),
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertRole(tx, row);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'role',
        resourceId: row.id,
        action: 'ROLE_CREATE',
        details: `Created role "${name}"`,
        changes: [
          { field: 'name', old: null, new: name },
          { field: 'permissions', old: null, new: permissions },
        ],
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A role named "${name}" already exists`);
    throw e;
  });
  // row.permissions holds the value written (JSON text), which PostgreSQL's fromJson would not parse back.
  return { ...view(ctx, row, 0), permissions };
}

export async function updateRole(ctx: AppContext, actor: Actor, id: string, patch: { name?: string; description?: string; permissions?: string[] }) {
  requirePermission(actor, 'roles.manage');
  const role = await load(ctx, actor, id);
  if (role.builtin_key) throw forbidden(`"${role.name}" is a built-in role and cannot be changed; create a custom role instead`);
  await checkCanChange(ctx, actor, role, 'Changing');
  const before = { name: role.name, description: role.description, permissions: ctx.adapter.fromJson<string[]>(role.permissions) };
  const after = {
    name: patch.name !== undefined ? patch.name.trim() : before.name,
    description: patch.description !== undefined ? patch.description.trim() : before.description,
    permissions: patch.permissions !== undefined ? checkPermissions(actor, patch.permissions) : before.permissions,
  };
  if (!after.name) throw invalid('The role needs a name', { field: 'name' });
  const changes = (['name', 'description', 'permissions'] as const)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => ({ field: f, old: before[f], new: after[f] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateRole(tx, id, {
        name: after.name,
        description: after.description,
        permissions: ctx.adapter.json(after.permissions),
        updated_at: nowIso(),
      });
      await ctx.audit.append(
        {
          tenantId: actor.tenantId,
          initiator: initiatorOf(actor),
          resourceType: 'role',
          resourceId: id,
          action: 'ROLE_UPDATE',
          details: `Updated role "${after.name}"`,
          changes,
        },
        tx,
      );
    }).catch((e) => {
      if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A role named "${after.name}" already exists`);
      throw e;
    });
  }
  const counts = await repo.roleUserCounts(ctx.db, actor.tenantId);
  return view(ctx, (await repo.getRole(ctx.db, actor.tenantId, id))!, counts.get(id) ?? 0);
}

export async function deleteRole(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'roles.manage');
  const role = await load(ctx, actor, id);
  if (role.builtin_key) throw forbidden(`"${role.name}" is a built-in role and cannot be deleted`);
  await checkCanChange(ctx, actor, role, 'Deleting');
  const users = (await repo.roleUserCounts(ctx.db, actor.tenantId)).get(id) ?? 0;
  if (users > 0) throw new DomainError('IN_USE', `The role "${role.name}" is held by ${users} user(s); remove it from them first`);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteRole(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'role',
        resourceId: id,
        action: 'ROLE_DELETE',
        details: `Deleted role "${role.name}"`,
      },
      tx,
    );
  });
}

/** Creates the built-in roles of a tenant (idempotent). */
export async function ensureBuiltinRoles(ctx: Pick<AppContext, 'adapter'>, exec: Executor, tenantId: string) {
  const now = nowIso();
  for (const [key, def] of Object.entries(BUILTIN_ROLES) as Array<[BuiltinRoleKey, (typeof BUILTIN_ROLES)[BuiltinRoleKey]]>) {
    const existing = await repo.getBuiltinRole(exec, tenantId, key);
    if (existing) {
      // New permissions added to the catalogue reach built-in roles on the next start.
      await repo.updateRole(exec, existing.id, { permissions: ctx.adapter.json([...def.permissions]), description: def.description });
    } else {
      await repo.insertRole(exec, {
        id: newId(),
        tenant_id: tenantId,
        builtin_key: key,
        name: def.name,
        description: def.description,
        permissions: ctx.adapter.json([...def.permissions]),
        created_at: now,
        updated_at: now,
      });
    }
  }
}

function checkPermissions(actor: Actor, list: string[]) {
  const unknown = list.filter((p) => !isPermission(p));
  if (unknown.length) throw invalid(`Unknown permission(s): ${unknown.join(', ')}`, { field: 'permissions' });
  const notHeld = list.filter((p) => !actor.permissions.has(p as never));
  if (notHeld.length) throw forbidden(`You cannot grant permissions you do not hold: ${notHeld.join(', ')}`);
  return PERMISSION_IDS.filter((p) => list.includes(p));
}

/**
 * A role's change reaches every holder: refused when one of them is outside the actor's scope, and when the role holds
 * permissions the actor lacks (as with users, one may not reshape what is more privileged than oneself).
 */
async function checkCanChange(ctx: AppContext, actor: Actor, role: RolesTable, verb: string) {
  const holders = await repo.holdersOfRole(ctx.db, role.id);
  assertWithinScope(
    actor,
    holders.map((h) => h.group_id),
    `${verb} the role "${role.name}"`,
  );
  const missing = ctx.adapter.fromJson<string[]>(role.permissions).filter((p) => !actor.permissions.has(p as never));
  if (missing.length) throw forbidden(`The role "${role.name}" has permissions you do not hold (${missing.join(', ')}); ask an administrator who holds them`);
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const role = await repo.getRole(ctx.db, actor.tenantId, id);
  if (!role) throw notFound('Role', id);
  return role;
}

function view(ctx: AppContext, r: RolesTable, userCount: number) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    builtinKey: r.builtin_key,
    permissions: ctx.adapter.fromJson<string[]>(r.permissions),
    userCount,
  };
}
