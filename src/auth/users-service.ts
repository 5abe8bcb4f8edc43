// Administration of users: create, edit, roles, unlock, reset password, delete. Scoped admins manage only their subtree.
import type { AppContext } from '../context.ts';
import type { FieldChange } from '../platform/audit/types.ts';
import type { UsersTable } from '../platform/db/schema.ts';
import { inTransaction } from '../platform/db/uow.ts';
import { DomainError, conflict, forbidden, invalid, notFound } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { assertWithinScope, inScope, initiatorOf, requirePermission, type Actor } from './actor.ts';
import { hashPassword } from './passwords.ts';
import * as repo from './repository.ts';
import { checkLanguage, ownLanguage } from './languages.ts';
import { checkPasswordPolicy, revokeAllTokens } from './session-service.ts';

export interface UserInput {
  email: string;
  name: string;
  password: string;
  roleIds: string[];
  groupId?: string | null;
  siteId?: string | null;
  extension?: string | null;
  externalId?: string | null;
  /** null or absent: no language of their own (their group's, else the organisation's). */
  language?: string | null;
}

export type UserPatch = Partial<Omit<UserInput, 'password'>> & { disabled?: boolean };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function listUsers(ctx: AppContext, actor: Actor, q: { q?: string; limit?: number; offset?: number }) {
  requirePermission(actor, 'users.manage');
  const { total, items } = await repo.listUsers(ctx.db, ctx.adapter, {
    tenantId: actor.tenantId,
    q: q.q?.trim() || undefined,
    groupIds: actor.scope.all ? undefined : actor.scope.groupIds,
    limit: Math.min(q.limit ?? 50, 500),
    offset: q.offset ?? 0,
  });
  return { total, items: await views(ctx, items) };
}

export async function getUser(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'users.manage');
  return (await views(ctx, [await load(ctx, actor, id)]))[0]!;
}

export async function createUser(ctx: AppContext, actor: Actor, input: UserInput) {
  requirePermission(actor, 'users.manage');
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw invalid(`"${input.email}" is not a valid email address`, { field: 'email' });
  if (!input.name.trim()) throw invalid('The name is required', { field: 'name' });
  await checkPasswordPolicy(ctx, actor.tenantId, input.password);
  // No group given means no group, which sees every group: only an organisation-wide admin may create such a user.
  await validateRefs(ctx, actor, { ...input, groupId: input.groupId ?? null });
  if (await repo.findUserByEmail(ctx.db, actor.tenantId, email)) throw new DomainError('ALREADY_EXISTS', `A user with the email ${email} already exists`);
  const now = nowIso();
  const row: repo.NewUser = {
    id: newId(),
    tenant_id: actor.tenantId,
    email,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password),
    group_id: input.groupId ?? null,
    site_id: input.siteId ?? null,
    extension: input.extension?.trim() || null,
    external_id: input.externalId?.trim() || null,
    language: ownLanguage(input.language) ?? '',
  };
  const roleNames = await roleNamesOf(ctx, actor.tenantId, input.roleIds);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertUser(tx, row, now);
    await repo.setUserRoles(tx, row.id, input.roleIds);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: row.id,
        action: 'USER_CREATE',
        details: `Created user ${email} with roles ${roleNames.join(', ') || 'none'}`,
        changes: [
          { field: 'email', old: null, new: email },
          { field: 'name', old: null, new: row.name },
          { field: 'roles', old: null, new: roleNames },
          { field: 'groupId', old: null, new: row.group_id },
          { field: 'siteId', old: null, new: row.site_id },
        ],
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A user with the email ${email} already exists`);
    throw e;
  });
  return getUser(ctx, actor, row.id);
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, patch: UserPatch) {
  requirePermission(actor, 'users.manage');
  const user = await load(ctx, actor, id);
  if (patch.disabled === true && id === actor.userId) throw conflict('You cannot disable your own account');
  await checkNotMorePrivileged(ctx, actor, id);
  await validateRefs(ctx, actor, patch);
  const next: Partial<UsersTable> = {};
  if (patch.email !== undefined) {
    const email = patch.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw invalid(`"${patch.email}" is not a valid email address`, { field: 'email' });
    next.email = email;
  }
  if (patch.name !== undefined) {
    if (!patch.name.trim()) throw invalid('The name is required', { field: 'name' });
    next.name = patch.name.trim();
  }
  if (patch.groupId !== undefined) next.group_id = patch.groupId;
  if (patch.siteId !== undefined) next.site_id = patch.siteId;
  if (patch.extension !== undefined) next.extension = patch.extension?.trim() || null;
  if (patch.externalId !== undefined) next.external_id = patch.externalId?.trim() || null;
  if (patch.language !== undefined) next.language = ownLanguage(patch.language) ?? '';
  if (patch.disabled !== undefined) next.disabled = patch.disabled ? 1 : 0;
  const changes: FieldChange[] = [];
  const labels: Record<string, string> = { group_id: 'groupId', site_id: 'siteId', external_id: 'externalId' };
  for (const [k, v] of Object.entries(next)) {
    const old = (user as unknown as Record<string, unknown>)[k];
    // disabled is a flag; a language of one's own that is '' is none (null).
    const shown = (x: unknown) => (k === 'disabled' ? Boolean(x) : k === 'language' ? x || null : x);
    if (old !== v) changes.push({ field: labels[k] ?? k, old: shown(old), new: shown(v) });
  }
  if (patch.roleIds !== undefined) {
    if (id === actor.userId) throw conflict('You cannot change your own roles; ask another administrator');
    const before = (await repo.rolesOfUsers(ctx.db, [id])).map((r) => r.name).sort();
    const after = (await roleNamesOf(ctx, actor.tenantId, patch.roleIds)).sort();
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ field: 'roles', old: before, new: after });
  }
  if (changes.length === 0) return getUser(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateUser(tx, id, { ...next, updated_at: nowIso() });
    if (patch.roleIds !== undefined) await repo.setUserRoles(tx, id, patch.roleIds);
    if (next.disabled === 1) await repo.deleteUserSessions(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: id,
        action: 'USER_UPDATE',
        details: `Updated user ${user.email}: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      },
      tx,
    );
  }).catch((e) => {
    if (ctx.adapter.isUniqueViolation(e)) throw new DomainError('ALREADY_EXISTS', `A user with the email ${next.email} already exists`);
    throw e;
  });
  return getUser(ctx, actor, id);
}

