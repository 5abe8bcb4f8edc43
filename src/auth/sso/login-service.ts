// Signing in through an identity provider: which providers a sign-in page offers, the redirect to the IdP, and the
// return (OIDC callback, SAML assertion consumer) that finds or creates the user, applies the mapping rules and opens
// a session. Every outcome is audited; every refusal is an SSO_FAILED with a reason the login page can show.
import type { AppContext } from '../../context.ts';
import type { Initiator } from '../../platform/audit/types.ts';
import type { SsoProvidersTable, UsersTable } from '../../platform/db/schema.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { DomainError } from '../../platform/errors.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import { readSettings } from '../../settings/model.ts';
import type { Actor } from '../actor.ts';
import * as authRepo from '../repository.ts';
import { actorFor, type ClientInfo, type LoginResult } from '../session-service.ts';
import { newSecret, sha256 } from '../tokens.ts';
import { applyRules, asList, type OidcConfig, type SamlConfig } from './model.ts';
import * as oidc from './oidc.ts';
import * as saml from './saml.ts';
import * as repo from './repository.ts';
import { SsoRefusal, type ExternalIdentity } from './identity.ts';
import { settingsOf } from './settings.ts';

/** How long a sign-in may take at the IdP before its state expires. */
const REQUEST_TTL_MS = 10 * 60_000;

/** The sign-in page's choices for an organisation (by name; the only one when the server holds one). */
export async function options(ctx: AppContext, tenantName: string | undefined) {
  const tenant = tenantName?.trim() ? await authRepo.findTenantByName(ctx.db, tenantName.trim()) : await onlyTenant(ctx);
  if (!tenant) return { tenant: null, providers: [], passwordLogin: true };
  const [providers, settings] = await Promise.all([repo.listProviders(ctx.db, tenant.id), settingsOf(ctx, tenant.id)]);
  return {
    tenant: tenant.name,
    providers: providers.filter((p) => p.enabled).map((p) => ({ id: p.id, name: p.name, kind: p.kind as 'oidc' | 'saml' })),
    passwordLogin: settings.passwordLogin,
  };
}

async function onlyTenant(ctx: AppContext) {
  const rows = await ctx.db.selectFrom('tenants').selectAll().limit(2).execute();
  return rows.length === 1 ? rows[0] : undefined;
}

/** Only a path on this server: an absolute URL in returnTo would make the sign-in an open redirect. */
export const safeReturn = (r: string | null | undefined) => (r && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\') ? r.slice(0, 500) : '/');

/** Starts a sign-in: the URL to send the browser to, and the browser-binding secret for a cookie (OIDC). */
export async function start(ctx: AppContext, providerId: string, input: { base: string; returnTo?: string; client: ClientInfo }) {
  const provider = await repo.getProviderById(ctx.db, providerId);
  if (!provider || !provider.enabled) throw new SsoRefusal('SSO_UNKNOWN_PROVIDER', 'This sign-in method does not exist or is switched off');
  const now = Date.now();
  await repo.deleteExpiredRequests(ctx.db, new Date(now).toISOString());
  const returnTo = safeReturn(input.returnTo);
  try {
    if (provider.kind === 'oidc') {
      const binding = newSecret('');
      const r = await oidc.authorizationUrl(ctx, provider, configOf<OidcConfig>(ctx, provider), input.base);
      await repo.insertRequest(ctx.db, {
        id: r.state,
        tenant_id: provider.tenant_id,
        provider_id: provider.id,
        code_verifier: r.codeVerifier,
        nonce: r.nonce,
        binding_hash: binding.hash,
        return_to: returnTo,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + REQUEST_TTL_MS).toISOString(),
      });
      return { url: r.url, binding: binding.secret };
    }
    const url = await saml.authorizeUrl(ctx, provider, configOf<SamlConfig>(ctx, provider), input.base, returnTo);
    return { url, binding: null };
  } catch (e) {
    throw await refuse(ctx, provider, input.client, classify(e));
  }
}

