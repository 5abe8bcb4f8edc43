// All SQL for single sign-on: settings, providers, identities, sign-ins in flight and the SAML replay cache.
import type { DialectAdapter } from '../../platform/db/adapter.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { SsoProvidersTable, SsoRequestsTable, SsoSettingsTable } from '../../platform/db/schema.ts';

export const getSettings = (db: Executor, tenantId: string) => db.selectFrom('sso_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
export async function putSettings(db: Executor, row: SsoSettingsTable) {
  await db
    .insertInto('sso_settings')
    .values(row)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...row }))
    .execute();
}

export const listProviders = (db: Executor, tenantId: string) =>
  db.selectFrom('sso_providers').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('id').execute();
export const getProvider = (db: Executor, tenantId: string, id: string) =>
  db.selectFrom('sso_providers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
export const getProviderById = (db: Executor, id: string) => db.selectFrom('sso_providers').selectAll().where('id', '=', id).executeTakeFirst();
export const insertProvider = (db: Executor, row: SsoProvidersTable) => db.insertInto('sso_providers').values(row).execute();
export const updateProvider = (db: Executor, id: string, patch: Partial<SsoProvidersTable>) =>
  db.updateTable('sso_providers').set(patch).where('id', '=', id).execute();
export async function deleteProvider(db: Executor, id: string) {
  await db.deleteFrom('sso_identities').where('provider_id', '=', id).execute();
  await db.deleteFrom('sso_requests').where('provider_id', '=', id).execute();
  await db.deleteFrom('saml_assertions_seen').where('provider_id', '=', id).execute();
  await db.deleteFrom('sso_providers').where('id', '=', id).execute();
}

export const findIdentity = (db: Executor, providerId: string, subject: string) =>
  db.selectFrom('sso_identities').selectAll().where('provider_id', '=', providerId).where('subject', '=', subject).executeTakeFirst();
export const insertIdentity = (db: Executor, row: { provider_id: string; subject: string; tenant_id: string; user_id: string; created_at: string }) =>
  db
    .insertInto('sso_identities')
    .values({ ...row, last_login_at: row.created_at })
    .execute();
export const touchIdentity = (db: Executor, providerId: string, subject: string, at: string) =>
  db.updateTable('sso_identities').set({ last_login_at: at }).where('provider_id', '=', providerId).where('subject', '=', subject).execute();

export const insertRequest = (db: Executor, row: SsoRequestsTable) => db.insertInto('sso_requests').values(row).execute();
export const getRequest = (db: Executor, id: string) => db.selectFrom('sso_requests').selectAll().where('id', '=', id).executeTakeFirst();
/** Takes a sign-in in flight: true for the one caller that deleted it (a second use of the same state finds nothing). */
export async function takeRequest(db: Executor, id: string) {
  const r = await db.deleteFrom('sso_requests').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
export const deleteExpiredRequests = (db: Executor, now: string) => db.deleteFrom('sso_requests').where('expires_at', '<', now).execute();

/** Records an assertion id; false when it was already seen (a replay). */
export async function rememberAssertion(db: Executor, adapter: DialectAdapter, providerId: string, assertionId: string, expiresAt: string) {
  try {
    await db.insertInto('saml_assertions_seen').values({ provider_id: providerId, assertion_id: assertionId, expires_at: expiresAt }).execute();
    return true;
  } catch (e) {
    if (adapter.isUniqueViolation(e)) return false;
    throw e;
  }
}
export const deleteExpiredAssertions = (db: Executor, now: string) => db.deleteFrom('saml_assertions_seen').where('expires_at', '<', now).execute();

/** Names of the directory (SCIM) groups a user is in: the mapping rules read them like an IdP's group claim. */
export async function directoryGroupNames(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('directory_group_members')
    .innerJoin('directory_groups', 'directory_groups.id', 'directory_group_members.group_id')
    .where('directory_group_members.user_id', '=', userId)
    .select('directory_groups.display_name')
    .execute();
  return rows.map((r) => r.display_name);
}

// The tenant's SCIM token (checked by src/auth/scim; created and revoked here).
export const getScimToken = (db: Executor, tenantId: string) => db.selectFrom('scim_tokens').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
export async function replaceScimToken(
  db: Executor,
  row: { tenant_id: string; token_hash: string; prefix: string; created_by: string | null; created_at: string },
) {
  await db.deleteFrom('scim_tokens').where('tenant_id', '=', row.tenant_id).execute();
  await db
    .insertInto('scim_tokens')
    .values({ ...row, last_used_at: null })
    .execute();
}
export const deleteScimToken = (db: Executor, tenantId: string) => db.deleteFrom('scim_tokens').where('tenant_id', '=', tenantId).execute();
