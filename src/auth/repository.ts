// All SQL for tenants, users, roles, groups, sites, sessions and API tokens.
import { sql } from 'kysely';
import type { DialectAdapter } from '../platform/db/adapter.ts';
import type { Executor, Tx } from '../platform/db/index.ts';
import type { ApiTokensTable, GroupsTable, RolesTable, SessionsTable, SitesTable, TenantsTable, UsersTable } from '../platform/db/schema.ts';

// Tenants
export const getTenant = (db: Executor, id: string) => db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
/** The tenant row under a lock, for a read-modify-write of its settings (FOR UPDATE on PostgreSQL). */
export const lockTenant = (tx: Tx, a: DialectAdapter, id: string) =>
  a.lockForUpdate(tx.selectFrom('tenants').selectAll().where('id', '=', id)).executeTakeFirst();
export const findTenantByName = (db: Executor, name: string) =>
  db
    .selectFrom('tenants')
    .selectAll()
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
export const insertTenant = (db: Executor, row: TenantsTable) => db.insertInto('tenants').values(row).execute();
export const updateTenant = (db: Executor, id: string, patch: Partial<TenantsTable>) => db.updateTable('tenants').set(patch).where('id', '=', id).execute();

// Users
export const getUser = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const getUserById = (db: Executor, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
export const findUsersByEmail = (db: Executor, email: string) => db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).execute();
export const findUserByEmail = (db: Executor, tenantId: string, email: string) =>
  db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('email', '=', email.toLowerCase()).executeTakeFirst();
/** Who a new account is; the rest of its row is the state every new account starts in. */
export type NewUser = Pick<
  UsersTable,
  'id' | 'tenant_id' | 'email' | 'name' | 'password_hash' | 'group_id' | 'site_id' | 'extension' | 'external_id' | 'language'
>;

export const insertUser = (db: Executor, user: NewUser, now: string) =>
  db
    .insertInto('users')
    .values({
      ...user,
      disabled: 0,
      failed_logins: 0,
      locked_until: null,
      password_changed_at: now,
      last_login_at: null,
      time_display: 'site',
      created_at: now,
      updated_at: now,
    })
    .execute();
export const updateUser = (db: Executor, id: string, patch: Partial<UsersTable>) => db.updateTable('users').set(patch).where('id', '=', id).execute();
export const deleteUser = (db: Executor, id: string) => db.deleteFrom('users').where('id', '=', id).execute();

/**
 * Counts one login attempt against an account in a single statement, before the password is checked, so concurrent
 * attempts each see their own number (a read-then-write here was a lost update). A lock that has run out is cleared
 * and counting starts again at 1.
 */
export function claimLoginAttempt(db: Executor, adapter: DialectAdapter, userId: string, now: string) {
  const expired = sql<boolean>`(locked_until is not null and locked_until <= ${adapter.timestamp(now)})`;
  return db
    .updateTable('users')
    .set({
      failed_logins: sql<number>`case when ${expired} then 1 else failed_logins + 1 end`,
      locked_until: sql<string | null>`case when ${expired} then null else locked_until end`,
    })
    .where('id', '=', userId)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
}

/** Sets a lock unless one is already running; true for the one caller that set it. The count restarts for the lock's own budget. */
export async function lockUser(db: Executor, adapter: DialectAdapter, userId: string, now: string, until: string) {
  const r = await db
    .updateTable('users')
    .set({ locked_until: until, failed_logins: 0 })
    .where('id', '=', userId)
    .where(sql<boolean>`(locked_until is null or locked_until <= ${adapter.timestamp(now)})`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Users holding a role, with their group (for the scope rule: editing a role changes every holder). */
export const holdersOfRole = (db: Executor, roleId: string) =>
  db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .where('user_roles.role_id', '=', roleId)
    .select(['users.id', 'users.group_id'])
    .execute();

/** The groups of everything that uses a site: its groups and its users (a site's time zone applies to all of them). */
export async function groupsUsingSite(db: Executor, siteId: string): Promise<Array<string | null>> {
  const [groups, users] = await Promise.all([
    db.selectFrom('groups').select('id').where('site_id', '=', siteId).execute(),
    db.selectFrom('users').select('group_id').where('site_id', '=', siteId).execute(),
  ]);
  return [...groups.map((g) => g.id), ...users.map((u) => u.group_id)];
}

export interface UserQuery {
  tenantId: string;
  q?: string;
  groupIds?: readonly string[];
  limit: number;
  offset: number;
}

export async function listUsers(db: Executor, adapter: DialectAdapter, f: UserQuery) {
  let q = db.selectFrom('users').where('tenant_id', '=', f.tenantId);
  if (f.groupIds) q = f.groupIds.length ? q.where('group_id', 'in', f.groupIds) : q.where(sql<boolean>`1 = 0`);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([adapter.containsInsensitive(sql.ref('name'), needle), adapter.containsInsensitive(sql.ref('email'), needle), eb('extension', '=', needle)]),
    );
  }
  const [{ n }] = (await q.select(sql<number>`count(*)`.as('n')).execute()) as [{ n: number }];
  const items = await q.selectAll().orderBy('name').orderBy('id').limit(f.limit).offset(f.offset).execute();
  return { total: Number(n), items };
}

