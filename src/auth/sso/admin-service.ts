// Administration of single sign-on: the sign-in policy, the identity providers, and the SCIM token. Organisation-wide
// administrators only (settings.manage, whole-organisation scope): this decides who may sign in at all.
import type { AppContext } from '../../context.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { assertWithinScope, initiatorOf, requirePermission, type Actor } from '../actor.ts';
import * as authRepo from '../repository.ts';
import { newSecret } from '../tokens.ts';
import { checkOidc, checkSaml, type MappingRule, type OidcConfig, type OidcInput, type ProviderKind, type SamlConfig, type SamlInput } from './model.ts';
import { oidcRedirectUri } from './oidc.ts';
import * as repo from './repository.ts';
import { samlAcsUrl, samlEntityId } from './saml.ts';
import { settingsOf, type SsoSettings } from './settings.ts';

export const SCIM_TOKEN_PREFIX = 'esc_';

function guard(actor: Actor) {
  requirePermission(actor, 'settings.manage');
  assertWithinScope(actor, [null], 'Changing how the organisation signs in');
}

const audit = (
  ctx: AppContext,
  actor: Actor,
  tx: Parameters<AppContext['audit']['append']>[1],
  e: { type: string; id: string; action: string; details: string; changes?: { field: string; old: unknown; new: unknown }[] },
) =>
  ctx.audit.append(
    {
      tenantId: actor.tenantId,
      initiator: initiatorOf(actor),
      resourceType: e.type,
      resourceId: e.id,
      action: e.action,
      details: e.details,
      changes: e.changes ?? null,
    },
    tx,
  );

type ProviderRow = Awaited<ReturnType<typeof repo.getProvider>> & object;

function providerView(ctx: AppContext, p: ProviderRow, base: string) {
  const kind = p.kind as ProviderKind;
  const cfg = ctx.adapter.fromJson<OidcConfig & SamlConfig>(p.config);
  return {
    id: p.id,
    kind,
    name: p.name,
    enabled: Boolean(p.enabled),
    oidc:
      kind === 'oidc'
        ? {
            issuer: cfg.issuer,
            clientId: cfg.clientId,
            hasClientSecret: Boolean(cfg.clientSecretSealed),
            scopes: cfg.scopes,
            groupsClaim: cfg.groupsClaim,
            redirectUri: oidcRedirectUri(base),
          }
        : null,
    saml:
      kind === 'saml'
        ? {
            entryPoint: cfg.entryPoint,
            idpIssuer: cfg.idpIssuer,
            idpCert: cfg.idpCerts.join('\n'),
            groupsAttribute: cfg.groupsAttribute,
            emailAttribute: cfg.emailAttribute,
            nameAttribute: cfg.nameAttribute,
            entityId: samlEntityId(base, p.id),
            acsUrl: samlAcsUrl(base, p.id),
            metadataUrl: samlEntityId(base, p.id),
          }
        : null,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export async function overview(ctx: AppContext, actor: Actor, base: string) {
  guard(actor);
  const [settings, providers, token] = await Promise.all([
    settingsOf(ctx, actor.tenantId),
    repo.listProviders(ctx.db, actor.tenantId),
    repo.getScimToken(ctx.db, actor.tenantId),
  ]);
  return {
    settings,
    providers: providers.map((p) => providerView(ctx, p, base)),
    scim: { baseUrl: `${base}/scim/v2`, token: token ? { prefix: token.prefix, createdAt: token.created_at, lastUsedAt: token.last_used_at } : null },
  };
}

export async function updateSettings(ctx: AppContext, actor: Actor, patch: Partial<SsoSettings>, base: string) {
  guard(actor);
  const before = await settingsOf(ctx, actor.tenantId);
  const next: SsoSettings = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  const roles = new Set((await authRepo.listRoles(ctx.db, actor.tenantId)).map((r) => r.id));
  const groups = new Set((await authRepo.listGroups(ctx.db, actor.tenantId)).map((g) => g.id));
  for (const id of next.defaultRoleIds) if (!roles.has(id)) throw invalid(`Role ${id} does not exist`, { field: 'defaultRoleIds' });
  next.mappingRules = next.mappingRules.map((r: MappingRule, i) => {
    if (!r.match.trim()) throw invalid(`Rule ${i + 1}: give the IdP group name it matches`, { field: 'mappingRules', index: i });
    for (const id of r.roleIds) if (!roles.has(id)) throw invalid(`Rule ${i + 1}: role ${id} does not exist`, { field: 'mappingRules', index: i });
    if (r.groupId && !groups.has(r.groupId)) throw invalid(`Rule ${i + 1}: group ${r.groupId} does not exist`, { field: 'mappingRules', index: i });
    return { match: r.match.trim(), roleIds: [...new Set(r.roleIds)], groupId: r.groupId ?? null };
  });
  // Granting through rules is granting: nobody may hand out a role holding permissions they lack.
  for (const id of new Set([...next.defaultRoleIds, ...next.mappingRules.flatMap((r) => r.roleIds)])) {
    const role = await authRepo.getRole(ctx.db, actor.tenantId, id);
    const missing = ctx.adapter.fromJson<string[]>(role!.permissions).filter((p) => !actor.permissions.has(p as never));
    if (missing.length) throw invalid(`The role "${role!.name}" has permissions you do not hold (${missing.join(', ')})`, { field: 'mappingRules' });
  }
  if (!next.passwordLogin) {
    if (!next.breakGlassUserId)
      throw invalid('Choose a break-glass administrator who keeps a password before switching passwords off', {
        field: 'breakGlassUserId',
        reason: 'BREAK_GLASS_REQUIRED',
      });
    const enabled = (await repo.listProviders(ctx.db, actor.tenantId)).filter((p) => p.enabled);
    if (!enabled.length) throw conflict('Add and enable an identity provider before switching passwords off');
  }
  if (next.breakGlassUserId) {
    const u = await authRepo.getUser(ctx.db, actor.tenantId, next.breakGlassUserId);
    if (!u || u.disabled) throw invalid('The break-glass administrator must be an active user of this organisation', { field: 'breakGlassUserId' });
    if (!u.password_hash) throw invalid(`${u.email} has no password: set one before making them the break-glass administrator`, { field: 'breakGlassUserId' });
  }
  const changes = (Object.keys(next) as (keyof SsoSettings)[])
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]))
    .map((k) => ({ field: k, old: before[k], new: next[k] }));
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.putSettings(tx, {
        tenant_id: actor.tenantId,
        password_login: next.passwordLogin ? 1 : 0,
        break_glass_user_id: next.breakGlassUserId,
        jit: next.jit ? 1 : 0,
        default_role_ids: ctx.adapter.json(next.defaultRoleIds),
        mapping_rules: ctx.adapter.json(next.mappingRules),
        updated_at: nowIso(),
      });
      await audit(ctx, actor, tx, {
        type: 'sso_settings',
        id: actor.tenantId,
        action: 'SSO_SETTINGS_UPDATE',
        details: `Changed single sign-on settings: ${changes.map((c) => c.field).join(', ')}`,
        changes,
      });
    });
  }
  return overview(ctx, actor, base);
}