/** The OIDC callback: code for tokens (PKCE, state, nonce, issuer, audience, expiry checked by openid-client). */
export async function finishOidc(ctx: AppContext, input: { base: string; currentUrl: URL; binding: string | undefined; client: ClientInfo }) {
  const state = input.currentUrl.searchParams.get('state') ?? '';
  const request = state ? await repo.getRequest(ctx.db, state) : undefined;
  const provider = request ? await repo.getProviderById(ctx.db, request.provider_id) : undefined;
  if (!request || !provider) {
    await ctx.audit.append({
      tenantId: null,
      initiator: anonymous(input.client, 'unknown'),
      resourceType: 'session',
      action: 'SSO_LOGIN_FAILED',
      details: 'Single sign-on refused: unknown or already used sign-in state',
    });
    throw new SsoRefusal('SSO_STATE', 'This sign-in link is unknown, expired or was already used; start again from the sign-in page');
  }
  const fail = (reason: string, message: string) => refuse(ctx, provider, input.client, new SsoRefusal(reason, message));
  // One use: whoever deletes the state first continues, a replayed callback finds nothing.
  if (!(await repo.takeRequest(ctx.db, request.id))) throw await fail('SSO_STATE', 'This sign-in was already completed; start again');
  if (new Date(request.expires_at).getTime() < Date.now()) throw await fail('SSO_STATE', 'This sign-in took too long; start again');
  if (!input.binding || sha256(input.binding) !== request.binding_hash) {
    throw await fail('SSO_STATE', 'This sign-in was started in another browser; start again from the sign-in page');
  }
  const error = input.currentUrl.searchParams.get('error');
  if (error) throw await fail('OIDC_DENIED', `The identity provider refused the sign-in: ${input.currentUrl.searchParams.get('error_description') ?? error}`);
  let identity: ExternalIdentity;
  try {
    identity = await oidc.exchange(ctx, provider, configOf<OidcConfig>(ctx, provider), input.base, input.currentUrl, request);
  } catch (e) {
    throw await refuse(ctx, provider, input.client, classify(e));
  }
  return complete(ctx, provider, identity, input.client, request.return_to);
}

/** The SAML assertion consumer: signature, issuer, audience, recipient, times, InResponseTo and replay checked. */
export async function finishSaml(ctx: AppContext, providerId: string, input: { base: string; body: Record<string, string>; client: ClientInfo }) {
  const provider = await repo.getProviderById(ctx.db, providerId);
  if (!provider || provider.kind !== 'saml' || !provider.enabled)
    throw new SsoRefusal('SSO_UNKNOWN_PROVIDER', 'This sign-in method does not exist or is switched off');
  let identity: ExternalIdentity;
  try {
    identity = await saml.consume(ctx, provider, configOf<SamlConfig>(ctx, provider), input.base, input.body);
  } catch (e) {
    throw await refuse(ctx, provider, input.client, classify(e));
  }
  return complete(ctx, provider, identity, input.client, safeReturn(input.body.RelayState));
}

/** An error from openid-client or node-saml as a refusal with a stable reason and a message an admin can act on. */
export function classify(e: unknown): SsoRefusal {
  if (e instanceof SsoRefusal) return e;
  if (e instanceof DomainError) return new SsoRefusal('SSO_CONFIG', e.message);
  const err = e as { message?: string; code?: string; cause?: unknown };
  const msg = String(err?.message ?? e);
  const code = String(err?.code ?? '');
  const detail = `: ${msg}`;
  if (/issuer/i.test(msg))
    return new SsoRefusal(
      /saml/i.test(msg) || /Unknown SAML issuer/.test(msg) ? 'SAML_ISSUER' : 'OIDC_ISSUER',
      `The identity provider's issuer is not the one configured${detail}`,
    );
  if (/signature/i.test(msg)) return new SsoRefusal('SAML_SIGNATURE', `The response is not signed by the configured certificate${detail}`);
  if (/audience/i.test(msg)) return new SsoRefusal('SAML_AUDIENCE', `The assertion is meant for another service provider${detail}`);
  // node-saml says "No valid subject confirmation" when the bearer confirmation's NotOnOrAfter has passed.
  if (/expired|NotOnOrAfter|NotBefore|too old|clock|not yet valid|valid subject confirmation/i.test(msg))
    return new SsoRefusal('SSO_EXPIRED', `The assertion or token has expired or is not valid yet${detail}`);
  if (/InResponseTo/i.test(msg)) return new SsoRefusal('SAML_UNSOLICITED', `The response answers no sign-in started here (or one already used)${detail}`);
  if (/nonce/i.test(msg)) return new SsoRefusal('OIDC_NONCE', `The ID token's nonce does not match this sign-in${detail}`);
  if (code === 'OAUTH_RESPONSE_BODY_ERROR' || /invalid_grant|invalid_client/i.test(msg))
    return new SsoRefusal('OIDC_TOKEN', `The identity provider refused the code exchange${detail}`);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|timeout/i.test(msg + String((err?.cause as Error)?.message ?? '')))
    return new SsoRefusal('SSO_UNREACHABLE', `The identity provider could not be reached${detail}`);
  return new SsoRefusal('SSO_INVALID', `The identity provider's answer was refused${detail}`);
}

