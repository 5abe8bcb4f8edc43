// What a tenant configures for single sign-on: its identity providers, the password policy and the mapping rules that
// turn the IdP's groups into Earshot roles and a group. Validation lives here so the admin API and the tests agree.
import { createCipheriv, createDecipheriv, randomBytes, X509Certificate } from 'node:crypto';
import type { Keyring } from '../../platform/crypto/keys.ts';
import { DomainError, invalid } from '../../platform/errors.ts';

export type ProviderKind = 'oidc' | 'saml';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Sealed with the tenant key (sealSecret); never returned by the API. */
  clientSecretSealed: string | null;
  scopes: string;
  /** The ID token / userinfo claim that lists the user's groups (Okta: groups; Entra ID: groups or roles). */
  groupsClaim: string;
}

export interface SamlConfig {
  /** The IdP's single sign-on URL (HTTP-Redirect binding). */
  entryPoint: string;
  /** The IdP's entity id: the Issuer of its responses. */
  idpIssuer: string;
  /** The IdP's signing certificate(s), PEM. */
  idpCerts: string[];
  /** Attribute holding the user's groups. */
  groupsAttribute: string;
  /** Attributes for e-mail and display name; NameID is the e-mail when no e-mail attribute is sent. */
  emailAttribute: string;
  nameAttribute: string;
}

export interface MappingRule {
  /** A group name the IdP sends (claim/attribute value or SCIM group displayName), compared case-insensitively. */
  match: string;
  roleIds: string[];
  /** The Earshot group a matching user is placed in (the first matching rule with one wins). */
  groupId: string | null;
}

const httpUrl = (value: string, field: string, allowHttpLoopback = true) => {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalid(`${field} is not a URL: "${value}"`, { field });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && allowHttpLoopback && loopback)) {
    throw invalid(`${field} must be an https:// URL (http:// only for a provider on this machine)`, { field, reason: 'SSO_URL_NOT_HTTPS' });
  }
  return u;
};

export const isLoopbackHttp = (value: string) => {
  const u = new URL(value);
  return u.protocol === 'http:';
};

export interface OidcInput {
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  scopes?: string;
  groupsClaim?: string;
}

export interface SamlInput {
  entryPoint: string;
  idpIssuer: string;
  idpCert: string;
  groupsAttribute?: string;
  emailAttribute?: string;
  nameAttribute?: string;
}

export function checkOidc(input: OidcInput, keyring: Keyring, tenantId: string, previous: OidcConfig | null): OidcConfig {
  httpUrl(input.issuer, 'issuer');
  if (!input.clientId.trim()) throw invalid('The client id is required', { field: 'clientId' });
  let sealed = previous?.clientSecretSealed ?? null;
  if (input.clientSecret !== undefined) sealed = input.clientSecret ? sealSecret(keyring, tenantId, input.clientSecret) : null;
  const scopes = (input.scopes ?? 'openid email profile').trim();
  if (!scopes.split(/\s+/).includes('openid')) throw invalid('The scopes must include "openid"', { field: 'scopes' });
  return {
    issuer: input.issuer.trim().replace(/\/$/, ''),
    clientId: input.clientId.trim(),
    clientSecretSealed: sealed,
    scopes,
    groupsClaim: input.groupsClaim?.trim() || 'groups',
  };
}

/** The PEM certificates in what the admin pasted (one or several, with or without PEM armour); refused when unreadable. */
export function parseCerts(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const bodies = blocks.length ? blocks : text.trim() ? [`-----BEGIN CERTIFICATE-----\n${text.trim()}\n-----END CERTIFICATE-----`] : [];
  if (!bodies.length) throw invalid("Paste the identity provider's signing certificate (PEM)", { field: 'idpCert', reason: 'SSO_BAD_CERTIFICATE' });
  return bodies.map((pem) => {
    try {
      const cert = new X509Certificate(pem);
      return cert.toString();
    } catch {
      throw invalid('The signing certificate is not a readable X.509 certificate (PEM)', { field: 'idpCert', reason: 'SSO_BAD_CERTIFICATE' });
    }
  });
}

export function checkSaml(input: SamlInput): SamlConfig {
  httpUrl(input.entryPoint, 'entryPoint');
  if (!input.idpIssuer.trim()) throw invalid("The identity provider's entity id (issuer) is required", { field: 'idpIssuer' });
  return {
    entryPoint: input.entryPoint.trim(),
    idpIssuer: input.idpIssuer.trim(),
    idpCerts: parseCerts(input.idpCert),
    groupsAttribute: input.groupsAttribute?.trim() || 'groups',
    emailAttribute: input.emailAttribute?.trim() || 'email',
    nameAttribute: input.nameAttribute?.trim() || 'name',
  };
}

// The OIDC client secret, sealed like other tenant secrets (AES-256-GCM under the tenant key; auth may not import
// notify's helper, so the few lines are here).
const aad = (tenantId: string) => Buffer.from(`earshot/tenant-secret/v1|${tenantId}|oidc client secret`, 'utf8');

export function sealSecret(keyring: Keyring, tenantId: string, plain: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyring.tenantKey(tenantId), nonce);
  c.setAAD(aad(tenantId));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `s1.${keyring.kekId}.${Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64')}`;
}

export function openSecret(keyring: Keyring, tenantId: string, sealed: string): string {
  const [, kekId, body] = sealed.split('.');
  if (!kekId || !body || !keyring.has(kekId))
    throw new DomainError('SSO_FAILED', 'The stored client secret cannot be read; enter it again', { reason: 'SSO_CONFIG' });
  const raw = Buffer.from(body, 'base64');
  try {
    const d = createDecipheriv('aes-256-gcm', keyring.tenantKey(tenantId, kekId), raw.subarray(0, 12));
    d.setAAD(aad(tenantId));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    throw new DomainError('SSO_FAILED', 'The stored client secret cannot be read; enter it again', { reason: 'SSO_CONFIG' });
  }
}

/**
 * What the mapping rules make of a user's IdP groups: the roles of every matching rule, and the group of the first
 * matching rule that names one. `matched` false means no rule applied (the caller keeps or defaults the roles).
 */
export function applyRules(rules: MappingRule[], groups: string[]): { matched: boolean; roleIds: string[]; groupId: string | null | undefined } {
  const have = new Set(groups.map((g) => g.trim().toLowerCase()));
  const hits = rules.filter((r) => have.has(r.match.trim().toLowerCase()));
  return {
    matched: hits.length > 0,
    roleIds: [...new Set(hits.flatMap((r) => r.roleIds))],
    groupId: hits.find((r) => r.groupId)?.groupId,
  };
}

/** A claim or attribute value as a list of strings (an IdP sends one value or several). */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(asList);
  return [String(value)];
}
