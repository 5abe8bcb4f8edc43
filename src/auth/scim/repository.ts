// All SQL for SCIM: the tenant's token, the SCIM side of users, directory groups and their members.
import { sql } from 'kysely';
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { DirectoryGroupsTable, ScimUsersTable } from '../../platform/db/schema.ts';

export const tokenByHash = (db: Executor, hash: string) => db.selectFrom('scim_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
export const touchToken = (db: Executor, tenantId: string, at: string) =>
  db.updateTable('scim_tokens').set({ last_used_at: at }).where('tenant_id', '=', tenantId).execute();

export type UserFilter = { attr: 'userName' | 'externalId' | 'id'; value: string } | null;

export async function listUsers(db: Executor, adapter: DialectAdapter, tenantId: string, filter: UserFilter, offset: number, limit: number) {
  let q = db.selectFrom('users').leftJoin('scim_users', 'scim_users.user_id', 'users.id').where('users.tenant_id', '=', tenantId);
  if (filter?.attr === 'userName') q = q.where(sql`lower(users.email)`, '=', filter.value.toLowerCase());
  if (filter?.attr === 'externalId') q = q.where('scim_users.external_id', '=', filter.value);
  if (filter?.attr === 'id') q = q.where('users.id', '=', filter.value);
  const [{ n }] = (await q.select(sql<number>`count(*)`.as('n')).execute()) as [{ n: number }];
  const rows = limit
    ? await q
        .selectAll('users')
        .select(['scim_users.external_id as scim_external_id', 'scim_users.given_name', 'scim_users.family_name', 'scim_users.version'])
        .orderBy('users.created_at')
        .orderBy('users.id')
        .offset(offset)
        .limit(limit)
        .execute()
    : [];
  void adapter;
  return { total: Number(n), rows };
}

export const getUser = (db: Executor, tenantId: string, id: string) =>
  db
    .selectFrom('users')
    .leftJoin('scim_users', 'scim_users.user_id', 'users.id')
    .where('users.tenant_id', '=', tenantId)
    .where('users.id', '=', id)
    .selectAll('users')
    .select(['scim_users.external_id as scim_external_id', 'scim_users.given_name', 'scim_users.family_name', 'scim_users.version'])
    .executeTakeFirst();

export async function putScimUser(db: Executor, row: ScimUsersTable) {
  await db
    .insertInto('scim_users')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        external_id: row.external_id,
        given_name: row.given_name,
        family_name: row.family_name,
        version: row.version,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function forgetUser(db: Executor, userId: string) {
  await db.deleteFrom('directory_group_members').where('user_id', '=', userId).execute();
  await db.deleteFrom('scim_users').where('user_id', '=', userId).execute();
  await db.deleteFrom('sso_identities').where('user_id', '=', userId).execute();
}

export async function groupsOfUsers(db: Executor, userIds: string[]) {
  if (!userIds.length) return [];
  return db
    .selectFrom('directory_group_members')
    .innerJoin('directory_groups', 'directory_groups.id', 'directory_group_members.group_id')
    .where('directory_group_members.user_id', 'in', userIds)
    .select(['directory_group_members.user_id', 'directory_groups.id', 'directory_groups.display_name'])
    .orderBy('directory_groups.display_name')
    .execute();
}

// Directory groups
export type GroupFilter = { attr: 'displayName' | 'externalId' | 'id'; value: string } | null;

export async function listGroups(db: Executor, tenantId: string, filter: GroupFilter, offset: number, limit: number) {
  let q = db.selectFrom('directory_groups').where('tenant_id', '=', tenantId);
  if (filter?.attr === 'displayName') q = q.where(sql`lower(display_name)`, '=', filter.value.toLowerCase());
  if (filter?.attr === 'externalId') q = q.where('external_id', '=', filter.value);
  if (filter?.attr === 'id') q = q.where('id', '=', filter.value);
  const [{ n }] = (await q.select(sql<number>`count(*)`.as('n')).execute()) as [{ n: number }];
  const rows = limit ? await q.selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute() : [];
  return { total: Number(n), rows };
}
export const getGroup = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('directory_groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const findGroupByName = (db: Executor, tenantId: string, name: string) =>
  db
    .selectFrom('directory_groups')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql`lower(display_name)`, '=', name.toLowerCase())
    .executeTakeFirst();
export const insertGroup = (db: Executor, row: DirectoryGroupsTable) => db.insertInto('directory_groups').values(row).execute();
export const updateGroup = (db: Executor, id: string, patch: Partial<DirectoryGroupsTable>) =>
  db.updateTable('directory_groups').set(patch).where('id', '=', id).execute();
export async function deleteGroup(db: Executor, id: string) {
  await db.deleteFrom('directory_group_members').where('group_id', '=', id).execute();
  await db.deleteFrom('directory_groups').where('id', '=', id).execute();
}
export async function membersOf(db: Executor, groupIds: string[]) {
  if (!groupIds.length) return [];
  return db
    .selectFrom('directory_group_members')
    .innerJoin('users', 'users.id', 'directory_group_members.user_id')
    .where('directory_group_members.group_id', 'in', groupIds)
    .select(['directory_group_members.group_id', 'users.id', 'users.email', 'users.name'])
    .orderBy('users.email')
    .execute();
}
export async function addMembers(db: Executor, groupId: string, userIds: string[]) {
  const have = new Set((await db.selectFrom('directory_group_members').select('user_id').where('group_id', '=', groupId).execute()).map((r) => r.user_id));
  const add = [...new Set(userIds)].filter((u) => !have.has(u));
  if (add.length)
    await db
      .insertInto('directory_group_members')
      .values(add.map((user_id) => ({ group_id: groupId, user_id })))
      .execute();
  return add;
}
export async function removeMembers(db: Executor, groupId: string, userIds: string[] | 'all') {
  const q = db.deleteFrom('directory_group_members').where('group_id', '=', groupId);
  if (userIds === 'all') return q.execute();
  if (!userIds.length) return;
  return q.where('user_id', 'in', userIds).execute();
}
export async function existingUsers(db: Executor, tenantId: string, ids: string[]) {
  if (!ids.length) return [];
  return (await db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()).map((r) => r.id);
}