async function refuse(ctx: AppContext, provider: SsoProvidersTable, client: ClientInfo, r: SsoRefusal, who?: string) {
  await ctx.audit.append({
    tenantId: provider.tenant_id,
    initiator: anonymous(client, who ?? 'unknown'),
    resourceType: 'sso_provider',
    resourceId: provider.id,
    action: 'SSO_LOGIN_FAILED',
    details: `Single sign-on through "${provider.name}" refused (${r.reason}): ${r.message}`,
  });
  return r;
}

const anonymous = (client: ClientInfo, name: string, userId: string | null = null): Initiator => ({
  userId,
  name,
  ip: client.ip,
  application: client.application,
});

function configOf<T>(ctx: AppContext, p: SsoProvidersTable) {
  return ctx.adapter.fromJson<T>(p.config);
}

/** Finds or creates the user, applies the mapping rules and opens a session, all audited in one transaction. */
async function complete(ctx: AppContext, provider: SsoProvidersTable, id: ExternalIdentity, client: ClientInfo, returnTo: string | null) {
  const tenantId = provider.tenant_id;
  const who = id.email ?? id.subject;
  const fail = (reason: string, message: string) => refuse(ctx, provider, client, new SsoRefusal(reason, message), who);
  const settings = await settingsOf(ctx, tenantId);
  const link = await repo.findIdentity(ctx.db, provider.id, id.subject);
  let user: UsersTable | undefined = link ? await authRepo.getUser(ctx.db, tenantId, link.user_id) : undefined;
  if (!user && id.email) {
    // An existing account is linked by e-mail only when the IdP vouches for the address.
    const byEmail = await authRepo.findUserByEmail(ctx.db, tenantId, id.email);
    if (byEmail && !id.emailVerified)
      throw await fail('SSO_EMAIL_UNVERIFIED', `The identity provider has not verified ${id.email}; an administrator must link the account`);
    user = byEmail;
  }
  if (!user && !settings.jit)
    throw await fail('SSO_NO_ACCOUNT', `No Earshot account for ${who}; ask an administrator to create it (or to switch on automatic creation)`);
  if (!user && !id.email) throw await fail('SSO_NO_EMAIL', 'The identity provider sent no e-mail address; configure it to send one');
  if (user?.disabled) throw await fail('ACCOUNT_DISABLED', `The account ${user.email} is disabled`);
  const mapped = applyRules(settings.mappingRules, id.groups);
  const roleIds = settings.mappingRules.length ? (mapped.matched ? mapped.roleIds : settings.defaultRoleIds) : user ? null : settings.defaultRoleIds;
  const tenant = await authRepo.getTenant(ctx.db, tenantId);
  const ttlHours = Math.min(readSettings(ctx.adapter.fromJson(tenant?.settings)).sessionTimeoutHours, ctx.config.sessionTtlHours);
  const token = newSecret('');
  const now = new Date();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  const userId = user?.id ?? newId();
  const email = user?.email ?? id.email!.toLowerCase();
  const initiator = anonymous(client, email, userId);
  await inTransaction(ctx.db, async ({ tx }) => {
    if (!user) {
      await authRepo.insertUser(
        tx,
        {
          id: userId,
          tenant_id: tenantId,
          email,
          name: id.name?.trim() || email,
          password_hash: null,
          group_id: mapped.groupId ?? null,
          site_id: null,
          extension: null,
          external_id: null,
          language: tenant?.language ?? 'en',
        },
        at,
      );
      await authRepo.setUserRoles(tx, userId, roleIds ?? []);
      await ctx.audit.append(
        {
          tenantId,
          initiator,
          resourceType: 'user',
          resourceId: userId,
          action: 'USER_CREATE',
          details: `Created ${email} at first sign-in through "${provider.name}" (just-in-time)`,
          changes: [
            { field: 'email', old: null, new: email },
            { field: 'roles', old: null, new: roleIds ?? [] },
            { field: 'groupId', old: null, new: mapped.groupId ?? null },
          ],
        },
        tx,
      );
    } else if (roleIds) {
      await syncRolesAndGroup(ctx, tx, initiator, user, roleIds, mapped.groupId, `sign-in through "${provider.name}"`);
    }
    if (!link) await repo.insertIdentity(tx, { provider_id: provider.id, subject: id.subject, tenant_id: tenantId, user_id: userId, created_at: at });
    else await repo.touchIdentity(tx, provider.id, id.subject, at);
    await authRepo.updateUser(tx, userId, { last_login_at: at, failed_logins: 0, locked_until: null });
    await authRepo.insertSession(tx, {
      id: token.hash,
      tenant_id: tenantId,
      user_id: userId,
      created_at: at,
      expires_at: expiresAt,
      last_seen_at: at,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    });
    await ctx.audit.append(
      {
        tenantId,
        initiator,
        resourceType: 'session',
        resourceId: userId,
        action: 'LOGIN',
        details: `${email} logged in through ${provider.kind.toUpperCase()} provider "${provider.name}"`,
      },
      tx,
    );
  });
  const actor = (await actorFor(ctx, userId, client, { sessionId: token.hash })) as Actor;
  return { result: { sessionToken: token.secret, expiresAt, actor } satisfies LoginResult, returnTo: safeReturn(returnTo) };
}