export interface ProviderInput {
  kind: ProviderKind;
  name: string;
  enabled?: boolean;
  oidc?: OidcInput;
  saml?: SamlInput;
}

function configFrom(ctx: AppContext, actor: Actor, input: ProviderInput, previous: unknown) {
  if (input.kind === 'oidc') {
    if (!input.oidc) throw invalid('Give the OpenID Connect settings', { field: 'oidc' });
    return checkOidc(input.oidc, ctx.keyring, actor.tenantId, (previous as OidcConfig | null) ?? null);
  }
  if (!input.saml) throw invalid('Give the SAML settings', { field: 'saml' });
  return checkSaml(input.saml);
}

/** What the audit trail shows of a provider's configuration: never the client secret. */
const auditable = (cfg: OidcConfig | SamlConfig) => {
  const { clientSecretSealed, ...rest } = cfg as OidcConfig;
  return 'clientSecretSealed' in cfg ? { ...rest, clientSecret: clientSecretSealed ? '(set)' : null } : cfg;
};

export async function createProvider(ctx: AppContext, actor: Actor, input: ProviderInput, base: string) {
  guard(actor);
  const name = input.name.trim();
  if (!name) throw invalid('Give the provider a name (it is the sign-in button)', { field: 'name' });
  const cfg = configFrom(ctx, actor, input, null);
  const now = nowIso();
  const row = {
    id: newId(),
    tenant_id: actor.tenantId,
    kind: input.kind,
    name,
    enabled: input.enabled === false ? 0 : 1,
    config: ctx.adapter.json(cfg),
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.insertProvider(tx, row);
    await audit(ctx, actor, tx, {
      type: 'sso_provider',
      id: row.id,
      action: 'SSO_PROVIDER_CREATE',
      details: `Added ${input.kind.toUpperCase()} identity provider "${name}"`,
      changes: [{ field: 'config', old: null, new: auditable(cfg) }],
    });
  });
  return providerView(ctx, (await repo.getProvider(ctx.db, actor.tenantId, row.id))!, base);
}