// Roles
export const listRoles = (db: Executor, tenantId: string) =>
  db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).orderBy('builtin_key', 'desc').orderBy('name').execute();
export const getRole = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const getBuiltinRole = (db: Executor, tenantId: string, key: string) =>
  db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).where('builtin_key', '=', key).executeTakeFirst();
export const insertRole = (db: Executor, row: RolesTable) => db.insertInto('roles').values(row).execute();
export const updateRole = (db: Executor, id: string, patch: Partial<RolesTable>) => db.updateTable('roles').set(patch).where('id', '=', id).execute();
export const deleteRole = (db: Executor, id: string) => db.deleteFrom('roles').where('id', '=', id).execute();
export async function roleUserCounts(db: Executor, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .where('roles.tenant_id', '=', tenantId)
    .select(['user_roles.role_id', sql<number>`count(*)`.as('n')])
    .groupBy('user_roles.role_id')
    .execute();
  return new Map(rows.map((r) => [r.role_id, Number(r.n)]));
}
export const rolesOfUsers = (db: Executor, userIds: string[]) =>
  userIds.length === 0
    ? Promise.resolve([] as Array<{ user_id: string; id: string; name: string; permissions: unknown }>)
    : db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .where('user_roles.user_id', 'in', userIds)
        .select(['user_roles.user_id', 'roles.id', 'roles.name', 'roles.permissions'])
        .orderBy('roles.name')
        .execute();
export async function setUserRoles(db: Executor, userId: string, roleIds: string[]) {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  // A role listed twice is held once (a duplicate would break the primary key).
  const unique = [...new Set(roleIds)];
  if (unique.length)
    await db
      .insertInto('user_roles')
      .values(unique.map((role_id) => ({ user_id: userId, role_id })))
      .execute();
}

/** What deciding users' languages needs (auth/languages.ts): their own, their groups up the tree, the tenant's default. */
export async function languageFacts(db: Executor, tenantId: string, userIds: string[]) {
  const [tenant, groups, users] = await Promise.all([
    db.selectFrom('tenants').select('language').where('id', '=', tenantId).executeTakeFirst(),
    db.selectFrom('groups').select(['id', 'parent_id', 'language']).where('tenant_id', '=', tenantId).execute(),
    db.selectFrom('users').select(['id', 'group_id', 'language']).where('tenant_id', '=', tenantId).where('id', 'in', userIds).execute(),
  ]);
  return { tenantLanguage: tenant?.language ?? null, groups, users };
}

// Groups and sites
export const listGroups = (db: Executor, tenantId: string) => db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
export const getGroup = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const insertGroup = (db: Executor, row: GroupsTable) => db.insertInto('groups').values(row).execute();
export const updateGroup = (db: Executor, id: string, patch: Partial<GroupsTable>) => db.updateTable('groups').set(patch).where('id', '=', id).execute();
export const deleteGroup = (db: Executor, id: string) => db.deleteFrom('groups').where('id', '=', id).execute();
export async function groupUsage(db: Executor, id: string) {
  const [children, users] = await Promise.all([
    db
      .selectFrom('groups')
      .select(sql<number>`count(*)`.as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .where('group_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return { children: Number(children.n), users: Number(users.n) };
}

export const listSites = (db: Executor, tenantId: string) => db.selectFrom('sites').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
export const getSite = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('sites').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const insertSite = (db: Executor, row: SitesTable) => db.insertInto('sites').values(row).execute();
export const updateSite = (db: Executor, id: string, patch: Partial<SitesTable>) => db.updateTable('sites').set(patch).where('id', '=', id).execute();
export const deleteSite = (db: Executor, id: string) => db.deleteFrom('sites').where('id', '=', id).execute();
export async function siteUsage(db: Executor, id: string) {
  const [groups, users] = await Promise.all([
    db
      .selectFrom('groups')
      .select(sql<number>`count(*)`.as('n'))
      .where('site_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .where('site_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  return Number(groups.n) + Number(users.n);
}

// Sessions
export const insertSession = (db: Executor, row: SessionsTable) => db.insertInto('sessions').values(row).execute();
export const getSession = (db: Executor, id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
export const touchSession = (db: Executor, id: string, at: string) => db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
export const deleteSession = (db: Executor, id: string) => db.deleteFrom('sessions').where('id', '=', id).execute();
export const deleteUserSessions = (db: Executor, userId: string, exceptId?: string) => {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.execute();
};
export async function deleteExpiredSessions(db: Executor, now: string) {
  const r = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// API tokens
export const insertToken = (db: Executor, row: ApiTokensTable) => db.insertInto('api_tokens').values(row).execute();
export const getTokenByHash = (db: Executor, hash: string) => db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
export const listTokens = (db: Executor, userId: string) =>
  db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
export const getToken = (db: Executor, userId: string, id: string) =>
  db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
export const revokeToken = (db: Executor, id: string, at: string) => db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
/** Revokes every live token of a user; returns the ones revoked (for the audit trail). */
export async function revokeUserTokens(db: Executor, userId: string, at: string) {
  const live = await db.selectFrom('api_tokens').select(['id', 'name']).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  if (live.length)
    await db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where(
        'id',
        'in',
        live.map((t) => t.id),
      )
      .where('revoked_at', 'is', null)
      .execute();
  return live;
}
export const touchToken = (db: Executor, id: string, at: string) => db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
