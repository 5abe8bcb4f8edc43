import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../adapter.ts';

/**
 * Single sign-on and SCIM provisioning (issue 14, O2):
 * - `sso_settings`: per tenant, whether passwords still sign in (a break-glass user always may), just-in-time creation,
 *   the default roles of a new SSO user and the admin's mapping rules (IdP group name → roles and an Earshot group).
 * - `sso_providers`: the tenant's OIDC and SAML identity providers; `config` holds issuer, client, certificates.
 * - `sso_identities`: which IdP subject (OIDC `sub`, SAML NameID) is which user, per provider.
 * - `sso_requests`: sign-ins in flight (OIDC state with PKCE verifier and nonce; SAML AuthnRequest ids for
 *   InResponseTo), one use each, short-lived.
 * - `saml_assertions_seen`: the replay cache — an assertion id is accepted once until its NotOnOrAfter.
 * - `scim_tokens`: the tenant's SCIM bearer token, only its SHA-256.
 * - `scim_users`: what SCIM knows of a user beyond the users row (externalId, name parts, version).
 * - `directory_groups` and their members: SCIM Groups as the IdP pushes them; mapping rules turn them into roles and
 *   an Earshot group (Earshot groups are a hierarchy with one group per user, directory groups are flat sets).
 */
export async function up(db: Kysely<any>, a: DialectAdapter): Promise<void> {
  const ts = a.types.timestamp;
  await db.schema
    .createTable('sso_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('password_login', 'integer', (c) => c.notNull())
    .addColumn('break_glass_user_id', 'text')
    .addColumn('jit', 'integer', (c) => c.notNull())
    .addColumn('default_role_ids', a.types.json, (c) => c.notNull())
    .addColumn('mapping_rules', a.types.json, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sso_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('config', a.types.json, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_providers_tenant').on('sso_providers').columns(['tenant_id']).execute();

  await db.schema
    .createTable('sso_identities')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_login_at', ts)
    .addPrimaryKeyConstraint('sso_identities_pk', ['provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('sso_identities_user').on('sso_identities').columns(['user_id']).execute();

  await db.schema
    .createTable('sso_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text')
    .addColumn('nonce', 'text')
    .addColumn('binding_hash', 'text')
    .addColumn('return_to', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_requests_expires').on('sso_requests').columns(['expires_at']).execute();

  await db.schema
    .createTable('saml_assertions_seen')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('assertion_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_assertions_seen_pk', ['provider_id', 'assertion_id'])
    .execute();

  await db.schema
    .createTable('scim_tokens')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .execute();

  await db.schema
    .createTable('scim_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('directory_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('directory_groups_name', ['tenant_id', 'display_name'])
    .execute();

  await db.schema
    .createTable('directory_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('directory_group_members_user').on('directory_group_members').columns(['user_id']).execute();
}