export async function updateProvider(ctx: AppContext, actor: Actor, id: string, input: Partial<ProviderInput>, base: string) {
  guard(actor);
  const p = await repo.getProvider(ctx.db, actor.tenantId, id);
  if (!p) throw notFound('Identity provider', id);
  if (input.kind && input.kind !== p.kind) throw invalid('The kind of a provider cannot change; add a new one', { field: 'kind' });
  const old = ctx.adapter.fromJson<OidcConfig | SamlConfig>(p.config);
  const kind = p.kind as ProviderKind;
  const cfg = input.oidc || input.saml ? configFrom(ctx, actor, { ...input, name: input.name ?? p.name, kind }, old) : old;
  const name = input.name?.trim() || p.name;
  const enabled = input.enabled === undefined ? p.enabled : input.enabled ? 1 : 0;
  if (!enabled && p.enabled) await assertNotLastProvider(ctx, actor, id);
  const changes = [
    ...(name !== p.name ? [{ field: 'name', old: p.name, new: name }] : []),
    ...(enabled !== p.enabled ? [{ field: 'enabled', old: Boolean(p.enabled), new: Boolean(enabled) }] : []),
    ...(JSON.stringify(cfg) !== JSON.stringify(old) ? [{ field: 'config', old: auditable(old), new: auditable(cfg) }] : []),
  ];
  if (changes.length) {
    await inTransaction(ctx.db, async ({ tx }) => {
      await repo.updateProvider(tx, id, { name, enabled, config: ctx.adapter.json(cfg), updated_at: nowIso() });
      await audit(ctx, actor, tx, { type: 'sso_provider', id, action: 'SSO_PROVIDER_UPDATE', details: `Changed identity provider "${name}"`, changes });
    });
  }
  return providerView(ctx, (await repo.getProvider(ctx.db, actor.tenantId, id))!, base);
}

/** With passwords switched off, the last enabled provider is the only way in for everyone but the break-glass admin. */
async function assertNotLastProvider(ctx: AppContext, actor: Actor, id: string) {
  const settings = await settingsOf(ctx, actor.tenantId);
  if (settings.passwordLogin) return;
  const others = (await repo.listProviders(ctx.db, actor.tenantId)).filter((p) => p.enabled && p.id !== id);
  if (!others.length) throw conflict('This is the only enabled identity provider and passwords are switched off: switch passwords on first');
}

export async function deleteProvider(ctx: AppContext, actor: Actor, id: string) {
  guard(actor);
  const p = await repo.getProvider(ctx.db, actor.tenantId, id);
  if (!p) throw notFound('Identity provider', id);
  if (p.enabled) await assertNotLastProvider(ctx, actor, id);
  await inTransaction(ctx.db, async ({ tx }) => {
    await repo.deleteProvider(tx, id);
    await audit(ctx, actor, tx, { type: 'sso_provider', id, action: 'SSO_PROVIDER_DELETE', details: `Removed identity provider "${p.name}"` });
  });
}

/** A new SCIM token replaces the old one at once (shown once; only its hash is kept). */
export async function rotateScimToken(ctx: AppContext, actor: Actor) {
  guard(actor);
  const secret = newSecret(SCIM_TOKEN_PREFIX);
  const now = nowIso();
  await inTransaction(ctx.db, async ({ tx }) => {
    const had = await repo.getScimToken(tx, actor.tenantId);
    await repo.replaceScimToken(tx, {
      tenant_id: actor.tenantId,
      token_hash: secret.hash,
      prefix: secret.display,
      created_by: actor.userId || null,
      created_at: now,
    });
    await audit(ctx, actor, tx, {
      type: 'scim_token',
      id: actor.tenantId,
      action: had ? 'SCIM_TOKEN_ROTATE' : 'SCIM_TOKEN_CREATE',
      details: had ? `Replaced the SCIM token ${had.prefix}… with ${secret.display}…` : `Created the SCIM token ${secret.display}…`,
    });
  });
  return { token: secret.secret, prefix: secret.display, createdAt: now };
}

export async function revokeScimToken(ctx: AppContext, actor: Actor) {
  guard(actor);
  await inTransaction(ctx.db, async ({ tx }) => {
    const had = await repo.getScimToken(tx, actor.tenantId);
    if (!had) throw notFound('SCIM token');
    await repo.deleteScimToken(tx, actor.tenantId);
    await audit(ctx, actor, tx, { type: 'scim_token', id: actor.tenantId, action: 'SCIM_TOKEN_REVOKE', details: `Revoked the SCIM token ${had.prefix}…` });
  });
}
