// Small secrets a tenant types into Settings (the SMTP password) and the unsubscribe links' signature.
//
// A secret is sealed with AES-256-GCM under the tenant's key-encryption key (the one that wraps media data keys), and
// the stored value names the master key it was sealed under: after a master key rotation the old key still opens it
// while the keyring holds it; once the old key is gone the administrator types the password again.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../platform/crypto/keys.ts';
import { DomainError } from '../platform/errors.ts';

const SEAL_VERSION = 's1';
const aad = (tenantId: string, purpose: string) => Buffer.from(`earshot/tenant-secret/v1|${tenantId}|${purpose}`, 'utf8');

export function sealSecret(keyring: Keyring, tenantId: string, purpose: string, plain: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyring.tenantKey(tenantId), nonce);
  c.setAAD(aad(tenantId, purpose));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${SEAL_VERSION}.${keyring.kekId}.${Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64')}`;
}

export function openSecret(keyring: Keyring, tenantId: string, purpose: string, sealed: string): string {
  const [version, kekId, body] = sealed.split('.');
  if (version !== SEAL_VERSION || !kekId || !body) throw new DomainError('INTEGRITY_FAILURE', `The stored ${purpose} is malformed; enter it again in Settings`);
  if (!keyring.has(kekId)) {
    throw new DomainError('INTEGRITY_FAILURE', `The stored ${purpose} was sealed with a master key this server no longer holds; enter it again in Settings`);
  }
  const raw = Buffer.from(body, 'base64');
  try {
    const d = createDecipheriv('aes-256-gcm', keyring.tenantKey(tenantId, kekId), raw.subarray(0, 12));
    d.setAAD(aad(tenantId, purpose));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  } catch {
    throw new DomainError('INTEGRITY_FAILURE', `The stored ${purpose} could not be decrypted; enter it again in Settings`);
  }
}

// ---- signed links (unsubscribe): no login, no stored token; the signature is the permission ----------------------

function linkKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.from('earshot/link-hmac'), Buffer.from(`earshot/signed-link/v1|${purpose}`), 32));
}

const mac = (key: Buffer, purpose: string, subject: string) => createHmac('sha256', key).update(`${purpose}|${subject}`).digest().subarray(0, 20);

/** `<subject>.<signature>`, URL-safe; the subject is readable (an id), the signature binds it to this server and purpose. */
export function signLink(keyring: Keyring, purpose: string, subject: string): string {
  return `${subject}.${mac(linkKey(keyring.masterKey(), purpose), purpose, subject).toString('base64url')}`;
}

/** The subject of a genuine link, or null. Links signed under an older master key still open while it is held. */
export function verifyLink(keyring: Keyring, purpose: string, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const subject = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  for (const kekId of keyring.kekIds()) {
    const want = mac(linkKey(keyring.masterKey(kekId), purpose), purpose, subject);
    if (given.length === want.length && timingSafeEqual(given, want)) return subject;
  }
  return null;
}
