// OpenID Connect through openid-client: discovery, authorization code with PKCE (S256), state and nonce.
import * as client from 'openid-client';
import type { AppContext } from '../../context.ts';
import type { SsoProvidersTable, SsoRequestsTable } from '../../platform/db/schema.ts';
import type { ExternalIdentity } from './identity.ts';
import { asList, openSecret, type OidcConfig } from './model.ts';

export const oidcRedirectUri = (base: string) => `${base}/api/auth/sso/oidc/callback`;

// Discovery is fetched once per provider version and kept a few minutes: a sign-in should not cost a round trip.
const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();
const CACHE_MS = 5 * 60_000;

export function discover(ctx: AppContext, p: Pick<SsoProvidersTable, 'id' | 'tenant_id' | 'updated_at'>, cfg: OidcConfig) {
  const key = `${p.id}|${p.updated_at}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  const secret = cfg.clientSecretSealed ? openSecret(ctx.keyring, p.tenant_id, cfg.clientSecretSealed) : undefined;
  // http:// is accepted for a provider on this machine only (model.ts refuses it elsewhere): tests and local IdPs.
  const insecure = new URL(cfg.issuer).protocol === 'http:';
  const config = client.discovery(
    new URL(cfg.issuer),
    cfg.clientId,
    secret,
    secret ? client.ClientSecretBasic(secret) : client.None(),
    insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  config.catch(() => cache.delete(key));
  cache.set(key, { at: Date.now(), config });
  return config;
}

export async function authorizationUrl(ctx: AppContext, p: SsoProvidersTable, cfg: OidcConfig, base: string) {
  const config = await discover(ctx, p, cfg);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(base),
    scope: cfg.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state, nonce, codeVerifier };
}

export async function exchange(
  ctx: AppContext,
  p: SsoProvidersTable,
  cfg: OidcConfig,
  base: string,
  currentUrl: URL,
  request: SsoRequestsTable,
): Promise<ExternalIdentity> {
  const config = await discover(ctx, p, cfg);
  // The callback is checked against the registered redirect URI, not against whatever host the request came to.
  const callback = new URL(oidcRedirectUri(base));
  callback.search = currentUrl.search;
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.code_verifier!,
    expectedState: request.id,
    expectedNonce: request.nonce!,
    idTokenExpected: true,
  });
  const claims: Record<string, unknown> = { ...tokens.claims()! };
  // Providers that keep groups and e-mail out of the ID token put them in userinfo.
  if (claims[cfg.groupsClaim] === undefined || !claims.email) {
    try {
      Object.assign(claims, { ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims });
    } catch {
      // No userinfo endpoint or scope: the ID token is all there is.
    }
  }
  return {
    subject: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    name: typeof claims.name === 'string' ? claims.name : null,
    groups: asList(claims[cfg.groupsClaim]),
  };
}