/**
 * Makes a user's roles and group what the mapping rules say, auditing what changed (shared with SCIM group pushes).
 * `groupId` undefined keeps the user's group.
 */
export async function syncRolesAndGroup(
  ctx: AppContext,
  tx: Parameters<typeof authRepo.setUserRoles>[0],
  initiator: Initiator,
  user: UsersTable,
  roleIds: string[],
  groupId: string | null | undefined,
  why: string,
) {
  const before = (await authRepo.rolesOfUsers(tx, [user.id])).map((r) => r.id).sort();
  const after = [...new Set(roleIds)].sort();
  const changes = [];
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await authRepo.setUserRoles(tx, user.id, after);
    changes.push({ field: 'roleIds', old: before, new: after });
  }
  if (groupId !== undefined && groupId !== user.group_id) {
    await authRepo.updateUser(tx, user.id, { group_id: groupId, updated_at: nowIso() });
    changes.push({ field: 'groupId', old: user.group_id, new: groupId });
  }
  if (!changes.length) return;
  await ctx.audit.append(
    {
      tenantId: user.tenant_id,
      initiator,
      resourceType: 'user',
      resourceId: user.id,
      action: 'USER_UPDATE',
      details: `Roles or group of ${user.email} set by the mapping rules at ${why}`,
      changes,
    },
    tx,
  );
}

export { asList };

/** The SP metadata of a SAML provider (public: the IdP's administrator loads it). */
export async function samlMetadata(ctx: AppContext, providerId: string, base: string) {
  const provider = await repo.getProviderById(ctx.db, providerId);
  if (!provider || provider.kind !== 'saml') throw new DomainError('NOT_FOUND', `SAML provider ${providerId} was not found`);
  return saml.metadata(ctx, provider, configOf<SamlConfig>(ctx, provider), base);
}
