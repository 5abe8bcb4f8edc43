// SAML 2.0 service provider through @node-saml/node-saml: HTTP-Redirect AuthnRequest, HTTP-POST response, signed
// assertions required. node-saml checks signature, issuer, audience, times and InResponseTo; the recipient and the
// replay of an assertion id are checked here (the replay cache is in the database, so every API process shares it).
import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import type { AppContext } from '../../context.ts';
import type { SsoProvidersTable } from '../../platform/db/schema.ts';
import { SsoRefusal, type ExternalIdentity } from './identity.ts';
import { asList, type SamlConfig } from './model.ts';
import * as repo from './repository.ts';

const REQUEST_TTL_MS = 10 * 60_000;

export const samlEntityId = (base: string, providerId: string) => `${base}/api/auth/sso/saml/${providerId}/metadata`;
export const samlAcsUrl = (base: string, providerId: string) => `${base}/api/auth/sso/saml/${providerId}/acs`;

/** node-saml's InResponseTo cache over sso_requests: an AuthnRequest id is valid once, for ten minutes. */
function dbCache(ctx: AppContext, p: SsoProvidersTable): CacheProvider {
  return {
    async saveAsync(key, value) {
      const now = Date.now();
      await repo.insertRequest(ctx.db, {
        id: key,
        tenant_id: p.tenant_id,
        provider_id: p.id,
        code_verifier: null,
        nonce: value,
        binding_hash: null,
        return_to: null,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + REQUEST_TTL_MS).toISOString(),
      });
      return { value, createdAt: now };
    },
    async getAsync(key) {
      const r = await repo.getRequest(ctx.db, key);
      if (!r || r.provider_id !== p.id || new Date(r.expires_at).getTime() < Date.now()) return null;
      return r.nonce;
    },
    async removeAsync(key) {
      if (!key) return null;
      const r = await repo.getRequest(ctx.db, key);
      await repo.takeRequest(ctx.db, key);
      return r?.nonce ?? null;
    },
  };
}

function sp(ctx: AppContext, p: SsoProvidersTable, cfg: SamlConfig, base: string) {
  const entityId = samlEntityId(base, p.id);
  return new SAML({
    callbackUrl: samlAcsUrl(base, p.id),
    entryPoint: cfg.entryPoint,
    issuer: entityId,
    audience: entityId,
    idpCert: cfg.idpCerts,
    idpIssuer: cfg.idpIssuer,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: dbCache(ctx, p),
    acceptedClockSkewMs: 60_000,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
  });
}

export function metadata(ctx: AppContext, p: SsoProvidersTable, cfg: SamlConfig, base: string) {
  return sp(ctx, p, cfg, base).generateServiceProviderMetadata(null, null);
}

export function authorizeUrl(ctx: AppContext, p: SsoProvidersTable, cfg: SamlConfig, base: string, relayState: string) {
  return sp(ctx, p, cfg, base).getAuthorizeUrlAsync(relayState, undefined, {});
}

export async function consume(ctx: AppContext, p: SsoProvidersTable, cfg: SamlConfig, base: string, body: Record<string, string>): Promise<ExternalIdentity> {
  if (!body.SAMLResponse) throw new SsoRefusal('SSO_INVALID', 'No SAMLResponse in the request');
  const { profile } = await sp(ctx, p, cfg, base).validatePostResponseAsync({
    SAMLResponse: body.SAMLResponse,
    ...(body.RelayState ? { RelayState: body.RelayState } : {}),
  });
  if (!profile) throw new SsoRefusal('SSO_INVALID', 'The SAML response holds no assertion');
  const assertion = profile.getAssertionXml?.() ?? '';
  // node-saml checks the issuer of logout messages only: the assertion's is checked here.
  const issuer = /<(?:\w+:)?Issuer\b[^>]*>([^<]*)</.exec(assertion)?.[1]?.trim() ?? profile.issuer;
  if (issuer !== cfg.idpIssuer) throw new SsoRefusal('SAML_ISSUER', `The assertion was issued by "${issuer}", not by the configured "${cfg.idpIssuer}"`);
  // The assertion is the signed one node-saml verified; its attributes are read from that text only.
  const recipients = [...assertion.matchAll(/<(?:\w+:)?SubjectConfirmationData\b[^>]*\bRecipient="([^"]*)"/g)].map((m) => m[1]);
  if (recipients.some((r) => r !== samlAcsUrl(base, p.id))) {
    throw new SsoRefusal('SAML_RECIPIENT', `The assertion is addressed to ${recipients.join(', ')}, not to ${samlAcsUrl(base, p.id)}`);
  }
  const assertionId = /<(?:\w+:)?Assertion\b[^>]*\bID="([^"]+)"/.exec(assertion)?.[1];
  if (!assertionId) throw new SsoRefusal('SSO_INVALID', 'The assertion has no ID');
  const notOnOrAfter = /<(?:\w+:)?Conditions\b[^>]*\bNotOnOrAfter="([^"]+)"/.exec(assertion)?.[1];
  const until = notOnOrAfter && !Number.isNaN(Date.parse(notOnOrAfter)) ? new Date(Date.parse(notOnOrAfter) + 120_000) : new Date(Date.now() + 24 * 3600_000);
  await repo.deleteExpiredAssertions(ctx.db, new Date().toISOString());
  if (!(await repo.rememberAssertion(ctx.db, ctx.adapter, p.id, assertionId, until.toISOString()))) {
    throw new SsoRefusal('SAML_REPLAY', `The assertion ${assertionId} was already used to sign in (a replay)`);
  }
  const attr = (name: string) => asList(profile[name]);
  const email = attr(cfg.emailAttribute)[0] ?? (/@/.test(profile.nameID ?? '') ? profile.nameID : null);
  return {
    subject: profile.nameID,
    email: email ? email.toLowerCase() : null,
    // The IdP signed the assertion: the address it states is the one it manages.
    emailVerified: true,
    name: attr(cfg.nameAttribute)[0] ?? null,
    groups: attr(cfg.groupsAttribute),
  };
}