export async function deleteUser(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'users.manage');
  const user = await load(ctx, actor, id);
  if (id === actor.userId) throw conflict('You cannot delete your own account');
  await checkNotMorePrivileged(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteUser(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: id,
        action: 'USER_DELETE',
        details: `Deleted user ${user.email} (${user.name})`,
      },
      tx,
    );
  });
}

export async function unlockUser(ctx: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'users.manage');
  const user = await load(ctx, actor, id);
  await checkNotMorePrivileged(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateUser(tx, id, { locked_until: null, failed_logins: 0, updated_at: nowIso() });
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: id,
        action: 'USER_UNLOCK',
        details: `Unlocked ${user.email}`,
        changes: [{ field: 'lockedUntil', old: user.locked_until, new: null }],
      },
      tx,
    );
  });
  return getUser(ctx, actor, id);
}

export async function resetPassword(ctx: AppContext, actor: Actor, id: string, newPassword: string) {
  requirePermission(actor, 'users.manage');
  const user = await load(ctx, actor, id);
  // Otherwise a stolen admin session could set the admin's password without knowing the current one.
  if (id === actor.userId) throw forbidden('To change your own password use "Change password" in your account menu: it asks for the current one');
  await checkNotMorePrivileged(ctx, actor, id);
  await checkPasswordPolicy(ctx, actor.tenantId, newPassword);
  const hash = await hashPassword(newPassword);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.updateUser(tx, id, { password_hash: hash, password_changed_at: nowIso(), failed_logins: 0, locked_until: null, updated_at: nowIso() });
    await repo.deleteUserSessions(tx, id);
    await ctx.audit.append(
      {
        tenantId: actor.tenantId,
        initiator: initiatorOf(actor),
        resourceType: 'user',
        resourceId: id,
        action: 'USER_PASSWORD_RESET',
        details: `Reset the password of ${user.email}`,
      },
      tx,
    );
    await revokeAllTokens(ctx, tx, actor, user, 'an administrator reset the password');
  });
}

async function load(ctx: AppContext, actor: Actor, id: string) {
  const user = await repo.getUser(ctx.db, actor.tenantId, id);
  // Out of scope looks the same as absent: a scoped admin cannot probe other groups.
  if (!user || !inScope(actor, user.group_id)) throw notFound('User', id);
  return user;
}

/**
 * A manager may change only users who hold no permission the manager lacks: otherwise resetting an admin's password
 * (or editing, disabling, deleting them) would get round the rule that one cannot grant what one does not hold.
 */
async function checkNotMorePrivileged(ctx: AppContext, actor: Actor, userId: string) {
  const missing = new Set<string>();
  for (const r of await repo.rolesOfUsers(ctx.db, [userId])) {
    for (const p of ctx.adapter.fromJson<string[]>(r.permissions)) if (!actor.permissions.has(p as never)) missing.add(p);
  }
  if (missing.size) throw forbidden(`This user holds permissions you do not hold (${[...missing].join(', ')}); ask an administrator who holds them`);
}

async function validateRefs(ctx: AppContext, actor: Actor, input: Partial<UserInput>) {
  if (input.groupId && !(await repo.getGroup(ctx.db, actor.tenantId, input.groupId)))
    throw invalid(`Group ${input.groupId} does not exist`, { field: 'groupId' });
  // A user in no group sees every group: null is the whole organisation.
  if (input.groupId !== undefined) assertWithinScope(actor, [input.groupId], 'Placing a user in this group');
  if (input.siteId && !(await repo.getSite(ctx.db, actor.tenantId, input.siteId))) throw invalid(`Site ${input.siteId} does not exist`, { field: 'siteId' });
  checkLanguage(input.language);
  if (input.roleIds) {
    for (const roleId of input.roleIds) {
      const role = await repo.getRole(ctx.db, actor.tenantId, roleId);
      if (!role) throw invalid(`Role ${roleId} does not exist`, { field: 'roleIds' });
      const missing = ctx.adapter.fromJson<string[]>(role.permissions).filter((p) => !actor.permissions.has(p as never));
      if (missing.length) throw forbidden(`You cannot grant the role "${role.name}": it has permissions you do not hold (${missing.join(', ')})`);
    }
  }
}

async function roleNamesOf(ctx: AppContext, tenantId: string, ids: string[]) {
  const names: string[] = [];
  for (const id of ids) {
    const r = await repo.getRole(ctx.db, tenantId, id);
    if (r) names.push(r.name);
  }
  return names;
}

async function views(ctx: AppContext, users: UsersTable[]) {
  const roles = await repo.rolesOfUsers(
    ctx.db,
    users.map((u) => u.id),
  );
  const now = Date.now();
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ id: r.id, name: r.name })),
    groupId: u.group_id,
    siteId: u.site_id,
    extension: u.extension,
    externalId: u.external_id,
    language: ownLanguage(u.language),
    disabled: Boolean(u.disabled),
    lockedUntil: u.locked_until && new Date(u.locked_until).getTime() > now ? u.locked_until : null,
    lastLoginAt: u.last_login_at,
    createdAt: u.created_at,
  }));
}
